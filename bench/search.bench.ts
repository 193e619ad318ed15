/**
 * CDR search and export at a large site's size: the 10,000,000-CDR database of bench/generate-cdrs.ts (200
 * enterprises, 20,000 users, 50 gateways, 20 devices, 6 months), opened read-only.
 * - cdrs.search first page (50 rows, names joined) for each single filter and three common combinations, with a
 *   different value each run (another enterprise, user, day...): p95 < 50 ms each.
 * - exports.cdrs of 1,000,000 CDRs (a period) to .xlsx: >= 100,000 rows/s and peak RSS < 400 MB; .csv for reference.
 */
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CdrFilter } from '../src-shared/api/cdrs';
import type { CallContext } from '../src-main/api/call-context';
import { planCdrQuery } from '../src-main/cdrs/repository';
import { ExportJobs } from '../src-main/cdrs/export-jobs';
import { exportCdrs } from '../src-main/cdrs/export';
import { searchCdrs } from '../src-main/cdrs/search';
import { EventBus } from '../src-main/events';
import { DownloadRegistry } from '../src-main/downloads/registry';
import { createLogger } from '../src-main/log';
import type { Services } from '../src-main/services';
import { cdrDataset, type CdrDataset } from './generate-cdrs';
import { defineBench, percentile, type BenchContext } from './harness';
import { measureIndexCost } from './search-index-cost';

const RUNS = 40;
/** The machine is shared: its load goes with each figure. */
const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const DAY = 86_400_000;
const EXPORT_ROWS = 1_000_000;
/** A smaller dataset for a trial run of the bench itself (SEARCH_BENCH_CDRS=200000); the figures are for 10M. */
const DATASET_CDRS = Number(process.env.SEARCH_BENCH_CDRS ?? 10_000_000);

type Case = [name: string, filter: (run: number) => CdrFilter];

function cases(d: CdrDataset): Case[] {
  const pick = <T>(list: T[], run: number) => list[(run * 7919) % list.length]!;
  const day = (run: number) => d.to - (1 + ((run * 37) % 170)) * DAY;
  const month = (run: number) => d.to - (1 + (run % 5)) * 30 * DAY;
  const usersPerEnterprise = Math.floor(d.options.users / d.options.enterprises);
  const user = (run: number) => pick(d.firstUserIds, run) + ((run * 13) % usersPerEnterprise);
  // Extension numbers of the generator: 8000 + slot * users per enterprise + user index.
  const extension = (run: number) => String(8000 + ((run * 131) % (usersPerEnterprise * Math.ceil(d.options.enterprises / d.options.devices))));
  return [
    ['none (latest calls)', () => ({})],
    ['period: one day', (r) => ({ from: day(r), to: day(r) + DAY })],
    ['device', (r) => ({ deviceId: pick(d.deviceIds, r) })],
    ['enterprise', (r) => ({ enterpriseId: pick(d.enterpriseIds, r) })],
    ['user', (r) => ({ userAccountId: user(r) })],
    ['gateway', (r) => ({ gatewayId: pick(d.gatewayIds, r) })],
    ['caller: one extension', (r) => ({ caller: extension(r) })],
    ['caller: prefix of 2 digits', (r) => ({ caller: `8${r % 10}` })],
    ['callee: prefix (mobile 138)', () => ({ callee: '9138' })],
    ['callee: prefix (international, UK)', () => ({ callee: '90044' })],
    ['callee: prefix (one subscriber)', (r) => ({ callee: `9021${String(r * 104_729).padStart(8, '0').slice(0, 6)}` })],
    ['call type: international', () => ({ callType: 'international' })],
    ['call type: local', () => ({ callType: 'local' })],
    ['disposition: busy', () => ({ disposition: 'busy' })],
    ['status: unrated', () => ({ status: 'unrated' })],
    ['status: rated', () => ({ status: 'rated' })],
    ['cost at least 10.00', () => ({ costMin: 100_000 })],
    ['cost between 1.00 and 2.00', () => ({ costMin: 10_000, costMax: 20_000 })],
    ['enterprise + this month', (r) => ({ enterpriseId: pick(d.enterpriseIds, r), from: month(r), to: month(r) + 30 * DAY })],
    ['device + international + a week', (r) => ({ deviceId: pick(d.deviceIds, r), callType: 'international', from: day(r), to: day(r) + 7 * DAY })],
    ['user + callee prefix (domestic)', (r) => ({ userAccountId: user(r), callee: '90' })],
  ];
}

function measureSearch(ctx: BenchContext, db: Database.Database, d: CdrDataset): void {
  for (const [name, filter] of cases(d)) {
    searchCdrs(db, { ...filter(RUNS), order: 'desc', limit: 50, count: false }); // warm the statements
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < RUNS; run++) {
      const q = { ...filter(run), order: 'desc' as const, limit: 50, count: false };
      const t0 = performance.now();
      rows += searchCdrs(db, q).rows.length;
      times.push(performance.now() - t0);
    }
    const p95 = percentile(times, 95);
    const plan = planCdrQuery(db, filter(0));
    ctx.record({
      name: `cdrs.search first page, ${name}: p95`,
      value: Number(p95.toFixed(2)),
      unit: 'ms',
      target: '< 50',
      ok: p95 < 50,
      notes: `${RUNS} runs, other values each run; load average ${loadAverage()}; p50 ${percentile(times, 50).toFixed(2)} ms; ${(rows / RUNS).toFixed(0)} rows/page; ${plan.index} (${plan.kind})`,
    });
  }
}

/** A period of the dataset holding about `rows` CDRs (it is spread evenly over the days). */
function periodOf(db: Database.Database, d: CdrDataset, rows: number): { from: number; to: number; count: number } {
  const perDay = d.counts.cdrs / ((d.to - d.from) / DAY);
  const to = d.to - 10 * DAY;
  let from = Math.round(to - (rows / perDay) * DAY);
  const count = (f: number) => db.prepare('SELECT count(*) FROM cdrs WHERE start_at >= ? AND start_at < ?').pluck().get(f, to) as number;
  let n = count(from);
  // Nudge the start so the period holds close to `rows` CDRs.
  from += Math.round(((n - rows) / perDay) * DAY);
  n = count(from);
  return { from, to, count: n };
}

async function measureExport(ctx: BenchContext, db: Database.Database, d: CdrDataset, format: 'xlsx' | 'csv'): Promise<void> {
  const dir = ctx.tmpDir();
  const log = createLogger({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
  const events = new EventBus();
  const s = {
    db,
    now: Date.now,
    events,
    log,
    exportJobs: new ExportJobs(events, Date.now),
    downloads: new DownloadRegistry({ dir: path.join(dir, 'downloads'), now: Date.now, log }),
  } as unknown as Services;
  const ctxOfCall = { user: { id: 1, username: 'bench', role: 'clerk' }, session: null } as unknown as CallContext;
  const period = periodOf(db, d, Math.min(EXPORT_ROWS, Math.floor(d.counts.cdrs / 2)));
  global.gc?.();
  ctx.resetPeakRss();
  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const ticket = await exportCdrs(
    s,
    { from: period.from, to: period.to, format, timeZone: d.options.timeZone, language: 'en' },
    ctxOfCall,
  );
  const seconds = (performance.now() - t0) / 1000;
  const peak = ctx.peakRssMb();
  const file = fs.readdirSync(path.join(dir, 'downloads')).map((f) => path.join(dir, 'downloads', f))[0]!;
  const size = fs.statSync(file).size;
  const rate = Math.round((ticket.rows ?? 0) / seconds);
  ctx.record({
    name: `exports.cdrs, ${(ticket.rows ?? 0).toLocaleString('en-US')} CDRs to .${format}: rows/s`,
    value: rate,
    unit: 'rows/s',
    ...(format === 'xlsx' ? { target: '>= 100000', ok: rate >= 100_000 } : {}),
    notes: `${seconds.toFixed(1)} s, 17 columns, day subtotals and total, file ${(size / 1024 / 1024).toFixed(0)} MB; load average ${loadAverage()}`,
  });
  ctx.record({
    name: `exports.cdrs, ${(ticket.rows ?? 0).toLocaleString('en-US')} CDRs to .${format}: peak RSS`,
    value: Number(peak.toFixed(0)),
    unit: 'MB',
    ...(format === 'xlsx' ? { target: '< 400', ok: peak < 400 } : {}),
    notes: `whole bench process, ${rssBefore.toFixed(0)} MB before the export`,
  });
  if (format === 'xlsx') {
    // The file opens with exceljs's streaming reader, sheet by sheet, with every row.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore' });
    let rowsRead = 0;
    for await (const sheet of reader) for await (const _row of sheet) rowsRead++;
    ctx.log(`xlsx read back: ${rowsRead} rows in all (header block, subtotals and total included)`);
  }
  s.downloads.stop();
  log.close();
}

export default defineBench('search', async (ctx) => {
  await measureIndexCost(ctx);
  const d = await cdrDataset(DATASET_CDRS === 10_000_000 ? {} : { cdrs: DATASET_CDRS }, ctx.log);
  ctx.log(`dataset: ${d.counts.cdrs.toLocaleString('en-US')} CDRs in ${d.file}`);
  const db = new Database(d.file, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -65536');
  try {
    measureSearch(ctx, db, d);
    await measureExport(ctx, db, d, 'xlsx');
    await measureExport(ctx, db, d, 'csv');
  } finally {
    db.close();
  }
});
