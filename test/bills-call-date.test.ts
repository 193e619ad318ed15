/**
 * Bills by call date (issue 15): a week of March calls imported in December is on the March bill while March is open,
 * and once March is closed, calls of March that arrive later are late usage from 2027-03 on the next open bill, while
 * the closed March bill stays byte for byte as it was stored. Bills and statistics of a month agree per enterprise
 * (bills.verify, stats.enterprise and a brute-force recount from the CDRs), the grace day rules closing, and the
 * statements chain: the newest one closes on the ledger balance. The engine runs on a stopped clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillStatement } from '../src-shared/api/bills';
import { parseMoney } from '../src-shared/domain/money';
import { stoppedClock } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, generateCalls, importCalls, recountFromCdrs, type StatsDataSet } from './helpers/stats-data';

const clock = stoppedClock('2027-02-10T10:00:00+08:00');
let t: TestEngine;
let admin: string;
let clerk: string;
let data: StatsDataSet;
let enterprises: number[];
const m = (text: string) => parseMoney(text);
/** Negation without -0 (toBe compares with Object.is). */
const neg = (n: number) => (n === 0 ? 0 : -n);
const MARCH = '2027-03';
const marchFrom = Date.parse('2027-03-01T00:00:00+08:00');
const marchTo = Date.parse('2027-04-01T00:00:00+08:00');

/** Moves the engine's clock; sessions of the old instant have expired, so both log in again. */
async function setClock(iso: string) {
  clock.set(iso);
  admin = (await t.login()).token;
  clerk = (await t.login('clerk1', 'clerk1-Password-1')).token;
}

const bill = (enterpriseId: number, month: string) => t.call('bills.get', { enterpriseId, month }, clerk);
const storedText = (enterpriseId: number, month: string) =>
  t.services.db.prepare('SELECT statement FROM bills WHERE enterprise_id = ? AND month = ?').pluck().get(enterpriseId, month) as string | undefined;
const maxCdrId = () => t.services.db.prepare('SELECT IFNULL(MAX(id), 0) FROM cdrs').pluck().get() as number;

/** The statement's own accounting adds up. */
function expectIdentity(b: BillStatement) {
  const mv = b.movements;
  expect(m(b.closing)).toBe(m(b.opening) + m(mv.charges) + m(mv.lateUsage) + m(mv.recharges) + m(mv.refunds) + m(mv.adjustments));
  expect(m(mv.charges)).toBe(neg(m(b.usage.amount)));
  expect(m(mv.lateUsage)).toBe(neg(m(b.lateUsage.total.amount)));
  const lines = [...b.chargesByUser, ...b.chargesByGateway, b.chargesToEnterprise].reduce((s, l) => s + m(l.amount), 0);
  expect(lines).toBe(m(b.usage.amount));
  expect(b.chargesByType.reduce((s, l) => s + m(l.amount), 0)).toBe(m(b.usage.amount));
}

/** Every enterprise's bill of a month equals the statistics of the month and a recount from the CDRs, per call type. */
async function expectBillsMatchStatistics(month: string, from: number, to: number) {
  const stats = await t.call('stats.enterprise', { from, to }, clerk);
  const recount = recountFromCdrs(t, 'enterprise', from, to);
  for (const id of enterprises) {
    const b = await bill(id, month);
    expect(b.state).toBe('open');
    const row = stats.rows.find((r) => r.id === id);
    const billed = Object.fromEntries(b.chargesByType.map((c) => [c.callType, { calls: c.calls, amount: m(c.amount) }]));
    const counted = Object.fromEntries(
      Object.entries(row?.byType ?? {})
        .filter(([, f]) => f.calls !== 0)
        .map(([type, f]) => [type, { calls: f.calls, amount: m(f.amount) }]),
    );
    expect(billed).toEqual(counted);
    const brute = Object.fromEntries([...(recount.get(id) ?? new Map())].filter(([, f]) => f.calls !== 0).map(([type, f]) => [type, { calls: f.calls, amount: f.amount }]));
    expect(billed).toEqual(brute);
  }
}

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false, now: clock });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('stats.setTimeZone', { timeZone: 'Asia/Shanghai' }, admin);
  await t.services.statistics.rebuilt();
  // February: the enterprises are created and make calls.
  data = await createStatsDataSet(t, clerk, Date.UTC(2027, 1, 1), 3, 150);
  enterprises = Object.values(data.enterprises);
}, 60_000);
afterAll(() => t.dispose());

describe('bills by call date, closing with a grace period, late usage', () => {
  it('a March week imported in December is on the March bill while March is open, not on December', async () => {
    await setClock('2027-12-03T10:00:00+08:00');
    const before = await bill(data.enterprises.a, MARCH);
    expect(before.usage.calls).toBe(0);
    const week = generateCalls(31, Date.UTC(2027, 2, 10), 7, 120, ['8001', '8002', '8011', '8012', '8050'], ['trunk-cn', 'trunk-a', 'trunk-b']);
    await importCalls(t, clerk, data.deviceId, week, 200_000, 'march-week.csv');

    const march = await bill(data.enterprises.a, MARCH);
    expect(march.state).toBe('open');
    expect(march.usage.calls).toBeGreaterThan(10);
    expect(march.chargesByUser.length).toBeGreaterThan(0);
    expect(march.chargesByGateway.map((g) => g.accountId)).toEqual([data.gateways.a]);
    expectIdentity(march);
    // Charged in December, but none of them started in December.
    const december = await bill(data.enterprises.a, '2027-12');
    expect(december.usage).toEqual({ calls: 0, seconds: 0, amount: '0.0000' });
    expectIdentity(december);
    // The prepaid balance moved at once: the ledger shows the March calls as charged in December.
    const enterpriseBalance = december.balances.find((b) => b.accountId === data.enterprises.a)!;
    expect(m(enterpriseBalance.charges)).toBe(neg(m(march.usage.amount)));
    // The newest statement closes on the ledger balance.
    expect(m(december.closing)).toBe(m((await t.call('enterprises.get', { id: data.enterprises.a }, clerk)).balance));

    await expectBillsMatchStatistics(MARCH, marchFrom, marchTo);
    await expectBillsMatchStatistics('2027-02', Date.parse('2027-02-01T00:00:00+08:00'), marchFrom);
    expect(await t.call('bills.verify', { month: MARCH }, clerk)).toMatchObject({ ok: true, mismatchCount: 0, enterprises: enterprises.length });
  });

  it('a month closes from the grace day of the next month, earlier only with force, never before it is over', async () => {
    expect((await bill(data.enterprises.a, '2027-11')).closableFrom).toBe(new Date(Date.parse('2027-12-05T00:00:00+08:00')).toISOString());
    await expect(t.call('bills.close', { month: '2027-11' }, clerk)).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('bills.close', { month: '2027-12', force: true }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(countClosed()).toBe(0);
    // The grace day is a setting: from the 2nd, November could be closed now.
    await t.call('settings.update', { bills: { closeFromDay: 2 } }, admin);
    expect((await t.call('settings.get', {}, admin)).bills).toEqual({ closeFromDay: 2 });
    expect((await bill(data.enterprises.a, '2027-11')).closableFrom).toBe(new Date(Date.parse('2027-12-02T00:00:00+08:00')).toISOString());
    await t.call('settings.update', { bills: { closeFromDay: 5 } }, admin);
    await expect(t.call('settings.update', { bills: { closeFromDay: 29 } }, admin)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('after March is closed, later March calls are late usage on the next open bill; the closed bill never changes', async () => {
    await setClock('2027-12-10T10:00:00+08:00');
    const closed = await t.call('bills.close', { month: MARCH }, clerk);
    // February and March of every enterprise: months close in order.
    expect(closed.closed).toHaveLength(enterprises.length * 2);
    const marchStored = new Map(enterprises.map((id) => [id, storedText(id, MARCH)!]));
    const marchBill = await bill(data.enterprises.a, MARCH);
    expect(marchBill).toMatchObject({ state: 'closed', closedBy: 'clerk1', basis: 'callDate' });
    expectIdentity(marchBill);

    const firstLate = maxCdrId();
    const late = generateCalls(47, Date.UTC(2027, 2, 20), 3, 60, ['8001', '8002', '8011', '8050'], ['trunk-cn', 'trunk-a']);
    await importCalls(t, clerk, data.deviceId, late, 300_000, 'march-late.csv');
    const lateCost = (id: number, after: number) =>
      t.services.db.prepare("SELECT COUNT(*) AS calls, IFNULL(SUM(cost), 0) AS amount FROM cdrs WHERE status = 'rated' AND enterprise_id = ? AND id > ?").get(id, after) as {
        calls: number;
        amount: number;
      };

    for (const id of enterprises) {
      expect(storedText(id, MARCH)).toBe(marchStored.get(id));
      const april = await bill(id, '2027-04');
      const expected = lateCost(id, firstLate);
      expect(april.lateUsage.total.calls).toBe(expected.calls);
      expect(m(april.lateUsage.total.amount)).toBe(expected.amount);
      if (expected.calls > 0) expect(april.lateUsage.months.map((l) => l.month)).toEqual([MARCH]);
      expect(april.opening).toBe((await bill(id, MARCH)).closing);
      expectIdentity(april);
      // Only the first open bill carries it.
      expect((await bill(id, '2027-05')).lateUsage.months).toEqual([]);
    }
    expect(await bill(data.enterprises.a, MARCH)).toEqual(marchBill);
    expect((await bill(data.enterprises.a, '2027-04')).lateUsage.months[0]!.byType.length).toBeGreaterThan(1);
    expect(await t.call('bills.verify', { month: MARCH }, clerk)).toMatchObject({ ok: true, mismatchCount: 0 });

    // The job closes April through November (past their grace days); April keeps the late usage it billed.
    expect(await t.services.bills.closeDue()).toBe(enterprises.length * 8);
    const aprilClosed = await bill(data.enterprises.a, '2027-04');
    expect(aprilClosed).toMatchObject({ state: 'closed', closedBy: 'system' });
    expect(aprilClosed.lateUsage.total.calls).toBe(lateCost(data.enterprises.a, firstLate).calls);

    // More March calls: late usage on December now, and only the new ones.
    const secondLate = maxCdrId();
    await importCalls(t, clerk, data.deviceId, generateCalls(53, Date.UTC(2027, 2, 28), 2, 40, ['8001', '8011'], ['trunk-cn']), 400_000, 'march-later.csv');
    for (const id of enterprises) {
      expect(storedText(id, MARCH)).toBe(marchStored.get(id));
      const december = await bill(id, '2027-12');
      expect(december.lateUsage.total.calls).toBe(lateCost(id, secondLate).calls);
      expect(m(december.lateUsage.total.amount)).toBe(lateCost(id, secondLate).amount);
      expectIdentity(december);
      // The chain of statements ends on the ledger: the newest closing is the sum of the balances now.
      const balances = t.services.db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id IN (SELECT id FROM accounts WHERE id = ? OR enterprise_id = ?)').pluck().get(id, id) as number;
      expect(m(december.closing)).toBe(balances);
    }
    for (const month of ['2027-02', MARCH, '2027-04', '2027-11', '2027-12']) {
      expect(await t.call('bills.verify', { month }, clerk), month).toMatchObject({ ok: true, mismatchCount: 0 });
    }
  });

  it('a rerate of a closed month is late usage from it; the check finds a bill that disagrees', async () => {
    const marchText = storedText(data.enterprises.a, MARCH);
    const before = await bill(data.enterprises.a, '2027-12');
    const rates = await t.call('rates.list', { rateGroupId: data.groupId }, clerk);
    await t.call('rates.update', { id: rates.find((r) => r.name === 'domestic')!.id, intervals: [{ start: 0, price: '0.10', unit: 60, increment: 6 }] }, clerk);
    const rerate = await t.call('cdrs.rerate', { from: marchFrom, to: marchTo, preview: false, reason: 'domestic price cut' }, clerk);
    expect(rerate.changed).toBeGreaterThan(0);
    const after = await bill(data.enterprises.a, '2027-12');
    const given = t.services.db
      .prepare("SELECT IFNULL(SUM(l.amount), 0) FROM ledger l JOIN cdrs c ON c.id = l.cdr_id WHERE l.kind = 'rerate' AND c.enterprise_id = ? AND c.start_at >= ? AND c.start_at < ?")
      .pluck()
      .get(data.enterprises.a, marchFrom, marchTo) as number;
    expect(given).toBeGreaterThan(0);
    expect(m(after.movements.lateUsage) - m(before.movements.lateUsage)).toBe(given);
    expect(storedText(data.enterprises.a, MARCH)).toBe(marchText);
    expect(await t.call('bills.verify', { month: MARCH }, clerk)).toMatchObject({ ok: true });

    // A statistics row changed behind the bills' back is found.
    t.services.db.prepare("UPDATE stats_daily SET amount = amount + 1 WHERE kind = 'enterprise' AND enterprise_id = ? AND day = (SELECT MIN(day) FROM stats_daily WHERE kind = 'enterprise' AND enterprise_id = ? AND day >= ?)")
      .run(data.enterprises.a, data.enterprises.a, Math.floor((marchFrom + 8 * 3_600_000) / 86_400_000));
    const check = await t.call('bills.verify', { month: MARCH }, clerk);
    expect(check.ok).toBe(false);
    expect(check.mismatches[0]).toMatchObject({ enterpriseId: data.enterprises.a, month: MARCH });
  });

  it('a postpaid enterprise owes its own part: a user card holding its own balance is neither its debt nor its credit', async () => {
    const card = (await t.call('userAccounts.create', { enterpriseId: data.enterprises.b, name: 'Prepaid card', ownBalance: true }, clerk)).id;
    await t.call('accounts.recharge', { accountId: card, amount: '50', reason: 'card' }, clerk);
    // The opening recharge of the data set more than covers the calls: a correction leaves the enterprise owing.
    await t.call('accounts.adjust', { accountId: data.enterprises.b, amount: '-6000', reason: 'correction' }, clerk);
    const december = await bill(data.enterprises.b, '2027-12');
    const enterpriseBalance = m((await t.call('enterprises.get', { id: data.enterprises.b }, clerk)).balance);
    expect(enterpriseBalance).toBeLessThan(0);
    expect(m(december.closing)).toBe(enterpriseBalance + 500_000);
    expect(m(december.amountDue!)).toBe(-enterpriseBalance);
    expectIdentity(december);
  });

  it('months before the retention cut are final: no late usage is reckoned for them', async () => {
    const before = await bill(data.enterprises.a, '2027-12');
    expect(before.lateUsage.months.map((l) => l.month)).toContain(MARCH);
    // The CDRs before April are purged (as the retention job marks it): March and February can no longer change.
    t.services.db.transaction(() => t.services.statistics.markCdrsPurgedBefore(marchTo))();
    const after = await bill(data.enterprises.a, '2027-12');
    expect(after.lateUsage.months).toEqual([]);
    expectIdentity(after);
  });
});

function countClosed(): number {
  return t.services.db.prepare('SELECT COUNT(*) FROM bills').pluck().get() as number;
}
