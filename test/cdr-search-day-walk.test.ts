/**
 * The day-led search indexes (migration 0015): a search that walks days from the page position gives exactly the rows
 * of a plain filtered scan of the table, page after page, whichever plan is taken, over CDRs spread across many days
 * with gaps (empty weeks, a sparse stretch) and a few CDRs before 1970-01-02 (day 0 of `start_at / 86400000`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrFilter } from '../src-shared/api/cdrs';
import { dayOf, MAX_WINDOW_DAYS, prefixRange, walkDayPlan } from '../src-main/cdrs/cdr-query';
import { countCdrs, explainCdrQuery, planCdrQuery } from '../src-main/cdrs/repository';
import { searchCdrs } from '../src-main/cdrs/search';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createCdrWorld, generatedCdrs, seededRandom, storeCdrs, type CdrWorld } from './helpers/cdr-data';

let t: TestEngine;
let w: CdrWorld;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  w = await createCdrWorld(t);
  const random = seededRandom(23);
  const { beijing, shanghai } = w.devices;
  storeCdrs(t, beijing, generatedCdrs(beijing, 700, T0, 30 * DAY, random)); // busy month
  storeCdrs(t, shanghai, generatedCdrs(shanghai, 300, T0 + 10 * DAY, 20 * DAY, random));
  storeCdrs(t, beijing, generatedCdrs(beijing, 40, T0 + 50 * DAY, 100 * DAY, random)); // sparse, after 3 empty weeks
  storeCdrs(t, shanghai, generatedCdrs(shanghai, 300, T0 + 160 * DAY, 5 * DAY, random)); // busy again at the end
  storeCdrs(t, beijing, generatedCdrs(beijing, 10, 0, 2 * DAY, random)); // 1970: days 0 and 1
}, 60_000);
afterAll(() => t.dispose());

/** The plain reading: every CDR checked, no index named, in the order the records page shows. */
function scan(f: CdrFilter, order: 'desc' | 'asc'): number[] {
  const terms: string[] = [];
  const params: unknown[] = [];
  const term = (sql: string, ...values: unknown[]) => (terms.push(sql), params.push(...values));
  if (f.from !== undefined) term('start_at >= ?', f.from);
  if (f.to !== undefined) term('start_at < ?', f.to);
  if (f.deviceId !== undefined) term('device_id = ?', f.deviceId);
  if (f.enterpriseId !== undefined) term('enterprise_id = ?', f.enterpriseId);
  if (f.userAccountId !== undefined) term('user_account_id = ?', f.userAccountId);
  if (f.gatewayId !== undefined) term('gateway_id = ?', f.gatewayId);
  if (f.caller !== undefined) term('substr(caller, 1, ?) = ?', f.caller.length, f.caller);
  if (f.callee !== undefined) term('substr(callee, 1, ?) = ?', f.callee.length, f.callee);
  if (f.callType !== undefined) term('call_type = ?', f.callType);
  if (f.disposition !== undefined) term('disposition = ?', f.disposition);
  if (f.status !== undefined) term('status = ?', f.status);
  if (f.costMin !== undefined) term('cost >= ?', f.costMin);
  if (f.costMax !== undefined) term('cost <= ?', f.costMax);
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const sql = `SELECT id FROM cdrs NOT INDEXED ${terms.length ? `WHERE ${terms.join(' AND ')}` : ''} ORDER BY start_at ${dir}, id ${dir}`;
  return t.services.db.prepare(sql).pluck().all(...params) as number[];
}

/** Every page of a search (searchCdrs with this plan threshold), and the pages' sizes. */
function pages(f: CdrFilter, limit: number, order: 'desc' | 'asc', rangeMaxMatches?: number): { ids: number[]; sizes: number[] } {
  const ids: number[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 2000; i++) {
    const page = searchCdrs(t.services.db, { ...f, order, limit, count: false, ...(cursor ? { cursor } : {}) }, rangeMaxMatches);
    ids.push(...page.rows.map((r) => r.id));
    sizes.push(page.rows.length);
    if (!page.nextCursor) return { ids, sizes };
    cursor = page.nextCursor;
  }
  throw new Error('more than 2000 pages');
}

const filters = (): [string, CdrFilter][] => [
  ['caller: one extension', { caller: '8003' }],
  ['caller: prefix', { caller: '800' }],
  ['callee: mobile prefix', { callee: '9138' }],
  ['callee: international prefix', { callee: '900' }],
  ['callee: one number', { callee: '913912345678' }],
  ['cost at least', { costMin: 5_000 }],
  ['cost at most', { costMax: 2_000 }],
  ['cost range', { costMin: 1_000, costMax: 20_000 }],
  ['enterprise', { enterpriseId: w.enterprises.beta }],
  ['user', { userAccountId: w.users[`${w.devices.beijing}:8002`]! }],
  ['gateway', { gatewayId: w.gatewayId }],
  ['user + callee prefix', { userAccountId: w.users[`${w.devices.beijing}:8001`]!, callee: '90' }],
  ['enterprise + caller + cost', { enterpriseId: w.enterprises.alpha, caller: '8001', costMin: 1 }],
  ['device + callee + disposition', { deviceId: w.devices.beijing, callee: '913', disposition: 'answered' }],
  ['caller + a period over the gap', { caller: '8002', from: T0 + 20 * DAY, to: T0 + 165 * DAY }],
  ['enterprise + international + period', { enterpriseId: w.enterprises.alpha, callType: 'international', from: T0 + 5 * DAY, to: T0 + 100 * DAY }],
  ['cost + status rated + a period in 1970', { costMax: 1_000_000, status: 'rated', to: 2 * DAY }],
  ['gateway + status', { gatewayId: w.gatewayId, status: 'rated' }],
  ['nothing matches', { caller: '7777' }],
];

describe('day-led search', () => {
  it('takes the day-led index for sparse keys and explains one window of days without sorting the table', () => {
    for (const [name, f] of filters().filter(([n]) => !n.startsWith('device') && !n.includes('international'))) {
      const plan = planCdrQuery(t.services.db, f);
      expect(plan.kind, name).toBe('day');
      const detail = explainCdrQuery(t.services.db, plan, 51).join(' | ');
      expect(detail, name).toMatch(new RegExp(`USING (COVERING )?INDEX ${plan.index} \\(<expr>=\\?`));
    }
    // Many matches in the walk's first two days: the time-ordered plan.
    expect(planCdrQuery(t.services.db, { caller: '800' }, undefined, 5).kind).toBe('time');
  });

  it('checks the number searched with an account, and the device with a call type, in the index entries (no row read)', () => {
    const cases: [CdrFilter, string][] = [
      [{ enterpriseId: w.enterprises.alpha, caller: '8001' }, 'cdrs_enterprise_time'],
      [{ userAccountId: w.users[`${w.devices.beijing}:8001`]!, callee: '90' }, 'cdrs_user_time'],
      [{ deviceId: w.devices.beijing, callType: 'international', from: T0, to: T0 + 7 * DAY }, 'cdrs_call_type_time'],
    ];
    for (const [f, index] of cases) {
      const plan = planCdrQuery(t.services.db, f, undefined, 1e9);
      expect(plan.index, JSON.stringify(f)).toBe(index);
      expect(explainCdrQuery(t.services.db, plan, 51).join(' | '), JSON.stringify(f)).toContain(`USING COVERING INDEX ${index}`);
    }
  });

  it('returns exactly the rows of a plain filtered scan, on every page, latest and oldest first, on every plan', () => {
    let checked = 0;
    for (const [name, f] of filters()) {
      for (const order of ['desc', 'asc'] as const) {
        const want = scan(f, order);
        // 1e9: a day-led index whenever the filter has one; 1: the time-ordered plan unless nothing matches early.
        for (const [limit, cap] of [[7, undefined], [50, 1e9], [3, 1], [2, 1e9]] as const) {
          const { ids, sizes } = pages(f, limit, order, cap);
          expect(ids, `${name}, ${order}, pages of ${limit}`).toEqual(want);
          // Every page but the last is full.
          expect(sizes.slice(0, -1).every((n) => n === limit), `${name}, ${order}, full pages`).toBe(true);
          checked += ids.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('counts what the scan finds', () => {
    for (const [name, f] of filters()) {
      const want = scan(f, 'desc').length;
      expect(countCdrs(t.services.db, planCdrQuery(t.services.db, f), 1_000_000), name).toBe(want);
      expect(searchCdrs(t.services.db, { ...f, order: 'desc', limit: 5, count: true }).total, name).toBe(want);
    }
  });

  it('reads the data set with its gaps and 1970 rows in order', () => {
    const all = scan({}, 'desc');
    expect(all.length).toBe(1_350);
    expect(scan({ to: 2 * DAY }, 'desc').length).toBe(10);
    expect(scan({ from: T0 + 31 * DAY, to: T0 + 50 * DAY }, 'desc').length).toBe(0);
  });
});

describe('the walk over days', () => {
  it('reads 1 day, then windows of 2, 4... days up to the widest, from the newest, and stops when the page is full', () => {
    const windows: number[][] = [];
    const keys = walkDayPlan([100, 400], 10, 'desc', (days, n) => {
      windows.push([...days]);
      // One CDR on each multiple of 50 (day 400, 350, 300...).
      return days.filter((d) => d % 50 === 0).slice(0, n).map((d) => ({ id: d, start_at: d * DAY }));
    });
    expect(windows.map((d) => d.length)).toEqual([1, 2, 4, 8, 16, 32, 64, 64, 64, 46]);
    expect(windows[0]).toEqual([400]);
    expect(windows[1]).toEqual([399, 398]);
    expect(windows.flat()).toEqual(Array.from({ length: 301 }, (_, i) => 400 - i));
    expect(keys.map((k) => k.id)).toEqual([400, 350, 300, 250, 200, 150, 100]);
    expect(MAX_WINDOW_DAYS).toBe(64);

    const asc: number[][] = [];
    walkDayPlan([10, 20], 2, 'asc', (days, n) => (asc.push([...days]), days.slice(0, n).map((d) => ({ id: d, start_at: d * DAY }))));
    expect(asc).toEqual([[10], [11, 12]]);
  });

  it('numbers days as SQLite divides start_at (toward zero), and prefixes as ranges', () => {
    const db = t.services.db;
    for (const at of [0, 1, DAY - 1, DAY, T0 + 5, -1, -DAY, -DAY - 1]) {
      expect(dayOf(at), String(at)).toBe(db.prepare('SELECT CAST(? AS INTEGER) / 86400000').pluck().get(at));
    }
    expect(Object.is(dayOf(-1), 0)).toBe(true);
    expect(prefixRange('8001')).toEqual(['8001', '8002']);
  });
});
