import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/engine';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function startServer(args: string[], env: Record<string, string> = {}) {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', dataDir, '--http-port', '0', ...args], {
    env: { ...process.env, BILLING_ADMIN_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /Open (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 20);
    void exit.then((code) => {
      clearInterval(poll);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
  return { child, dataDir, ready, exit, output: () => out };
}

const portOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const s = net.connect(Number(port), hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('headless server process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('says where to go, then shuts down cleanly on %s', async (signal) => {
    const s = startServer([]);
    const url = await s.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/system.ping`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    s.child.kill(signal);
    expect(await s.exit).toBe(0);
    expect(await portOpen(url)).toBe(false);
    // The database was closed cleanly: the WAL was checkpointed and truncated.
    const wal = path.join(s.dataDir, 'billing.db-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    const db = new Database(path.join(s.dataDir, 'billing.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('prints a generated admin password once on the first start, and never again', async () => {
    const first = startServer([]);
    await first.ready;
    expect(first.output()).toMatch(/password [A-Za-z0-9]{16} \(shown once/);
    first.child.kill('SIGTERM');
    await first.exit;
    const again = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', first.dataDir, '--http-port', '0'], {
      env: { ...process.env, BILLING_ADMIN_PASSWORD: '' },
    });
    let out = '';
    again.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((r) => {
      const i = setInterval(() => out.includes('Open http') && (clearInterval(i), r()), 20);
    });
    again.kill('SIGTERM');
    await new Promise((r) => again.on('exit', r));
    expect(out).not.toMatch(/shown once/);
  });

  it('refuses a bad port with a clear message', async () => {
    const s = startServer(['--http-port', 'eighty']);
    await expect(s.ready).rejects.toThrow(/--http-port must be a port number/);
    expect(await s.exit).toBe(1);
  });
});
