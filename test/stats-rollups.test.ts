/**
 * Statistics equal a brute-force recount from the CDRs: per enterprise, user and gateway, per call type, for whole
 * days in the statistics zone (rollups), for days of another zone and part days (rollups + CDRs), in daily series in
 * both zones; and they stay equal after a rerate (prices and call types change) and after charging unrated CDRs again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_CALL_TYPES, type StatsTable } from '../src-shared/api/statistics';
import { parseMoney } from '../src-shared/domain/money';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, importCalls, recountFromCdrs, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let clerk: string;
let admin: string;
let data: StatsDataSet;

// 2026-03-01 00:00 in Shanghai; six days of calls.
const FIRST = Date.UTC(2026, 1, 28, 16);
const DAYS = 6;
const STATS_ZONE = 'Asia/Shanghai';
const OTHER_ZONE = 'America/New_York';

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('stats.setTimeZone', { timeZone: STATS_ZONE }, admin);
  await t.services.statistics.rebuilt();
  data = await createStatsDataSet(t, clerk, FIRST, DAYS, 600);
}, 60_000);
afterAll(() => t.dispose());

const METHOD = { enterprise: 'stats.enterprise', user: 'stats.user', gateway: 'stats.gateway' } as const;

/** The API's table equals the brute-force recount for the period, row by row and in total. */
async function expectTableMatchesRecount(kind: 'enterprise' | 'user' | 'gateway', from: number, to: number, timeZone?: string): Promise<StatsTable> {
  const table = await t.call(METHOD[kind], { from, to, ...(timeZone ? { timeZone } : {}), limit: 50_000 }, clerk);
  const expected = recountFromCdrs(t, kind, from, to);
  const got = new Map(table.rows.map((r) => [r.id, r]));
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  let totalAmount = 0;
  let totalCalls = 0;
  for (const [account, byType] of expected) {
    const row = got.get(account)!;
    for (const type of STATS_CALL_TYPES) {
      const e = byType.get(type) ?? { calls: 0, answered: 0, seconds: 0, billedSeconds: 0, amount: 0 };
      const g = row.byType[type];
      expect({ account, type, calls: g.calls, answered: g.answered, seconds: g.seconds, billedSeconds: g.billedSeconds, amount: parseMoney(g.amount) }).toEqual({
        account,
        type,
        ...e,
      });
      totalAmount += e.amount;
      totalCalls += e.calls;
    }
  }
  expect(parseMoney(table.totals.total.amount)).toBe(totalAmount);
  expect(table.totals.total.calls).toBe(totalCalls);
  return table;
}

async function expectSeriesMatchesRecount(timeZone: string) {
  const calendar = calendarOf(timeZone);
  const firstDay = calendar.dayOf(data.from);
  const from = calendar.startOfDay(firstDay);
  const to = calendar.startOfDay(calendar.dayOf(data.to) + 1);
  const series = await t.call('stats.series', { from, to, timeZone }, clerk);
  expect(series.days.length).toBe(calendar.dayOf(to - 1) - firstDay + 1);
  for (const day of series.days) {
    const d = calendar.dayNumber({ year: Number(day.date.slice(0, 4)), month: Number(day.date.slice(5, 7)), day: Number(day.date.slice(8)) });
    const expected = recountFromCdrs(t, 'enterprise', calendar.startOfDay(d), calendar.startOfDay(d + 1));
    for (const type of STATS_CALL_TYPES) {
      let calls = 0;
      let amount = 0;
      for (const byType of expected.values()) {
        calls += byType.get(type)?.calls ?? 0;
        amount += byType.get(type)?.amount ?? 0;
      }
      expect({ date: day.date, type, calls: day.byType[type].calls, amount: parseMoney(day.byType[type].amount) }).toEqual({ date: day.date, type, calls, amount });
    }
  }
  return series;
}

async function expectEverythingMatches() {
  const shanghai = calendarOf(STATS_ZONE);
  const other = calendarOf(OTHER_ZONE);
  for (const kind of ['enterprise', 'user', 'gateway'] as const) {
    // Whole days of the statistics zone: rollups only.
    const whole = await expectTableMatchesRecount(kind, shanghai.startOfDay(shanghai.dayOf(FIRST) + 1), shanghai.startOfDay(shanghai.dayOf(FIRST) + 4));
    expect(whole.source.kind).toBe('rollups');
    // Days of another zone: whole Shanghai days from the rollups, the hours at both ends from the CDRs.
    const elsewhere = await expectTableMatchesRecount(kind, other.startOfDay(other.dayOf(FIRST) + 1), other.startOfDay(other.dayOf(FIRST) + 4), OTHER_ZONE);
    expect(elsewhere.source.kind).toBe('mixed');
    // Less than a day: CDRs only. And everything.
    const short = await expectTableMatchesRecount(kind, FIRST + 5 * 3_600_000, FIRST + 17 * 3_600_000);
    expect(short.source.kind).toBe('cdrs');
    await expectTableMatchesRecount(kind, data.from - 86_400_000, data.to + 86_400_000);
  }
  // One enterprise's users.
  const users = await t.call('stats.user', { from: data.from, to: data.to, enterpriseId: data.enterprises.a }, clerk);
  expect(users.rows.map((r) => r.enterpriseId).every((id) => id === data.enterprises.a)).toBe(true);
  expect(users.rows.length).toBeGreaterThan(0);
  await expectSeriesMatchesRecount(STATS_ZONE);
  await expectSeriesMatchesRecount(OTHER_ZONE);
  const check = await t.call('stats.verify', {}, clerk);
  expect(check).toMatchObject({ ok: true, state: 'built', mismatchCount: 0 });
  expect(check.cdrs).toBe(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'rated'").pluck().get());
}

describe('statistics equal a recount from the CDRs', () => {
  it('after charging: every kind, call type and zone', async () => {
    const types = t.services.db.prepare("SELECT DISTINCT call_type FROM cdrs WHERE status = 'rated'").pluck().all();
    expect(new Set(types)).toEqual(new Set(STATS_CALL_TYPES));
    expect(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'unrated'").pluck().get()).toBeGreaterThan(0);
    expect(t.services.db.prepare('SELECT COUNT(DISTINCT gateway_id) FROM cdrs WHERE gateway_id IS NOT NULL').pluck().get()).toBe(2);
    await expectEverythingMatches();
  });

  it('after a rerate that changes prices and call types', async () => {
    // Shanghai becomes local and Beijing mobiles domestic: call types move between the columns.
    await t.call('devices.update', { id: data.deviceId, areaCode: '21' }, clerk);
    const rates = await t.call('rates.list', { rateGroupId: data.groupId }, clerk);
    const domestic = rates.find((r) => r.name === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.45', unit: 60, increment: 6 }] }, clerk);
    const callTypes = () => new Map(t.services.db.prepare("SELECT id, call_type FROM cdrs WHERE status = 'rated'").raw().all() as [number, string][]);
    const before = callTypes();
    const result = await t.call('cdrs.rerate', { from: data.from, to: data.to, preview: false, reason: 'area code corrected' }, clerk);
    expect(result.changed).toBeGreaterThan(0);
    const after = callTypes();
    expect([...after].filter(([id, type]) => before.get(id) !== type).length).toBeGreaterThan(0);
    await expectEverythingMatches();
  });

  it('after charging unrated CDRs again', async () => {
    const orphan = await t.call('enterprises.create', { name: 'Orphan owner', rateGroupId: data.groupId, billingMode: 'postpaid' }, clerk);
    await t.call('userAccounts.create', { enterpriseId: orphan.id, name: 'Zhao Lei', extensions: [{ deviceId: data.orphanDeviceId, number: '8070' }] }, clerk);
    const result = await t.call('cdrs.chargeUnrated', { deviceId: data.orphanDeviceId }, clerk);
    expect(result.rated).toBeGreaterThan(0);
    expect(result.stillUnrated).toBe(0);
    await expectEverythingMatches();
  });

  it('after more calls arrive', async () => {
    const late = (await import('./helpers/stats-data')).generateCalls(77, FIRST + 86_400_000, 2, 120, ['8001', '8011', '8050'], ['trunk-cn', 'trunk-a']);
    await importCalls(t, clerk, data.deviceId, late, 500_000, 'Master-2.csv');
    await expectEverythingMatches();
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it('the check finds a rollup row that differs from the CDRs', async () => {
    const row = t.services.db.prepare("SELECT kind, enterprise_id, day, account_id, call_type FROM stats_daily WHERE kind = 'user' LIMIT 1").get() as Record<string, unknown>;
    t.services.db
      .prepare('UPDATE stats_daily SET amount = amount + 1 WHERE kind = ? AND enterprise_id = ? AND day = ? AND account_id = ? AND call_type = ?')
      .run(row.kind, row.enterprise_id, row.day, row.account_id, row.call_type);
    const check = await t.call('stats.verify', {}, clerk);
    expect(check).toMatchObject({ ok: false, mismatchCount: 1 });
    expect(check.mismatches[0]).toMatchObject({ kind: 'user', accountId: row.account_id, callType: row.call_type });
    t.services.db
      .prepare('UPDATE stats_daily SET amount = amount - 1 WHERE kind = ? AND enterprise_id = ? AND day = ? AND account_id = ? AND call_type = ?')
      .run(row.kind, row.enterprise_id, row.day, row.account_id, row.call_type);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
  });
});
