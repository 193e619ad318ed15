/**
 * Ingestion end to end: parse + normalize + store.
 * - File import of 1,000,000 generated Asterisk Master.csv records (18 columns with uniqueid) through importCdrFile
 *   into a real billing.db (WAL, synchronous=FULL), one transaction per batch: target >= 100,000 records/s, peak RSS
 *   < 300 MB.
 * - TCP push into the billing interface listener with 1, 5 and 20 concurrent connections (senders in another
 *   process): target >= 20,000 records/s sustained at 20 connections.
 * Storage only: no charging processor is installed (rating has its own bench).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../src-main/db/connection';
import { DeviceRepository } from '../src-main/devices/repository';
import { EventBus } from '../src-main/events';
import { createLogger } from '../src-main/log';
import { SecretBox } from '../src-main/secrets';
import { SettingsService } from '../src-main/settings/service';
import { importCdrFile } from '../src-main/ingest/file-import';
import { IngestStatus } from '../src-main/ingest/status';
import { CdrStore } from '../src-main/ingest/store';
import { CdrTcpListener } from '../src-main/ingest/tcp-listener';
import { SftpFileProgress } from '../src-main/ingest/sftp-repository';
import { InlineCdrWriter } from '../src-main/ingest/writer/cdr-writer';
import { defineBench } from './harness';

const FILE_RECORDS = 1_000_000;
const TCP_RECORDS = 300_000;
const CONNECTIONS = [1, 5, 20];
const EXTENSIONS = ['8001', '8002', '8003', '8004', '8005'];
const NAMES = ['Li Wei', 'Zhang, Min', 'Wang Fang', '赵磊', 'O"Brien'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** One cdr_csv line with uniqueid and userfield (18 columns); every 10th call unanswered; `seed` keeps runs apart. */
function asteriskLine(i: number, seed: number): string {
  const ext = EXTENSIONS[i % EXTENSIONS.length]!;
  const name = NAMES[i % NAMES.length]!.replace(/"/g, '""');
  const dialled = `9${i % 3 === 0 ? '0' : ''}${13800000000 + (i % 9_999_999)}`;
  const start = Date.UTC(2026, 0, 1) + seed * 86_400_000 + i * 31_000;
  const answered = i % 10 !== 0;
  const billsec = answered ? 20 + (i % 600) : 0;
  const answer = answered ? `"${localStamp(start + 5000)}"` : '';
  return [
    '"ent-a"', `"${ext}"`, `"${dialled}"`, '"from-internal"', `"""${name}"" <${ext}>"`, `"PJSIP/${ext}-${pad(i % 65536, 8)}"`,
    `"PJSIP/trunk-cn-${pad(i % 65536, 8)}"`, '"Dial"', `"PJSIP/${dialled.slice(1)}@trunk-cn,60"`, `"${localStamp(start)}"`, answer,
    `"${localStamp(start + (5 + billsec) * 1000)}"`, String(5 + billsec), String(billsec), answered ? '"ANSWERED"' : '"NO ANSWER"',
    '"DOCUMENTATION"', `"${1767225600 + seed * 10_000_000 + i}.${i}"`, '""',
  ].join(',');
}

function writeSampleFile(file: string, records: number): void {
  const fd = fs.openSync(file, 'w');
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    lines.push(asteriskLine(i, 0));
    if (lines.length === 10_000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
}

/** Sender process: `connections` sockets, each sending its share of `records` lines as fast as the server takes them. */
async function sendInThisProcess(port: number, connections: number, records: number, seed: number): Promise<void> {
  const perConnection = Math.ceil(records / connections);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      for (let i = 0; i < perConnection; i += 500) {
        const lines: string[] = [];
        for (let j = i; j < Math.min(i + 500, perConnection); j++) lines.push(asteriskLine(c * perConnection + j, seed));
        if (!socket.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => socket.once('drain', resolve));
      }
      await new Promise<void>((resolve) => socket.end(resolve));
    }),
  );
}

function runChild(env: Record<string, string>): ReturnType<typeof spawn> {
  return spawn(process.execPath, [process.argv[1]!], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Setup {
  store: Store;
  cdrWriter: InlineCdrWriter;
  deviceId: number;
  settings: SettingsService;
  devices: DeviceRepository;
  status: IngestStatus;
  events: EventBus;
}

function setupStore(dir: string): Setup {
  const store = openStore(dir);
  const now = Date.now;
  const events = new EventBus();
  const status = new IngestStatus(store.sqlite, events, now);
  const deviceId = Number(
    store.sqlite
      .prepare(
        `INSERT INTO devices (name, format, time_zone, country_code, area_code, national_prefix, international_prefix,
           extension_pattern, addresses, created_at, updated_at)
         VALUES ('Bench PBX', 'asterisk-csv', 'Europe/Berlin', '49', '30', '0', '00', '8\\d{3}', '["127.0.0.1"]', ?, ?)`,
      )
      .run(now(), now()).lastInsertRowid,
  );
  return {
    store,
    // Storage only: no charging installed; the engine's thread (the writer thread's cost is the pipeline bench's).
    cdrWriter: new InlineCdrWriter({ db: store.sqlite, cdrStore: new CdrStore(store.sqlite, now, status), sftpProgress: new SftpFileProgress(store.sqlite, now), now }),
    deviceId,
    settings: new SettingsService(store.sqlite, now),
    devices: new DeviceRepository(store.sqlite, new SecretBox(dir)),
    status,
    events,
  };
}

export default defineBench('ingest', async (ctx) => {
  const generate = process.env['INGEST_BENCH_GENERATE'];
  if (generate) return writeSampleFile(generate, FILE_RECORDS);
  const send = process.env['INGEST_BENCH_SEND'];
  if (send) {
    const [port, connections, records, seed] = send.split(',').map(Number) as [number, number, number, number];
    return sendInThisProcess(port, connections, records, seed);
  }

  // File import.
  const dir = ctx.tmpDir();
  const file = path.join(dir, 'Master.csv');
  const generated = spawnSync(process.execPath, [process.argv[1]!], {
    env: { ...process.env, INGEST_BENCH_GENERATE: file },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (generated.status !== 0) throw new Error('generating the sample file failed');
  const megabytes = (fs.statSync(file).size / 1024 / 1024).toFixed(0);
  const setup = setupStore(path.join(dir, 'data'));
  const device = setup.devices.get(setup.deviceId);
  (globalThis as { gc?: () => void }).gc?.();
  ctx.resetPeakRss();
  const load = os.loadavg()[0]!.toFixed(1);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await importCdrFile(setup.cdrWriter, {
    device,
    source: { kind: 'import', name: 'Master.csv' },
    input: fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // Records per second of CPU this process used: what the import would reach alone on the machine.
  const perCpuSecond = Math.round(FILE_RECORDS / ((cpu.user + cpu.system) / 1e6));
  if (summary.stored !== FILE_RECORDS) throw new Error(`expected ${FILE_RECORDS} stored, got ${JSON.stringify(summary)}`);
  const rate = Math.round(FILE_RECORDS / seconds);
  const peak = Math.round(ctx.peakRssMb());
  const dbMb = Math.round(fs.statSync(setup.store.file).size / 1024 / 1024 + fs.statSync(`${setup.store.file}-wal`).size / 1024 / 1024);
  ctx.record({
    name: 'file import, asterisk-csv 18 columns: parse + normalize + store',
    value: rate,
    unit: 'records/s',
    target: '>= 100000',
    ok: rate >= 100_000,
    notes: `1,000,000 records (${megabytes} MB) through importCdrFile into billing.db (WAL, synchronous=FULL), batches of 5,000 lines, one transaction each; ${seconds.toFixed(2)} s; database ${dbMb} MB; no charging processor; load average ${load} on ${os.cpus().length} CPUs; ${perCpuSecond.toLocaleString('en-US')} records per CPU-second of this process`,
  });
  ctx.record({ name: 'peak RSS during the file import', value: peak, unit: 'MB', target: '< 300', ok: peak < 300 });
  setup.store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // TCP push.
  for (const connections of CONNECTIONS) {
    const tcpDir = ctx.tmpDir();
    const tcp = setupStore(tcpDir);
    const log = createLogger({ dir: path.join(tcpDir, 'logs'), consoleLevel: 'silent' });
    const listener = new CdrTcpListener(
      { db: tcp.store.sqlite, settings: tcp.settings, devices: tcp.devices, cdrWriter: tcp.cdrWriter, ingestStatus: tcp.status, events: tcp.events, log, now: Date.now },
      { host: '127.0.0.1', port: 0 },
    );
    await listener.start();
    const count = tcp.store.sqlite.prepare('SELECT COUNT(*) FROM cdrs').pluck();
    const tcpLoad = os.loadavg()[0]!.toFixed(1);
    const t0 = performance.now();
    const sender = runChild({ INGEST_BENCH_SEND: `${listener.address!.port},${connections},${TCP_RECORDS},${connections}` });
    const senderExit = new Promise<number | null>((resolve) => sender.on('exit', resolve));
    while ((count.get() as number) < TCP_RECORDS) {
      if (performance.now() - t0 > 300_000) throw new Error(`TCP bench stalled at ${count.get() as number} records`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const tcpSeconds = (performance.now() - t0) / 1000;
    if ((await senderExit) !== 0) throw new Error('the sender process failed');
    await listener.stop();
    log.close();
    tcp.store.close();
    const tcpRate = Math.round(TCP_RECORDS / tcpSeconds);
    ctx.record({
      name: `TCP push, ${connections} concurrent connection${connections > 1 ? 's' : ''}: parse + normalize + store`,
      value: tcpRate,
      unit: 'records/s',
      ...(connections === 20 ? { target: '>= 20000', ok: tcpRate >= 20_000 } : {}),
      notes: `${TCP_RECORDS.toLocaleString('en-US')} asterisk-csv records from a sender process on 127.0.0.1, from the first byte to the last record committed (group commit, synchronous=FULL); ${tcpSeconds.toFixed(2)} s; load average ${tcpLoad}`,
    });
  }
});
