import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { defineBench, percentile } from './harness';

/** Starts the built headless server and resolves when it answers HTTP; returns the time that took. */
async function startServer(dataDir: string) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', dataDir, '--http-port', '0'], {
    env: { ...process.env, BILLING_ADMIN_PASSWORD: 'Bench-password-1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/[^\s/]+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  /** Resolves when the server has printed a line matching `pattern`. */
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      if (pattern.test(out)) return resolve();
      child.stdout!.on('data', () => pattern.test(out) && resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, url, readyMs, printed, stop };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function post(agent: http.Agent, url: string, path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export default defineBench('spine', async (ctx) => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--main-only'], { stdio: 'ignore' });

  // Cold start: the first start creates the database; later starts open it. Median of 5 each.
  const fresh: number[] = [];
  const existing: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = ctx.tmpDir();
    const a = await startServer(dir);
    fresh.push(a.readyMs);
    await a.stop();
    const b = await startServer(dir);
    existing.push(b.readyMs);
    await b.stop();
  }
  const coldStart = percentile(existing, 50) / 1000;
  ctx.record({ name: 'cold start to HTTP ready (existing data)', value: +coldStart.toFixed(3), unit: 's', target: '< 1.5', ok: coldStart < 1.5, notes: 'median of 5, node dist/main/server.cjs' });
  const coldFresh = percentile(fresh, 50) / 1000;
  ctx.record({ name: 'cold start to HTTP ready (first start, new database)', value: +coldFresh.toFixed(3), unit: 's', target: '< 1.5', ok: coldFresh < 1.5, notes: 'median of 5; includes scrypt of the admin password' });

  // Idle memory: after a first start has loaded the default attribution data, and after a usual start (existing data).
  const dataDir = ctx.tmpDir();
  const first = await startServer(dataDir);
  await first.printed(/Default number attribution loaded/);
  await new Promise((r) => setTimeout(r, 3000));
  const idleFirst = rssMb(first.child.pid!);
  await first.stop();
  ctx.record({ name: 'idle RSS of the headless server, first start', value: +idleFirst.toFixed(1), unit: 'MB', target: '< 120', ok: idleFirst < 120, notes: '3 s after the default attribution data (130,209 rows) was generated and written by a child process (dist/main/attribution-worker.cjs), whose memory goes back to the system when it ends' });

  const server = await startServer(dataDir);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const idle = rssMb(server.child.pid!);
    ctx.record({ name: 'idle RSS of the headless server', value: +idle.toFixed(1), unit: 'MB', target: '< 120', ok: idle < 120, notes: '3 s after a start on existing data (every start but the first); exceljs and ssh2 load on first use' });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const login = await post(agent, server.url, '/api/auth.login', JSON.stringify({ username: 'admin', password: 'Bench-password-1' }));
    const token = (JSON.parse(login.body) as { token: string }).token;
    const auth = { Authorization: `Bearer ${token}` };

    // Sequential latency: one client, one call at a time.
    for (let i = 0; i < 500; i++) await post(agent, server.url, '/api/system.ping', '{}', auth); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const t0 = process.hrtime.bigint();
      const r = await post(agent, server.url, '/api/system.ping', '{}', auth);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 200) throw new Error(`ping failed: ${r.status} ${r.body}`);
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    ctx.record({ name: 'authenticated no-op call (system.ping) p50', value: +p50.toFixed(3), unit: 'ms', target: '< 1', ok: p50 < 1, notes: '5,000 sequential calls over keep-alive HTTP, client in another process' });
    ctx.record({ name: 'authenticated no-op call (system.ping) p99', value: +p99.toFixed(3), unit: 'ms', target: '< 5', ok: p99 < 5 });

    // Throughput: 10 concurrent clients.
    const total = 30_000;
    let issued = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (issued < total) {
          issued++;
          const r = await post(agent, server.url, '/api/system.ping', '{}', auth);
          if (r.status !== 200) throw new Error(`ping failed: ${r.status}`);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const rate = Math.round(total / seconds);
    ctx.record({ name: 'authenticated no-op calls, 10 concurrent clients', value: rate, unit: 'calls/s', target: '> 5000', ok: rate > 5000, notes: `${total.toLocaleString('en-US')} calls; client and server share the 2 cores` });
    agent.destroy();
  } finally {
    await server.stop();
  }
});
