/**
 * The whole write path (parse, store, rate, charge, rollups) of a real engine, against a bare better-sqlite3 insert of
 * the same rows, and the UI's responsiveness while it runs:
 * 1. bare insert: the rows the engine stored (all cdrs columns, rated ones included) into a table with only its
 *    primary key, same pragmas, same batch size — the denominator;
 * 2. file import of generated Asterisk Master.csv records through importCdrFile with the engine's store (what
 *    `cdrs.import` runs): records/s, its share of (1) (target >= 50 %), peak RSS (target < 300 MB);
 * 3. TCP push from 20 sender connections in a child process into the engine's billing interface: records/s, its
 *    share of (1) (target >= 40 %);
 * 4. meanwhile a logged-in client in another child process calls cdrs.search and stats.dashboard over HTTP every
 *    100 ms (target p95 < 150 ms each), and the engine's main thread event-loop delay is measured.
 * The engine is set up through its API only (rate group, prepaid enterprise with a balance, device whose default
 * enterprise pays), so the bench keeps working when the store's internals change. After each part the ledger and
 * statistics checks must pass and every record sent must be stored, rated and charged once, else the bench throws.
 * The engine stores through its CDR writer thread (scripts/bench.mjs bundles its script beside the bench's bundle);
 * PIPELINE_BENCH_WRITER=inline keeps the engine's thread, for comparison. Sizes: PIPELINE_BENCH_RECORDS (file, 1,000,000), PIPELINE_BENCH_TCP_RECORDS (300,000), PIPELINE_BENCH_CONNECTIONS
 * (20), PIPELINE_BENCH_INTERVAL_MS (100), PIPELINE_BENCH_IDLE_MS (client samples before the push, 3000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startEngine, type Engine, type EngineOptions } from '../src-main/engine';
import { importCdrFile } from '../src-main/ingest/file-import';
import { bareInsertOf } from './pipeline-bare';
import { CLIENT_CALLS, runUiClient, sendRecords, writePipelineFile, type CallWindow, type ClientSamples } from './pipeline-roles';
import { defineBench, percentile, type BenchContext } from './harness';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const FILE_RECORDS = env('PIPELINE_BENCH_RECORDS', 1_000_000);
const TCP_RECORDS = env('PIPELINE_BENCH_TCP_RECORDS', 300_000);
const CONNECTIONS = env('PIPELINE_BENCH_CONNECTIONS', 20);
const INTERVAL_MS = env('PIPELINE_BENCH_INTERVAL_MS', 100);
const IDLE_MS = env('PIPELINE_BENCH_IDLE_MS', 3000);
/** Lines per batch and transaction of the file import (importCdrFile's default), and of the bare insert. */
const BATCH = 5000;
const ADMIN_PASSWORD = 'Bench-password-1';
/** A push that stores nothing new for this long has stalled. */
const STALL_MS = 120_000;

const fmt = (n: number) => n.toLocaleString('en-US');
const load = () => os.loadavg()[0]!.toFixed(2);
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

/**
 * Calls spread over the current month up to two hours ago (a month still open: no statement is closed under them),
 * or over the previous month early in a month.
 */
function callWindow(records: number): CallWindow {
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  let from = monthStart + 86_400_000;
  let to = now.getTime() - 2 * 3_600_000;
  if (to - from < 86_400_000) {
    from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 2);
    to = monthStart - 86_400_000;
  }
  return { from, stepMs: (to - from) / records };
}

/**
 * `false` stores on the engine's own thread (PIPELINE_BENCH_WRITER=inline); otherwise the engine finds its writer
 * thread's script beside the bench bundle (scripts/bench.mjs builds it there, as scripts/build.mjs does for dist/main).
 */
function writerScript(): false | undefined {
  return process.env['PIPELINE_BENCH_WRITER'] === 'inline' ? false : undefined;
}

interface BenchEngine {
  engine: Engine;
  call<T>(method: string, input: unknown): Promise<T>;
  deviceId: number;
  /** Where batches are stored: what `cdrs.import` hands importCdrFile. */
  writer: Parameters<typeof importCdrFile>[0];
  /** The writer's class, for the notes. */
  writerName: string;
}

/** A real engine on `dataDir` (HTTP on 127.0.0.1, the billing interface when asked), set up through its API. */
async function startBenchEngine(dataDir: string, listener: boolean, script: false | undefined): Promise<BenchEngine> {
  // A variable, not a literal: the writer option exists only in engines that have a writer thread.
  const options: EngineOptions & { cdrWriterScript?: string | false } = {
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    cdrListener: listener ? { host: '127.0.0.1', port: 0 } : false,
    adminPassword: ADMIN_PASSWORD,
    consoleLogLevel: 'silent',
    resourcesDir: path.resolve('resources'),
    ...(script !== undefined ? { cdrWriterScript: script } : {}),
  };
  const engine = await startEngine(options);
  try {
    let token: string | undefined;
    const call = async <T>(method: string, input: unknown): Promise<T> =>
      (await engine.dispatcher.call(method, input, { transport: 'internal', address: '127.0.0.1', ...(token ? { token } : {}) })) as T;
    token = (await call<{ token: string }>('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).token;
    // The first start loads the default attribution data in the background: measure after it, not beside it.
    await engine.services.rating.ready();
    const group = await call<{ id: number }>('rateGroups.create', { name: 'Pipeline bench' });
    // `local` and `inter` come with every new group.
    for (const r of [
      { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
      { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
      { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
    ]) {
      await call('rates.create', { rateGroupId: group.id, ...r });
    }
    const enterprise = await call<{ id: number }>('enterprises.create', { name: 'Pipeline Ltd', rateGroupId: group.id, billingMode: 'prepaid' });
    await call('accounts.recharge', { accountId: enterprise.id, amount: '10000000', reason: 'Opening balance of the bench', method: 'transfer' });
    const device = await call<{ id: number }>('devices.create', {
      name: 'Pipeline PBX', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0',
      internationalPrefix: '00', extensionPattern: '8\\d{3}', addresses: ['127.0.0.1'], defaultEnterpriseId: enterprise.id,
    });
    await call('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
    const writer = engine.services.cdrWriter;
    const writerName = writer.constructor.name;
    return { engine, call, deviceId: device.id, writer, writerName };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}

/**
 * Every record sent stored once, rated and charged once, the ledger and statistics checks passing: otherwise the
 * figures would measure something else, and the bench throws. Returns the counts for the notes.
 */
async function checkAllCharged(b: BenchEngine, sent: number, part: string): Promise<string> {
  const db = b.engine.services.db;
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const stored = count('SELECT COUNT(*) FROM cdrs');
  const rated = count("SELECT COUNT(*) FROM cdrs WHERE status = 'rated'");
  const charges = count("SELECT COUNT(*) FROM ledger WHERE kind = 'charge'");
  const rejects = count('SELECT COUNT(*) FROM cdr_rejects');
  const t0 = performance.now();
  const ledger = await b.call<{ ok: boolean; entries: number; ratedWithoutCharge: number; costMismatches: number }>('accounts.verify', {});
  const t1 = performance.now();
  const stats = await b.call<{ ok: boolean; rows: number; cdrs: number; mismatchCount: number }>('stats.verify', {});
  const t2 = performance.now();
  const counts = `sent ${fmt(sent)}, stored ${fmt(stored)}, rated ${fmt(rated)}, charge entries ${fmt(charges)}, rejects ${fmt(rejects)}`;
  if (stored !== sent || rated !== stored || charges !== rated || rejects !== 0 || !ledger.ok || !stats.ok) {
    const reasons = db.prepare("SELECT status, json_extract(status_reason, '$.key') AS reason, COUNT(*) AS n, MIN(callee) AS example FROM cdrs WHERE status <> 'rated' GROUP BY 1, 2").all();
    throw new Error(`${part}: ${counts}; accounts.verify ${JSON.stringify(ledger)}; stats.verify ok ${stats.ok} (${stats.mismatchCount} mismatches); not rated: ${JSON.stringify(reasons)}`);
  }
  return `${counts}; accounts.verify ok (${fmt(ledger.entries)} entries, ${((t1 - t0) / 1000).toFixed(1)} s), stats.verify ok (${fmt(stats.rows)} rollup rows, ${fmt(stats.cdrs)} CDRs, ${((t2 - t1) / 1000).toFixed(1)} s)`;
}

function runChild(role: string, extra: Record<string, string>, ipc = false): ChildProcess {
  return spawn(process.execPath, [process.argv[1]!], {
    env: { ...process.env, PIPELINE_BENCH_ROLE: role, ...extra },
    stdio: ipc ? ['ignore', 'ignore', 'inherit', 'ipc'] : ['ignore', 'ignore', 'inherit'],
  });
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** Runs in a child process when PIPELINE_BENCH_ROLE is set; false in the bench process itself. */
async function runRole(): Promise<boolean> {
  const role = process.env['PIPELINE_BENCH_ROLE'];
  if (!role) return false;
  const window = JSON.parse(process.env['PIPELINE_BENCH_WINDOW']!) as CallWindow;
  if (role === 'generate') writePipelineFile(process.env['PIPELINE_BENCH_FILE']!, FILE_RECORDS, window);
  else if (role === 'send') await sendRecords(env('PIPELINE_BENCH_PORT', 0), CONNECTIONS, TCP_RECORDS, 1, window);
  else if (role === 'client') await runUiClient(process.env['PIPELINE_BENCH_URL']!, 'admin', ADMIN_PASSWORD, INTERVAL_MS);
  else throw new Error(`unknown role ${role}`);
  return true;
}

interface Rate {
  value: number;
  seconds: number;
}

async function fileImportPart(ctx: BenchContext, script: false | undefined): Promise<void> {
  const dir = ctx.tmpDir();
  const file = path.join(dir, 'Master.csv');
  const window = callWindow(FILE_RECORDS);
  const generated = runChild('generate', { PIPELINE_BENCH_FILE: file, PIPELINE_BENCH_WINDOW: JSON.stringify(window) });
  if ((await exitOf(generated)) !== 0) throw new Error('generating the Master.csv failed');
  const megabytes = Math.round(fs.statSync(file).size / 1024 / 1024);
  const dataDir = path.join(dir, 'engine');
  const b = await startBenchEngine(dataDir, false, script);
  let imported: Rate;
  let peak: number;
  let loopP99: number;
  let checked: string;
  let notes: string;
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);
    ctx.resetPeakRss();
    const loadBefore = load();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await importCdrFile(b.writer, {
      device: b.engine.services.devices.get(b.deviceId),
      source: { kind: 'import', name: 'Master.csv' },
      input: fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      batchLines: BATCH,
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    loop.disable();
    peak = Math.round(ctx.peakRssMb());
    loopP99 = loop.percentile(99) / 1e6;
    if (summary.stored !== FILE_RECORDS || summary.rejected || summary.duplicates) throw new Error(`file import: ${JSON.stringify({ ...summary, rejectIds: undefined })}`);
    checked = await checkAllCharged(b, FILE_RECORDS, 'file import');
    imported = { value: Math.round(FILE_RECORDS / seconds), seconds };
    notes =
      `${fmt(FILE_RECORDS)} records (${megabytes} MB Master.csv, 18 columns) through importCdrFile into ${b.writerName}, ` +
      `batches of ${fmt(BATCH)} lines; ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU of the engine process ` +
      `(${fmt(Math.round(FILE_RECORDS / cpu))} records per CPU-second); ${checked}; peak RSS ${peak} MB (RSS ${rssBefore} MB before: engine set up, rating data loaded); ` +
      `load average ${loadBefore} before, ${load()} after, on ${os.cpus().length} CPUs`;
  } finally {
    await b.engine.stop();
  }

  // The denominator: the same rows, as the engine stored them, into a table with only its primary key.
  const loadBefore = load();
  const bare = bareInsertOf(path.join(dataDir, 'billing.db'), path.join(dir, 'bare'), BATCH);
  const bareRate = Math.round(bare.rows / bare.seconds);
  if (bare.rows !== FILE_RECORDS) throw new Error(`bare insert: ${bare.rows} rows, expected ${FILE_RECORDS}`);
  ctx.record({
    name: 'bare better-sqlite3 insert',
    value: bareRate,
    unit: 'rows/s',
    notes:
      `${fmt(bare.rows)} rows of the cdrs table as the engine stored them in the file import (${bare.columns} columns, rated ones ` +
      `included, ${bare.averageBytes} bytes of values per row) into a table with only its primary key, ${bare.pragmas}, ` +
      `transactions of ${fmt(BATCH)} rows; ${bare.seconds.toFixed(1)} s of inserts and commits (reading the rows not counted); ` +
      `load average ${loadBefore} before, ${load()} after. The denominator of the shares below (the TCP push too)`,
  });
  state.bareRate = bareRate;
  const share = Math.round((imported.value / bareRate) * 1000) / 10;
  ctx.record({ name: 'file import with rating and charging', value: imported.value, unit: 'records/s', notes });
  ctx.record({
    name: 'file import with rating and charging, share of the bare insert',
    value: share,
    unit: '%',
    target: '>= 50 %',
    ok: share >= 50,
    notes: `${fmt(imported.value)} records/s over ${fmt(bareRate)} rows/s`,
  });
  ctx.record({ name: 'peak RSS during the file import', value: peak, unit: 'MB', target: '< 300', ok: peak < 300, notes: 'VmHWM of the engine process, reset before the import; the file is streamed from disk' });
  ctx.record({
    name: 'engine main thread event-loop delay p99 during the file import',
    value: Math.round(loopP99 * 10) / 10,
    unit: 'ms',
    notes: 'perf_hooks.monitorEventLoopDelay (10 ms resolution) in the engine process while importCdrFile ran',
  });
  fs.rmSync(file, { force: true });
}

const state = { bareRate: 0 };

async function tcpPushPart(ctx: BenchContext, script: false | undefined): Promise<void> {
  const dir = ctx.tmpDir();
  const b = await startBenchEngine(dir, true, script);
  let client: ChildProcess | undefined;
  let sender: ChildProcess | undefined;
  try {
    const port = b.engine.services.cdrListener!.address!.port;
    const window = JSON.stringify(callWindow(TCP_RECORDS));
    client = runChild('client', { PIPELINE_BENCH_URL: b.engine.http!.url, PIPELINE_BENCH_WINDOW: window }, true);
    const samples = new Promise<ClientSamples>((resolve, reject) => {
      client!.on('message', (m: unknown) => typeof m === 'object' && m && 'samples' in m && resolve((m as { samples: ClientSamples }).samples));
      client!.once('exit', (code) => reject(new Error(`the UI client exited (${code}) before sending its samples`)));
    });
    await new Promise<void>((resolve, reject) => {
      client!.on('message', (m) => m === 'ready' && resolve());
      client!.once('exit', (code) => reject(new Error(`the UI client exited (${code}) before logging in`)));
    });
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));

    const maxId = b.engine.services.db.prepare('SELECT COALESCE(MAX(id), 0) FROM cdrs').pluck();
    const loadBefore = load();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    client.send('load');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    sender = runChild('send', { PIPELINE_BENCH_PORT: String(port), PIPELINE_BENCH_WINDOW: window });
    const senderExit = exitOf(sender);
    // Ids only grow on a fresh database: MAX(id) is the count without a scan beside the load.
    let stored = 0;
    let progressAt = performance.now();
    while (stored < TCP_RECORDS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = maxId.get() as number;
      if (now > stored) progressAt = performance.now();
      else if (performance.now() - progressAt > STALL_MS) throw new Error(`the TCP push stalled at ${fmt(now)} records`);
      stored = now;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    loop.disable();
    const loadAfter = load();
    client.send('stop');
    const measured = await samples;
    if (measured.errors.length) throw new Error(`the UI client's calls failed: ${measured.errors.slice(0, 3).join('; ')}`);
    if ((await senderExit) !== 0) throw new Error('the sender process failed');
    const checked = await checkAllCharged(b, TCP_RECORDS, 'TCP push');
    const rate = Math.round(TCP_RECORDS / seconds);
    const share = Math.round((rate / state.bareRate) * 1000) / 10;
    const name = `TCP push, ${CONNECTIONS} senders at full speed, with rating and charging`;
    ctx.record({
      name,
      value: rate,
      unit: 'records/s',
      notes:
        `${fmt(TCP_RECORDS)} asterisk-csv records from ${CONNECTIONS} connections of a sender process on 127.0.0.1 into the engine's ` +
        `billing interface (stored by ${b.writerName}), first byte to last record committed; ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU of the engine ` +
        `process; a UI client called the API meanwhile; ${checked}; load average ${loadBefore} before, ${loadAfter} after, on ${os.cpus().length} CPUs`,
    });
    ctx.record({ name: `${name}, share of the bare insert`, value: share, unit: '%', target: '>= 40 %', ok: share >= 40, notes: `${fmt(rate)} records/s over ${fmt(state.bareRate)} rows/s` });
    for (const c of CLIENT_CALLS) {
      const during = measured.load[c.name] ?? [];
      const idle = measured.idle[c.name] ?? [];
      if (during.length < 5) throw new Error(`${c.name}: only ${during.length} answers during the push`);
      const p95 = Math.round(percentile(during, 95) * 10) / 10;
      ctx.record({
        name: `${c.name} during the TCP push`,
        value: p95,
        unit: 'ms (p95)',
        target: '< 150',
        ok: p95 < 150,
        notes:
          `over HTTP from a logged-in client process, each call every ${INTERVAL_MS} ms (or after the previous answer): ` +
          `p50 ${percentile(during, 50).toFixed(1)} ms, max ${Math.max(...during).toFixed(0)} ms, ${during.length} calls during the push; ` +
          `before it (idle engine) p50 ${percentile(idle, 50).toFixed(1)} ms, p95 ${percentile(idle, 95).toFixed(1)} ms`,
      });
    }
    ctx.record({
      name: 'engine main thread event-loop delay p99 during the TCP push',
      value: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
      unit: 'ms',
      notes: `perf_hooks.monitorEventLoopDelay (10 ms resolution) in the engine process; p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`,
    });
  } finally {
    if (client && client.exitCode === null) client.kill();
    if (sender && sender.exitCode === null) sender.kill();
    await b.engine.stop();
  }
}

export default defineBench('pipeline', async (ctx) => {
  if (await runRole()) return;
  ctx.log(`sizes: file ${fmt(FILE_RECORDS)}, TCP ${fmt(TCP_RECORDS)} over ${CONNECTIONS} connections; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const script = writerScript();
  await fileImportPart(ctx, script);
  await tcpPushPart(ctx, script);
});
