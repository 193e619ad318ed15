/**
 * Statistics, dashboard and bills at 10,000,000 CDRs (200 enterprises, 20,000 users, 50 gateways, 6 months), and the
 * charging throughput with the rollups.
 * - The 10M database comes from bench/generate-cdrs.ts: written directly with the real schema and the real rollup
 *   writer, not through the import path (cached in bench/tmp). It is only read here.
 * - Charging: 1,000,000 Asterisk records (written by a child process) imported through importCdrFile into a fresh
 *   engine: parse, store, classify, rate, find the payer (20,000 users by extension, 50 gateways by trunk), ledger
 *   entry, rollups, caller sightings; one transaction per batch of 5,000 lines.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src-main/db/connection';
import { EventBus } from '../src-main/events';
import { IngestStatus } from '../src-main/ingest/status';
import { createLogger } from '../src-main/log';
import { SettingsService } from '../src-main/settings/service';
import { BackupService } from '../src-main/system/backup/backup-service';
import { BillingService } from '../src-main/bills/service';
import { dashboard } from '../src-main/statistics/dashboard';
import { readRollupState } from '../src-main/statistics/rollup-repository';
import { registerStatsFunctions, verifyRollups } from '../src-main/statistics/recount';
import { statsSeries } from '../src-main/statistics/series';
import { statsTable } from '../src-main/statistics/tables';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import type { Services } from '../src-main/services';
import { cdrDataset } from './generate-cdrs';
import { chargingImportBench, writeChargingFile } from './stats-charging';
import { defineBench, percentile, type BenchContext, type BenchFigure } from './harness';

const RUNS = 15;

function measure(ctx: BenchContext, name: string, target: number | null, notes: string, fn: () => unknown): void {
  fn(); // warm: statements prepared, pages in the cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const p95 = Math.round(percentile(times, 95) * 10) / 10;
  const median = Math.round(percentile(times, 50) * 10) / 10;
  ctx.record({
    name,
    value: p95,
    unit: 'ms (p95)',
    ...(target !== null ? { target: `< ${target}`, ok: p95 < target } : {}),
    notes: `median ${median} ms over ${RUNS} runs after one warm-up; ${notes}`,
  });
}

export default defineBench('stats', async (ctx) => {
  const generate = process.env['STATS_BENCH_GENERATE'];
  if (generate) return writeChargingFile(generate);
  const chargeIn = process.env['STATS_BENCH_CHARGE'];
  if (chargeIn) return chargeInThisProcess(ctx, chargeIn);

  // STATS_BENCH_SMALL=1: a small data set, to try the bench itself quickly.
  const small = process.env['STATS_BENCH_SMALL'] ? { cdrs: 200_000, enterprises: 20, users: 2000, gateways: 5, devices: 4 } : {};
  const data = await cdrDataset(small, ctx.log);
  ctx.log(`dataset: ${JSON.stringify(data.counts)} (generated in ${data.generatedSeconds} s)`);
  const store = openStore(data.dataDir);
  const db = store.sqlite;
  registerStatsFunctions(db);
  const state = readRollupState(db);
  const zone = data.options.timeZone;
  const calendar = calendarOf(zone);
  const month = data.months[data.months.length - 1]!;
  const { from, to } = calendar.monthRange(month);
  const size = `${data.counts.cdrs.toLocaleString('en-US')} CDRs, ${data.counts.statsRows.toLocaleString('en-US')} rollup rows, ${month} in ${zone}`;
  const table = (kind: 'enterprise' | 'user' | 'gateway', enterpriseId?: number, timeZone = zone, period = { from, to }) =>
    statsTable(db, state, kind, { ...period, timeZone, ...(enterpriseId ? { enterpriseId } : {}), sort: 'total.amount', order: 'desc', limit: 5000 }).table;

  const all = table('enterprise');
  ctx.log(`one month, all enterprises: ${all.totalRows} rows, ${all.totals.total.calls} calls, ${all.totals.total.amount}`);
  measure(ctx, 'stats.enterprise: one month, all 200 enterprises', 50, `${size}; ${all.totals.total.calls.toLocaleString('en-US')} calls; source ${all.source.kind}`, () => table('enterprise'));
  const biggest = data.enterpriseIds[0]!;
  const users = table('user', biggest);
  measure(ctx, "stats.user: one month, one enterprise's users", 50, `${size}; the busiest enterprise: ${users.totalRows} users, ${users.totals.total.calls.toLocaleString('en-US')} calls`, () => table('user', biggest));
  measure(ctx, 'stats.gateway: one month, all gateways', 50, size, () => table('gateway'));
  measure(ctx, 'stats.user: one month, all 20,000 users', 50, `${size}; every user's rows of the month through the (kind, day) index`, () => table('user'));
  const berlin = calendarOf('Europe/Berlin').monthRange(month);
  const mixed = table('enterprise', undefined, 'Europe/Berlin', berlin);
  measure(ctx, 'stats.enterprise: one month in another zone (Europe/Berlin)', 50, `${size}; whole days from the rollups, the ${mixed.source.scanned.length} part days at the ends from the CDRs (source ${mixed.source.kind})`, () =>
    table('enterprise', undefined, 'Europe/Berlin', berlin),
  );
  measure(ctx, 'stats.series: one month per day, all enterprises', 50, size, () => statsSeries(db, state, { from, to, timeZone: zone, kind: 'enterprise' }));
  measure(ctx, 'stats.series: one month per day in another zone (CDR scan)', 50, `${size}; days of Europe/Berlin do not match the rollup days: every CDR of the month is read`, () =>
    statsSeries(db, state, { from: berlin.from, to: berlin.to, timeZone: 'Europe/Berlin', kind: 'enterprise' }),
  );

  // The dashboard as of the last evening of the data.
  const now = to - 4 * 3_600_000;
  const settings = new SettingsService(db, () => now);
  const events = new EventBus();
  const log = createLogger({ dir: ctx.tmpDir(), consoleLevel: 'silent' });
  const services = {
    db,
    now: () => now,
    statistics: { rollups: { current: state } },
    ingestStatus: new IngestStatus(db, events, () => now),
    backups: new BackupService({ db, dataDir: ctx.tmpDir(), settings, events, log, now: () => now, version: 'bench' }),
  } as unknown as Services;
  measure(ctx, 'stats.dashboard', 50, `${size}; today, yesterday, the month, top enterprises of the day and the month, alerts (unrated: ${data.counts.unrated.toLocaleString('en-US')}), ingest status`, () => dashboard(services, zone));

  const bills = new BillingService({ db, log, now: () => now, timeZone: () => zone });
  measure(ctx, "bills.get: one enterprise's open month from the ledger", null, `${size}; the busiest enterprise, charges joined with their CDRs for the call types`, () => bills.get(biggest, month));
  measure(ctx, 'bills.list: all enterprises, open month', null, `${size}; ${(data.counts.ledger / data.months.length).toLocaleString('en-US')} ledger entries a month summed from the (account, at, kind, amount) index`, () => bills.list(month));

  const t0 = performance.now();
  const check = await verifyRollups(db, now);
  const verifySeconds = (performance.now() - t0) / 1000;
  if (!check.ok) throw new Error(`stats.verify found ${check.mismatchCount} mismatches on the generated data`);
  ctx.record({ name: 'stats.verify: rollups against a full recount', value: Math.round(verifySeconds * 10) / 10, unit: 's', notes: `${check.cdrs.toLocaleString('en-US')} rated CDRs, ${check.rows.toLocaleString('en-US')} rollup rows, all equal` });
  log.close();
  store.close();

  // Charging throughput, 1,000,000 records through the import path: the file is written by one child process and
  // imported by another, so neither the file nor what the 10M queries above left in memory counts in its peak RSS.
  const dir = ctx.tmpDir();
  const file = path.join(dir, 'Master.csv');
  const child = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--expose-gc', process.argv[1]!], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (child({ STATS_BENCH_GENERATE: file }).status !== 0) throw new Error('writing the charging file failed');
  if (child({ STATS_BENCH_CHARGE: dir }).status !== 0) throw new Error('the charging import failed');
  for (const figure of JSON.parse(fs.readFileSync(path.join(dir, 'figures.json'), 'utf8')) as BenchFigure[]) ctx.record(figure);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The child process of the charging import: its figures go to `<dir>/figures.json` for the parent to record. */
async function chargeInThisProcess(ctx: BenchContext, dir: string): Promise<void> {
  const figures: BenchFigure[] = [];
  await chargingImportBench(
    { ...ctx, record: (f) => figures.push(f) },
    path.join(dir, 'Master.csv'),
    path.join(dir, 'data'),
    `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
  );
  fs.writeFileSync(path.join(dir, 'figures.json'), JSON.stringify(figures));
}
