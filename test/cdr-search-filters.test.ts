import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../src-shared/api';
import type { CdrSearchResult } from '../src-shared/api/cdrs';
import { parseMoney } from '../src-shared/domain/money';
import { cdrPageQuery } from '../src-main/cdrs/cdr-query';
import { explainCdrQuery, planCdrQuery } from '../src-main/cdrs/repository';
import { searchCdrs } from '../src-main/cdrs/search';
import { CdrStore } from '../src-main/ingest/store';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { allCdrs, createCdrWorld, generatedCdrs, seededRandom, storeCdrs, type CdrWorld, type StoredCdr } from './helpers/cdr-data';

let t: TestEngine;
let w: CdrWorld;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
type Filter = Omit<InputOf<'cdrs.search'>, 'limit' | 'cursor' | 'count'>;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  w = await createCdrWorld(t);
  const random = seededRandom(7);
  storeCdrs(t, w.devices.beijing, generatedCdrs(w.devices.beijing, 260, T0, 6 * DAY, random));
  storeCdrs(t, w.devices.shanghai, generatedCdrs(w.devices.shanghai, 140, T0, 6 * DAY, random));
  // Stored while charging could not run: pending.
  const storeOnly = new CdrStore(t.services.db, () => Date.now());
  storeOnly.storeBatch(w.devices.beijing, { kind: 'import', name: 'late.csv' }, { cdrs: generatedCdrs(w.devices.beijing, 15, T0, 6 * DAY, random), rejects: [], skipped: [] });
}, 60_000);
afterAll(() => t.dispose());

/** The brute-force reading of a filter over every CDR, latest first. */
function expected(f: Filter): number[] {
  const from = f.from === undefined ? undefined : typeof f.from === 'number' ? f.from : Date.parse(f.from);
  const to = f.to === undefined ? undefined : typeof f.to === 'number' ? f.to : Date.parse(f.to);
  const min = f.costMin === undefined ? undefined : parseMoney(f.costMin);
  const max = f.costMax === undefined ? undefined : parseMoney(f.costMax);
  const keep = (c: StoredCdr) =>
    (from === undefined || c.start_at >= from) &&
    (to === undefined || c.start_at < to) &&
    (f.deviceId === undefined || c.device_id === f.deviceId) &&
    (f.enterpriseId === undefined || c.enterprise_id === f.enterpriseId) &&
    (f.userAccountId === undefined || c.user_account_id === f.userAccountId) &&
    (f.gatewayId === undefined || c.gateway_id === f.gatewayId) &&
    (f.caller === undefined || c.caller.startsWith(f.caller)) &&
    (f.callee === undefined || c.callee.startsWith(f.callee)) &&
    (f.callType === undefined || c.call_type === f.callType) &&
    (f.disposition === undefined || c.disposition === f.disposition) &&
    (f.status === undefined || c.status === f.status) &&
    (min === undefined || (c.cost !== null && c.cost >= min)) &&
    (max === undefined || (c.cost !== null && c.cost <= max));
  return allCdrs(t).filter(keep).map((c) => c.id);
}

/** Every page of a search through the API (the dispatcher validates the input). */
async function pageThrough(f: Filter, limit: number): Promise<{ ids: number[]; pages: CdrSearchResult[] }> {
  const ids: number[] = [];
  const pages: CdrSearchResult[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await t.call('cdrs.search', { ...f, limit, ...(cursor ? { cursor } : {}) }, w.token);
    pages.push(page);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { ids, pages };
}

/** The same through the time-ordered plan only (range indexes never chosen). */
function pageThroughTimePlan(f: Filter, limit: number): number[] {
  const instant = (v: string | number | undefined) => (v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v));
  const parsed = { ...f, from: instant(f.from), to: instant(f.to) };
  const q = {
    ...Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)),
    ...(f.costMin !== undefined ? { costMin: parseMoney(f.costMin) } : {}),
    ...(f.costMax !== undefined ? { costMax: parseMoney(f.costMax) } : {}),
    limit,
    count: false,
    order: 'desc',
  } as Parameters<typeof searchCdrs>[1];
  const ids: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = searchCdrs(t.services.db, { ...q, ...(cursor ? { cursor } : {}) }, 1);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

describe('cdrs.search filters', () => {
  const single = (): [string, Filter][] => [
    ['no filter', {}],
    ['from', { from: T0 + 2 * DAY }],
    ['to', { to: new Date(T0 + 3 * DAY).toISOString() }],
    ['from and to (ISO with offset)', { from: '2026-03-02T08:00:00+08:00', to: '2026-03-04T08:00:00+08:00' }],
    ['device', { deviceId: w.devices.shanghai }],
    ['enterprise', { enterpriseId: w.enterprises.alpha }],
    ['user', { userAccountId: w.users[`${w.devices.beijing}:8002`]! }],
    ['gateway', { gatewayId: w.gatewayId }],
    ['caller (exact number)', { caller: '8003' }],
    ['caller (prefix)', { caller: '800' }],
    ['callee (prefix)', { callee: '9138' }],
    ['callee (prefix of an international number)', { callee: '900' }],
    ['call type international', { callType: 'international' }],
    ['call type local', { callType: 'local' }],
    ['call type unknown', { callType: 'unknown' }],
    ['disposition answered', { disposition: 'answered' }],
    ['disposition busy', { disposition: 'busy' }],
    ['status rated', { status: 'rated' }],
    ['status unrated', { status: 'unrated' }],
    ['status pending', { status: 'pending' }],
    ['cost at least', { costMin: '1.00' }],
    ['cost at most', { costMax: '0.50' }],
    ['cost range', { costMin: '0.30', costMax: '2.00' }],
  ];

  it('finds, for every filter alone, exactly the CDRs a brute-force reading finds, latest first, across pages', async () => {
    for (const [name, f] of single()) {
      const want = expected(f);
      expect(want.length, `${name}: the data set has matches`).toBeGreaterThan(0);
      const { ids, pages } = await pageThrough(f, 17);
      expect(ids, name).toEqual(want);
      expect(pages.at(-1)!.nextCursor, name).toBeUndefined();
      expect(pageThroughTimePlan(f, 13), `${name} (time-ordered plan)`).toEqual(want);
    }
  });

  it('combines filters', async () => {
    const combos: Filter[] = [
      { enterpriseId: w.enterprises.beta, from: T0 + DAY, to: T0 + 4 * DAY },
      { deviceId: w.devices.beijing, callType: 'domestic' },
      { enterpriseId: w.enterprises.alpha, callee: '9139' },
      { deviceId: w.devices.shanghai, caller: '8001', disposition: 'answered' },
      { userAccountId: w.users[`${w.devices.beijing}:8001`]!, costMin: '0.10' },
      { gatewayId: w.gatewayId, status: 'rated', from: T0 + 2 * DAY },
      { status: 'unrated', deviceId: w.devices.beijing, callee: '1' },
      { callType: 'international', costMin: '5', costMax: '100' },
      { caller: '8002', callee: '9021', enterpriseId: w.enterprises.alpha, to: T0 + 5 * DAY },
    ];
    for (const f of combos) {
      const want = expected(f);
      expect(want.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect((await pageThrough(f, 9)).ids, JSON.stringify(f)).toEqual(want);
      expect(pageThroughTimePlan(f, 9), `${JSON.stringify(f)} (time-ordered plan)`).toEqual(want);
    }
  });

  it('returns nothing (and no cursor) when nothing matches', async () => {
    const page = await t.call('cdrs.search', { caller: '7777', limit: 10 }, w.token);
    expect(page).toEqual({ rows: [] });
  });

  it('counts on request, and only then', async () => {
    const f = { deviceId: w.devices.beijing, callType: 'local' as const };
    const page = await t.call('cdrs.search', { ...f, limit: 5, count: true }, w.token);
    expect(page.total).toBe(expected(f).length);
    expect(page.totalCapped).toBeUndefined();
    const second = await t.call('cdrs.search', { ...f, limit: 5, count: true, cursor: page.nextCursor! }, w.token);
    expect(second.total).toBe(expected(f).length);
    expect((await t.call('cdrs.search', { ...f, limit: 5 }, w.token)).total).toBeUndefined();
  });

  it('gives the rows the records table shows: names, ISO times, money as 4-decimal text', async () => {
    const user = w.users[`${w.devices.beijing}:8001`]!;
    const { rows } = await t.call('cdrs.search', { userAccountId: user, status: 'rated', callType: 'domestic', limit: 1 }, w.token);
    const row = rows[0]!;
    expect(row).toMatchObject({
      deviceName: 'Beijing PBX',
      enterpriseName: 'Alpha Trading',
      userAccountName: 'Li Wei',
      caller: '8001',
      status: 'rated',
      callType: 'domestic',
      rateName: 'domestic',
    });
    expect(row.start).toMatch(/^2026-03-0\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(row.cost).toMatch(/^\d+\.\d{4}$/);
    const unrated = (await t.call('cdrs.search', { status: 'unrated', callee: '12', limit: 1 }, w.token)).rows[0]!;
    expect(unrated.cost).toBeNull();
    expect(unrated.statusReason?.key).toBe('number.unrecognized');
  });

  it('refuses a cursor it did not give out and an inverted period or cost range', async () => {
    await expect(t.call('cdrs.search', { limit: 5, cursor: 'bm9wZQ' }, w.token)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('cdrs.search', { limit: 5, from: T0 + DAY, to: T0 }, w.token)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('cdrs.search', { limit: 5, costMin: '2', costMax: '1' }, w.token)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('query plans', () => {
  it('reads every single filter through its index, and sorts only the matches of a range index', () => {
    const cases: [Filter, string][] = [
      [{}, 'cdrs_start_at'],
      [{ deviceId: 1 }, 'cdrs_device_time'],
      [{ enterpriseId: 1 }, 'cdrs_enterprise_time'],
      [{ userAccountId: 1 }, 'cdrs_user_time'],
      [{ gatewayId: 1 }, 'cdrs_gateway_time'],
      [{ callType: 'international' }, 'cdrs_call_type_time'],
      [{ disposition: 'failed' }, 'cdrs_disposition_time'],
      [{ status: 'unrated' }, 'cdrs_unrated'],
      [{ caller: '8001' }, 'cdrs_caller'],
      [{ callee: '90044' }, 'cdrs_callee'],
      [{ costMin: '5.00' }, 'cdrs_cost'],
    ];
    for (const [f, index] of cases) {
      const parsed = { ...f, ...(f.costMin ? { costMin: parseMoney(f.costMin) } : {}) } as Parameters<typeof planCdrQuery>[1];
      const plan = planCdrQuery(t.services.db, parsed, [T0 + 3 * DAY, 100]);
      expect(plan.index, JSON.stringify(f)).toBe(index);
      const detail = explainCdrQuery(t.services.db, plan, 51, [T0 + 3 * DAY, 100]).join(' | ');
      expect(detail, JSON.stringify(f)).toMatch(new RegExp(`USING (COVERING )?INDEX ${index}`));
      if (plan.kind === 'time') expect(detail, JSON.stringify(f)).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('bounds a later page by its position, not by the end of the period (pages do not read the ones before again)', () => {
    const f = { deviceId: w.devices.beijing, from: T0, to: T0 + 4 * DAY };
    const inside: [number, number] = [T0 + 2 * DAY, 50];
    const later = cdrPageQuery(planCdrQuery(t.services.db, f, inside), inside);
    expect(later.sql).toContain('(start_at, id) < (?, ?)');
    expect(later.sql).not.toContain('start_at < ?');
    expect(later.sql).toContain('start_at >= ?');
    // A cursor beyond the period (not one this filter gave) keeps the period's end.
    const outside: [number, number] = [T0 + 9 * DAY, 50];
    expect(cdrPageQuery(planCdrQuery(t.services.db, f, outside), outside).sql).toContain('start_at < ?');
    const oldestFirst = cdrPageQuery(planCdrQuery(t.services.db, f, inside, undefined, 'asc'), inside, 'asc');
    expect(oldestFirst.sql).not.toContain('start_at >= ?');
    expect(oldestFirst.sql).toContain('(start_at, id) > (?, ?)');
  });
});
