/**
 * CDR search at a large site's size: the 10,000,000-CDR database of bench/generate-cdrs.ts (200 enterprises, 20,000
 * users, 50 gateways, 20 devices, 6 months), opened read-only, with the search indexes of migration 0015 (day-led).
 * - cdrs.search first page (50 rows, names joined) for each filter of the records page (0011's list) and common
 *   combinations, with a different value each run (another enterprise, user, day...): p95 < 20 ms each; the notes
 *   give the index and the plan SQLite runs (EXPLAIN QUERY PLAN; a day-led plan's for one window of days);
 * - what the search indexes cost ingestion: the same CDRs inserted with the 0011 and the 0015 set (and variants),
 *   see search-index-cost.ts.
 * The export of CDRs is measured by export.bench.ts.
 */
import Database from 'better-sqlite3';
import os from 'node:os';
import type { CdrFilter } from '../src-shared/api/cdrs';
import { explainCdrQuery, planCdrQuery } from '../src-main/cdrs/repository';
import { searchCdrs } from '../src-main/cdrs/search';
import { cdrDataset, type CdrDataset } from './generate-cdrs';
import { defineBench, percentile, type BenchContext } from './harness';
import { measureIndexCost } from './search-index-cost';

const RUNS = 40;
/** The machine is shared: its load goes with each figure. */
const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const DAY = 86_400_000;
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
    ['gateway + this month', (r) => ({ gatewayId: pick(d.gatewayIds, r), from: month(r), to: month(r) + 30 * DAY })],
    // A prefix of the enterprise's own extensions (slot of the generator: enterprise index / devices), a tenth of them.
    ['enterprise + caller prefix', (r) => {
      const index = (r * 7919) % d.enterpriseIds.length;
      return { enterpriseId: d.enterpriseIds[index]!, caller: `8${Math.floor(index / d.options.devices)}${r % 10}` };
    }],
    ['cost at most 0.50 + a day', (r) => ({ costMax: 5_000, from: day(r), to: day(r) + DAY })],
    ['status: pending', () => ({ status: 'pending' })],
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
      target: '< 20',
      ok: p95 < 20,
      notes: `${RUNS} runs, other values each run; load average ${loadAverage()}; p50 ${percentile(times, 50).toFixed(2)} ms; ${(rows / RUNS).toFixed(0)} rows/page; ${plan.index} (${plan.kind} plan): ${explainCdrQuery(db, plan, 51).join('; ')}`,
    });
  }
}

export default defineBench('search', async (ctx) => {
  await measureIndexCost(ctx);
  const d = await cdrDataset(DATASET_CDRS === 10_000_000 ? {} : { cdrs: DATASET_CDRS }, ctx.log);
  ctx.log(`dataset: ${d.counts.cdrs.toLocaleString('en-US')} CDRs in ${d.file}`);
  const db = new Database(d.file, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -65536');
  try {
    measureSearch(ctx, db, d);
  } finally {
    db.close();
  }
});
