/**
 * Exactly once across a crash: the built server (dist/main/server.cjs) is killed with SIGKILL in the middle of a
 * large import and of a TCP stream, started again on the same data folder, and the device sends everything again
 * from the start. Every record must then be stored exactly once: the count and the dedup keys match the source.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../src-shared/api/devices';
import { openStore } from '../src-main/db/connection';
import { deviceContextOf } from '../src-main/devices/repository';
import { parseCdrText } from '../src-main/ingest/adapters/registry';
import { tempDir } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { freePort, waitFor } from './ingest-helpers';

const ADMIN_PASSWORD = 'Crash-Admin-123';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** `count` distinct Asterisk Master.csv records (one call per second from 2026-06-01 08:00 local time). */
function asteriskRecords(count: number): string {
  const lines: string[] = [];
  const base = Date.UTC(2026, 5, 1, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    const start = new Date(base + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const end = new Date(base + i * 1000 + 65_000).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(
      `"","80${String(i % 100).padStart(2, '0')}","9138${String(i).padStart(8, '0')}","from-internal","<8001>","PJSIP/8001-${i.toString(16)}",` +
        `"PJSIP/trunk-${i.toString(16)}","Dial","","${start}","${start}","${end}",65,65,"ANSWERED","DOCUMENTATION","1780000000.${i}",""`,
    );
  }
  return `${lines.join('\n')}\n`;
}

class ServerProcess {
  child!: ChildProcess;
  output = '';
  url = '';
  token = '';

  constructor(
    readonly dataDir: string,
    readonly httpPort: number,
  ) {}

  async start(): Promise<void> {
    this.output = '';
    this.child = spawn(
      process.execPath,
      ['dist/main/server.cjs', '--data-dir', this.dataDir, '--http-host', '127.0.0.1', '--http-port', String(this.httpPort)],
      { env: { ...process.env, BILLING_ADMIN_PASSWORD: ADMIN_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const child = this.child;
    cleanups.push(() => child.kill('SIGKILL'));
    await waitFor('the server to start', () => {
      if (child.exitCode !== null) throw new Error(`the server exited: ${this.output}`);
      return /Open (http:\/\/[^\s/]+)\//.test(this.output);
    }, 120_000);
    this.url = /Open (http:\/\/[^\s/]+)\//.exec(this.output)![1]!;
    this.token = ((await this.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })) as { token: string }).token;
  }

  async call(method: string, input: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** A data folder whose billing interface listens on 127.0.0.1:`cdrPort` from the first start. */
function dataDirWithCdrPort(cdrPort: number): string {
  const dir = tempDir('billing-crash-');
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const store = openStore(dir);
  store.sqlite
    .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
    .run('billingInterface', JSON.stringify({ host: '127.0.0.1', cdrPort }), Date.now());
  store.close();
  return dir;
}

/** Reads the stored dedup keys of a device from the data folder (read-only, beside the running server). */
function storedKeys(dataDir: string, deviceId: number): string[] {
  const db = new Database(path.join(dataDir, 'billing.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT dedup_key FROM cdrs WHERE device_id = ?').pluck().all(deviceId) as string[];
  } finally {
    db.close();
  }
}

function storedCount(dataDir: string, deviceId: number): number {
  const db = new Database(path.join(dataDir, 'billing.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(deviceId) as number;
  } finally {
    db.close();
  }
}

function expectExactlyOnce(dataDir: string, device: Device, source: string, total: number): void {
  const expected = parseCdrText('asterisk-csv', source, deviceContextOf(device)).cdrs.map((c) => c.dedupKey);
  expect(new Set(expected).size).toBe(total);
  const stored = storedKeys(dataDir, device.id);
  expect(stored).toHaveLength(total);
  expect(new Set(stored)).toEqual(new Set(expected));
}

describe('exactly once across a crash (SIGKILL)', () => {
  it('a large import killed halfway, imported again from the start', async () => {
    const total = 120_000;
    const source = asteriskRecords(total);
    const server = new ServerProcess(dataDirWithCdrPort(await freePort()), await freePort());
    await server.start();
    const device = (await server.call('devices.create', beijingDevice({ addresses: [] }))) as Device;
    const input = { deviceId: device.id, fileName: 'Master.csv', content: Buffer.from(source).toString('base64') };

    const firstImport = server.call('cdrs.import', input).catch((error: unknown) => error);
    await waitFor('part of the import to be committed', () => storedCount(server.dataDir, device.id) > 0, 180_000);
    await server.kill();
    expect(await firstImport).toBeInstanceOf(Error);
    const atCrash = storedCount(server.dataDir, device.id);
    expect(atCrash).toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(total);

    await server.start();
    const again = (await server.call('cdrs.import', input)) as { stored: number; duplicates: number; received: number };
    expect(again).toMatchObject({ received: total, stored: total - atCrash, duplicates: atCrash });
    await server.stop();
    expectExactlyOnce(server.dataDir, device, source, total);
  }, 300_000);

  it('a TCP stream cut by the crash, sent again from the start after the restart', async () => {
    const total = 60_000;
    const source = asteriskRecords(total);
    const cdrPort = await freePort();
    const server = new ServerProcess(dataDirWithCdrPort(cdrPort), await freePort());
    await server.start();
    const device = (await server.call('devices.create', beijingDevice({ addresses: ['127.0.0.1'] }))) as Device;

    // The device streams its records; the server is killed while they arrive.
    const first = net.connect(cdrPort, '127.0.0.1');
    first.on('error', () => {});
    const data = Buffer.from(source);
    let sent = 0;
    const pump = async () => {
      while (sent < data.length && !first.destroyed) {
        const piece = data.subarray(sent, sent + 8192);
        sent += piece.length;
        if (!first.write(piece)) await new Promise((resolve) => first.once('drain', resolve).once('close', resolve));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    const pumping = pump();
    await waitFor('part of the stream to be committed', () => storedCount(server.dataDir, device.id) > 5000, 180_000);
    await server.kill();
    await pumping;
    const atCrash = storedCount(server.dataDir, device.id);
    expect(atCrash).toBeLessThan(total);

    // After the restart the device connects again and re-sends everything.
    await server.start();
    const again = net.connect(cdrPort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => again.once('connect', resolve).once('error', reject));
    await new Promise<void>((resolve) => again.end(data, () => resolve()));
    await waitFor('the whole stream to be stored', () => storedCount(server.dataDir, device.id) === total, 180_000);
    await server.stop();
    expectExactlyOnce(server.dataDir, device, source, total);
  }, 300_000);
});
