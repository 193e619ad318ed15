/** The dashboard: today's figures by call type equal a recount, top enterprises, alerts, ingest status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_CALL_TYPES } from '../src-shared/api/statistics';
import { parseMoney } from '../src-shared/domain/money';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, generateCalls, importCalls, recountFromCdrs, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let clerk: string;
let admin: string;
let data: StatsDataSet;
const ZONE = 'Asia/Shanghai';

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('stats.setTimeZone', { timeZone: ZONE }, admin);
  await t.services.statistics.rebuilt();
  // Yesterday's calls and today's (up to now).
  const calendar = calendarOf(ZONE);
  const todayStart = calendar.startOfDay(calendar.dayOf(t.services.now()));
  data = await createStatsDataSet(t, clerk, todayStart - 86_400_000, 1, 150);
  await t.call('enterprises.update', { id: data.enterprises.c, lowBalance: '100000' }, clerk);
  const today = generateCalls(9, todayStart, (t.services.now() - todayStart) / 86_400_000, 120, ['8001', '8011', '8050'], ['trunk-cn', 'trunk-b']);
  await importCalls(t, clerk, data.deviceId, today, 700_000, 'today.csv');
  await t.call('cdrs.import', { deviceId: data.deviceId, fileName: 'junk.csv', content: Buffer.from('not a CDR\n').toString('base64') }, clerk);
  await t.call('accounts.freeze', { accountId: data.enterprises.b, reason: 'unpaid' }, clerk);
}, 60_000);
afterAll(() => t.dispose());

describe('dashboard', () => {
  it("shows today's calls and amount by call type as the CDRs say", async () => {
    const d = await t.call('stats.dashboard', {}, clerk);
    const calendar = calendarOf(ZONE);
    const day = calendar.dayOf(t.services.now());
    expect(d.timeZone).toBe(ZONE);
    expect(d.today.date).toBe(calendar.isoDate(day));
    const recount = recountFromCdrs(t, 'enterprise', calendar.startOfDay(day), calendar.startOfDay(day + 1));
    let calls = 0;
    let amount = 0;
    for (const type of STATS_CALL_TYPES) {
      let typeCalls = 0;
      let typeAmount = 0;
      for (const byType of recount.values()) {
        typeCalls += byType.get(type)?.calls ?? 0;
        typeAmount += byType.get(type)?.amount ?? 0;
      }
      expect({ type, calls: d.today.byType[type].calls, amount: parseMoney(d.today.byType[type].amount) }).toEqual({ type, calls: typeCalls, amount: typeAmount });
      calls += typeCalls;
      amount += typeAmount;
    }
    expect(d.today.total.calls).toBe(calls);
    expect(calls).toBeGreaterThan(0);
    expect(parseMoney(d.today.total.amount)).toBe(amount);
    const yesterday = recountFromCdrs(t, 'enterprise', calendar.startOfDay(day - 1), calendar.startOfDay(day));
    expect(d.yesterday.total.calls).toBe([...yesterday.values()].reduce((n, byType) => n + [...byType.values()].reduce((m, f) => m + f.calls, 0), 0));
    const top = d.topEnterprisesToday.map((e) => parseMoney(e.amount));
    expect(top).toEqual([...top].sort((a, b) => b - a));
    expect(d.topEnterprisesToday.reduce((n, e) => n + e.calls, 0)).toBe(calls);
  });

  it('lists what needs attention', async () => {
    const d = await t.call('stats.dashboard', {}, clerk);
    expect(d.alerts.unratedCdrs).toBe(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'unrated'").pluck().get());
    expect(d.alerts.unratedCdrs).toBeGreaterThan(0);
    expect(d.alerts.openRejects).toBe(1);
    expect(d.alerts.lowBalance.accounts.map((a) => a.id)).toContain(data.enterprises.c);
    expect(d.alerts.frozen).toMatchObject({ count: 1, accounts: [{ id: data.enterprises.b, status: 'frozen' }] });
    expect(d.alerts.backup).toMatchObject({ overdue: true, lastBackupAt: null });
    expect(d.ingest.devices.map((x) => x.deviceId)).toEqual(expect.arrayContaining([data.deviceId, data.orphanDeviceId]));
  });
});
