/**
 * Retention purge of 1,500,000 old CDRs while the engine keeps writing (issue: no write blocked for more than 200 ms).
 *
 * The CDRs come from bench/generate-cdrs.ts (real schema, rated, with ledger and rollups; cached in bench/tmp), four
 * months that all lie before the retention cut-off (6 months before today). A copy is opened by the real engine and
 * `system.purge` runs through the dispatcher: per month a gzip CSV archive, read back and checked, then deletes of
 * 1,000 CDRs per transaction with a pause between them. Meanwhile a writer on the engine's connection commits 50 rows
 * per transaction back to back, yielding to the event loop between commits, as ingestion does: the longest gap
 * between two of its commits is the longest a write waited on the purge. The writer runs 15 s before the baseline is
 * taken: the engine's start-up work on a database it has not seen (first count, default attribution) disturbs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startEngine } from '../src-main/engine';
import type { PurgeResult } from '../src-shared/api/retention';
import { cdrDataset } from './generate-cdrs';
import { defineBench, peakRssMb, percentile, resetPeakRss } from './harness';

const CDRS = Number(process.env['PURGE_BENCH_CDRS'] ?? 1_500_000);
const ADMIN_PASSWORD = 'Bench-password-1';
const WRITE_BATCH = 50;
const BASELINE_MS = 5000;

export default defineBench('purge', async (ctx) => {
  const data = await cdrDataset({ cdrs: CDRS, enterprises: 50, users: 5000, gateways: 10, devices: 5, months: 4, endMonth: '2026-05' }, ctx.log);
  const dataDir = ctx.tmpDir();
  fs.copyFileSync(data.file, path.join(dataDir, 'billing.db'));
  const engine = await startEngine({ dataDir, http: false, cdrListener: false, adminPassword: ADMIN_PASSWORD, consoleLogLevel: 'silent', resourcesDir: path.resolve('resources') });
  try {
    const call = async <T>(method: string, input: unknown, token?: string): Promise<T> =>
      (await engine.dispatcher.call(method, input, { transport: 'internal', address: 'bench', ...(token ? { token } : {}) })) as T;
    const { token } = await call<{ token: string }>('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    await engine.services.rating.ready();
    const db = engine.services.db;
    const cdrsBefore = db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
    const balancesBefore = db.prepare('SELECT SUM(balance) FROM accounts').pluck().get() as number;

    db.exec('CREATE TABLE bench_writes (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, payload TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_writes (at, payload) VALUES (?, ?)');
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < WRITE_BATCH; i++) insert.run(Date.now(), `"8001","0101234${n + i}","ANSWERED",61`);
    });
    const commits: number[] = [];
    let running = true;
    const writer = (async () => {
      for (let n = 0; running; n += WRITE_BATCH) {
        batch(n);
        commits.push(performance.now());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(Number(process.env['PURGE_BENCH_WARMUP_MS'] ?? 15_000));
    const baselineFrom = performance.now();
    await sleep(BASELINE_MS);
    resetPeakRss();
    const purgeFrom = performance.now();
    const result = await call<PurgeResult>('system.purge', {}, token);
    const purgeTo = performance.now();
    running = false;
    await writer;

    const gapsIn = (from: number, to: number) => {
      const inside = commits.filter((c) => c >= from && c <= to);
      const gaps = inside.slice(1).map((c, i) => c - inside[i]!);
      const longest = gaps.reduce((a, b) => Math.max(a, b), Math.max(inside[0]! - from, to - inside[inside.length - 1]!));
      return { gaps, longest, rowsPerSecond: (inside.length * WRITE_BATCH) / ((to - from) / 1000) };
    };
    const during = gapsIn(purgeFrom, purgeTo);
    const baseline = gapsIn(baselineFrom, purgeFrom);
    const cdrsAfter = db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
    const balancesAfter = db.prepare('SELECT SUM(balance) FROM accounts').pluck().get() as number;
    const ledger = await call<{ ok: boolean }>('accounts.verify', {}, token);
    const stats = await engine.services.statistics.verify();
    if (result.deleted !== CDRS || result.archived !== CDRS || cdrsAfter !== cdrsBefore - CDRS) {
      throw new Error(`purge deleted ${result.deleted}, archived ${result.archived}; CDRs ${cdrsBefore} -> ${cdrsAfter}`);
    }
    if (balancesAfter !== balancesBefore || !ledger.ok || !stats.ok) throw new Error(`after the purge: balances ${balancesBefore} -> ${balancesAfter}, ledger check ${ledger.ok}, statistics check ${stats.ok}`);

    ctx.log(`writer before the purge: ${Math.round(baseline.rowsPerSecond)} rows/s, longest gap ${baseline.longest.toFixed(1)} ms`);
    const seconds = (purgeTo - purgeFrom) / 1000;
    const archiveMb = result.months.reduce((sum, m) => sum + m.bytes, 0) / 1024 / 1024;
    const subject = `${CDRS.toLocaleString('en-US')} rated CDRs of ${result.months.length} months (generated, real schema with its indexes) purged by system.purge`;
    ctx.record({
      name: 'purge: longest wait of a write',
      value: Math.round(during.longest * 10) / 10,
      unit: 'ms',
      target: '< 200',
      ok: during.longest < 200,
      notes: `${subject}; writer commits ${WRITE_BATCH} rows per transaction on the engine's connection; p99 gap ${percentile(during.gaps, 99).toFixed(1)} ms; before the purge the longest gap was ${baseline.longest.toFixed(1)} ms`,
    });
    ctx.record({
      name: 'purge: writer throughput during the purge',
      value: Math.round(during.rowsPerSecond),
      unit: 'rows/s',
      notes: `${Math.round(baseline.rowsPerSecond).toLocaleString('en-US')} rows/s before it (synchronous=FULL, one fsync per commit)`,
    });
    ctx.record({
      name: 'purge: archive, check and delete',
      value: Math.round(seconds * 10) / 10,
      unit: 's',
      notes: `${Math.round(CDRS / seconds).toLocaleString('en-US')} CDRs/s; ${archiveMb.toFixed(0)} MB of gzip CSV; balances, ledger check and statistics check unchanged after it`,
    });
    ctx.record({ name: 'purge: peak RSS', value: Math.round(peakRssMb()), unit: 'MB', notes: 'of the engine process during the purge (the ids of a month are kept until its deletes)' });
  } finally {
    await engine.stop();
  }
});
