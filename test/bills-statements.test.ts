/**
 * Monthly statements: closing = opening + charges + late usage + recharges + refunds + adjustments; the usage lines
 * equal the charge and rerate entries of the calls that started in the month, balances and money movements equal the
 * ledger by posting date; a closed month never changes and a rerate written after it was closed is late usage on the
 * next statement; months close by themselves once their grace day (the 5th of the next month) has begun. The engine
 * runs on a clock stopped in March 2026, the month of the data set, moved forward by the tests.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillStatement } from '../src-shared/api/bills';
import { formatMoney, parseMoney } from '../src-shared/domain/money';
import { calendarOf, nextMonth } from '../src-main/statistics/zone-calendar';
import { stoppedClock } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, generateCalls, importCalls, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let admin: string;
let clerk: string;
let data: StatsDataSet;
let month: string;
let ownBalanceUser: number;
const ZONE = 'Asia/Shanghai';
const calendar = calendarOf(ZONE);

beforeAll(async () => {
  t = await startTestEngine({ http: false, now: stoppedClock('2026-03-20T10:00:00+08:00') });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('stats.setTimeZone', { timeZone: ZONE }, admin);
  await t.services.statistics.rebuilt();
  month = calendar.monthOf(t.services.now());
  data = await createStatsDataSet(t, clerk, Date.UTC(2026, 2, 1), 3, 200);
  // A user with a balance of its own: its calls draw on it, and it is a second balance of the statement.
  ownBalanceUser = (await t.call('userAccounts.create', { enterpriseId: data.enterprises.a, name: 'Sun Qiang', ownBalance: true, extensions: [{ deviceId: data.deviceId, number: '8020' }] }, clerk)).id;
  await t.call('accounts.recharge', { accountId: ownBalanceUser, amount: '80', reason: 'own card', method: 'cash' }, clerk);
  await importCalls(t, clerk, data.deviceId, generateCalls(5, Date.UTC(2026, 2, 2), 1, 40, ['8020'], ['trunk-cn']), 300_000, 'own.csv');
  await t.call('accounts.refund', { accountId: data.enterprises.a, amount: '12.5', reason: 'overpaid' }, clerk);
  await t.call('accounts.adjust', { accountId: data.enterprises.a, amount: '-3.25', reason: 'fee' }, clerk);
}, 60_000);
afterAll(() => t.dispose());

/** Moves the clock (sessions expire on the way) and logs the clerk in again. */
async function advance(ms: number) {
  t.advance(ms);
  clerk = (await t.login('clerk1', 'clerk1-Password-1')).token;
}

const sumOf = (sql: string, ...params: unknown[]) => t.services.db.prepare(sql).pluck().get(...params) as number;
const m = (text: string) => parseMoney(text);

/** Negation without -0 (toBe compares with Object.is). */
const neg = (n: number) => (n === 0 ? 0 : -n);

/**
 * The statement adds up; its usage is what the ledger holds for the calls that started in the period (charge and rerate
 * entries joined with their CDRs), its money movements and balances what the ledger holds by posting date.
 */
function expectStatementFollowsLedger(bill: BillStatement) {
  const from = Date.parse(bill.periodFrom);
  const to = Date.parse(bill.periodTo);
  const mv = bill.movements;
  expect(m(bill.closing)).toBe(m(bill.opening) + m(mv.charges) + m(mv.lateUsage) + m(mv.recharges) + m(mv.refunds) + m(mv.adjustments));
  for (const b of bill.balances) {
    expect(m(b.opening)).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?', b.accountId, from));
    expect(m(b.closing)).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?', b.accountId, to));
    for (const [field, kind] of [['charges', 'charge'], ['recharges', 'recharge'], ['refunds', 'refund'], ['adjustments', 'adjustment'], ['rerates', 'rerate']] as const) {
      expect(m(b[field])).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND kind = ? AND at >= ? AND at < ?', b.accountId, kind, from, to));
    }
  }
  const ids = bill.balances.map((b) => b.accountId);
  for (const [field, kind] of [['recharges', 'recharge'], ['refunds', 'refund'], ['adjustments', 'adjustment']] as const) {
    expect(m(mv[field])).toBe(sumOf(`SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id IN (${ids.join(',')}) AND kind = ? AND at >= ? AND at < ?`, kind, from, to));
  }
  const calls = `FROM ledger l JOIN cdrs c ON c.id = l.cdr_id
    WHERE c.enterprise_id = ${bill.enterpriseId} AND c.start_at >= ${from} AND c.start_at < ${to} AND l.kind IN ('charge', 'rerate')`;
  const byType = t.services.db
    .prepare(`SELECT c.call_type AS callType, SUM(l.kind = 'charge') AS calls, -SUM(l.amount) AS amount ${calls} GROUP BY c.call_type`)
    .all() as { callType: string; calls: number; amount: number }[];
  expect(bill.chargesByType.map((c) => ({ callType: c.callType, calls: c.calls, amount: m(c.amount) })).sort((a, b) => a.callType.localeCompare(b.callType))).toEqual(
    byType.filter((r) => r.calls !== 0 || r.amount !== 0).sort((a, b) => a.callType.localeCompare(b.callType)),
  );
  expect(m(mv.charges)).toBe(neg(byType.reduce((sum, r) => sum + r.amount, 0)));
  const byAccount = new Map(
    (t.services.db.prepare(`SELECT l.charged_account_id AS id, -SUM(l.amount) AS amount ${calls} GROUP BY l.charged_account_id`).all() as { id: number; amount: number }[]).map((r) => [r.id, r.amount]),
  );
  for (const u of [...bill.chargesByUser, ...bill.chargesByGateway]) expect(m(u.amount)).toBe(byAccount.get(u.accountId));
  expect(m(bill.chargesToEnterprise.amount)).toBe(byAccount.get(bill.enterpriseId) ?? 0);
}

describe('monthly statements', () => {
  it('an open month follows the ledger: opening, movements, closing, breakdowns', async () => {
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk);
    expect(bill.state).toBe('open');
    expect(bill.balances.map((b) => b.accountId).sort()).toEqual([data.enterprises.a, ownBalanceUser].sort());
    expect(bill.chargesByUser.length).toBeGreaterThan(1);
    expect(bill.chargesByGateway.map((g) => g.accountId)).toEqual([data.gateways.a]);
    expect(m(bill.movements.refunds)).toBe(-125_000);
    expect(m(bill.movements.adjustments)).toBe(-32_500);
    expect(bill.entries.map((e) => e.kind)).toEqual(['recharge', 'recharge', 'refund', 'adjustment']);
    expectStatementFollowsLedger(bill);
    // The month is the current one: closing balances are the balances now.
    expect(m(bill.balances.find((b) => b.accountId === data.enterprises.a)!.closing)).toBe(m((await t.call('enterprises.get', { id: data.enterprises.a }, clerk)).balance));
    // Every call of the enterprise started in this month: its own accounting ends on the ledger as well.
    expect(m(bill.closing)).toBe(bill.balances.reduce((sum, b) => sum + m(b.closing), 0));
    expect(bill.closableFrom).toBe(new Date(calendar.startOfDay(calendar.dayOf(calendar.monthRange(nextMonth(month)).from) + 4)).toISOString());
    const postpaid = await t.call('bills.get', { enterpriseId: data.enterprises.b, month }, clerk);
    expect(postpaid.billingMode).toBe('postpaid');
    expect(postpaid.amountDue).toBe(formatMoney(Math.max(0, -m(postpaid.closing))));
    expect(bill.amountDue).toBeNull();
  });

  it('lists every enterprise of a month with totals', async () => {
    const list = await t.call('bills.list', { month }, clerk);
    const enterprises = sumOf("SELECT COUNT(*) FROM accounts WHERE kind = 'enterprise'");
    expect(list.rows).toHaveLength(enterprises);
    expect(m(list.totals.closing)).toBe(list.rows.reduce((s, r) => s + m(r.closing), 0));
    const a = list.rows.find((r) => r.enterpriseId === data.enterprises.a)!;
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk);
    expect(a).toMatchObject({ opening: bill.opening, closing: bill.closing, state: 'open' });
    expect(m(a.charged)).toBe(-(m(bill.movements.charges) + m(bill.movements.lateUsage)));
    await expect(t.call('bills.list', { month: nextMonth(month) }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('a month closes from the 5th of the next month; closed, it never changes; a later rerate is late usage on the next', async () => {
    await expect(t.call('bills.close', { month }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    const next = nextMonth(month);
    await advance(calendar.monthRange(next).from - t.services.now() + 86_400_000);
    // Over, but in its grace period: refused unless forced.
    await expect(t.call('bills.close', { month }, clerk)).rejects.toMatchObject({ code: 'conflict' });
    await advance(3 * 86_400_000);
    const closed = await t.call('bills.close', { month }, clerk);
    expect(closed.closed.map((c) => c.month)).toContain(month);
    const before = await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk);
    expect(before).toMatchObject({ state: 'closed', closedBy: 'clerk1' });
    expectStatementFollowsLedger(before);
    expect(() => t.services.db.prepare('UPDATE bills SET closing = 0').run()).toThrow(/never changes/);
    expect(() => t.services.db.prepare('DELETE FROM bills').run()).toThrow(/never changes/);

    t.advance(5_000);
    const rates = await t.call('rates.list', { rateGroupId: data.groupId }, clerk);
    await t.call('rates.update', { id: rates.find((r) => r.name === 'international')!.id, intervals: [{ start: 0, price: '0.90', unit: 60, increment: 60 }] }, clerk);
    const rerate = await t.call('cdrs.rerate', { from: data.from, to: data.to, preview: false, reason: 'international price cut' }, clerk);
    expect(rerate.changed).toBeGreaterThan(0);
    expect(await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk)).toEqual(before);

    // The next month starts where the closed one ended; the rerate of the closed month's calls is its late usage.
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: next }, clerk);
    expect(bill.periodFrom).toBe(before.periodTo);
    expect(bill.opening).toBe(before.closing);
    expect(bill.lateUsage.months.map((l) => l.month)).toEqual([month]);
    expect(m(bill.movements.lateUsage)).toBeGreaterThan(0);
    expect(m(bill.movements.lateUsage)).toBe(sumOf("SELECT SUM(amount) FROM ledger WHERE kind = 'rerate' AND account_id IN (?, ?)", data.enterprises.a, ownBalanceUser));
    expect(m(bill.movements.charges)).toBe(0);
    expectStatementFollowsLedger(bill);
    const enterpriseBalance = bill.balances.find((b) => b.accountId === data.enterprises.a)!;
    expect(m(enterpriseBalance.closing)).toBe(m((await t.call('enterprises.get', { id: data.enterprises.a }, clerk)).balance));
    expect(m(bill.closing)).toBe(bill.balances.reduce((sum, b) => sum + m(b.closing), 0));
    expect(await t.call('bills.verify', { month }, clerk)).toMatchObject({ ok: true });
  });

  it('months close by themselves once the grace day of the next month has begun', async () => {
    const next = nextMonth(month);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM bills WHERE month = ?').pluck().get(next)).toBe(0);
    await advance(calendar.monthRange(nextMonth(next)).from - t.services.now() + 3_600_000);
    expect(await t.services.bills.closeDue()).toBe(0);
    await advance(4 * 86_400_000);
    expect(await t.services.bills.closeDue()).toBeGreaterThan(0);
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: next }, clerk);
    expect(bill).toMatchObject({ state: 'closed', closedBy: 'system' });
    expect(bill.periodTo).toBe(new Date(calendar.monthRange(next).to).toISOString());
    expectStatementFollowsLedger(bill);
  });

  it('the closing job goes on past a month that bills.close closed while it paused', async () => {
    const db = t.services.db;
    const firstOver = nextMonth(nextMonth(month));
    const lastOver = nextMonth(firstOver);
    await advance(calendar.monthRange(nextMonth(lastOver)).from - t.services.now() + 5 * 86_400_000);
    const enterprises = db.prepare("SELECT id FROM accounts WHERE kind = 'enterprise' ORDER BY name, id").pluck().all() as number[];
    expect(enterprises.length).toBeGreaterThan(1);
    // The job closes the first enterprise's first month, then pauses; a clerk closes that enterprise's next month.
    const job = t.services.bills.closeDue();
    expect(db.prepare('SELECT month FROM bills WHERE enterprise_id = ? AND month >= ?').pluck().all(enterprises[0], firstOver)).toEqual([firstOver]);
    db.transaction(() => t.services.bills.close(lastOver, enterprises[0], 'clerk1'))();
    expect(await job).toBe(enterprises.length * 2 - 1);
    const closed = db.prepare('SELECT enterprise_id, month, closed_by FROM bills WHERE month >= ? ORDER BY enterprise_id, month').raw().all(firstOver);
    expect(closed).toEqual(
      enterprises
        .slice()
        .sort((x, y) => x - y)
        .flatMap((id) => [
          [id, firstOver, 'system'],
          [id, lastOver, id === enterprises[0] ? 'clerk1' : 'system'],
        ]),
    );
  });

  /** The first sheet of a statement exported as .xlsx (read back with exceljs). */
  async function exportedSheet(forMonth: string, language: 'en' | 'zh-CN' = 'en') {
    const ticket = await t.call('exports.bill', { enterpriseId: data.enterprises.a, month: forMonth, language }, clerk);
    const file = path.join(t.dataDir, `bill-${forMonth}-${language}.xlsx`);
    let offset = 0;
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = await t.call('downloads.read', { token: ticket.token, offset }, clerk);
      parts.push(Buffer.from(chunk.base64, 'base64'));
      offset += parts[parts.length - 1]!.length;
      if (chunk.done) break;
    }
    fs.writeFileSync(file, Buffer.concat(parts));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    return wb.worksheets[0]!;
  }

  it('exports a statement that opens in Excel with its header block and summary', async () => {
    const sheet = await exportedSheet(month);
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk);
    const cells = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(String(cells(1)[0])).toContain(bill.enterpriseName);
    expect(cells(3)).toEqual(['Month', month]);
    const rows = Array.from({ length: sheet.rowCount }, (_, i) => cells(i + 1));
    const closingRow = rows.find((r) => r[1] === 'Closing balance')!;
    expect(closingRow[4]).toBe(m(bill.closing) / 10_000);
    expect(sheet.getCell(`E${rows.indexOf(closingRow) + 1}`).numFmt).toBe('#,##0.00');
    expect(rows.filter((r) => r[0] === 'Calls of the month by user').length).toBe(bill.chargesByUser.length + (bill.chargesToEnterprise.calls > 0 ? 1 : 0));
  });

  it('exports the late usage apart, by month and call type, in both languages', async () => {
    const next = nextMonth(month);
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: next }, clerk);
    expect(bill.lateUsage.months).toHaveLength(1);
    for (const [language, section, summary] of [
      ['en', `Late usage from ${month}`, 'Late usage from closed months'],
      ['zh-CN', `${month} 的迟到话费`, '已结月份的迟到话费'],
    ] as const) {
      const sheet = await exportedSheet(next, language);
      const rows = Array.from({ length: sheet.rowCount }, (_, i) => (sheet.getRow(i + 1).values as unknown[]).slice(1));
      const late = rows.filter((r) => r[0] === section);
      expect(late).toHaveLength(bill.lateUsage.months[0]!.byType.length);
      expect(late.reduce((sum, r) => sum + Math.round((r[4] as number) * 10_000), 0)).toBe(m(bill.lateUsage.total.amount));
      expect(rows.find((r) => r[1] === summary)![4]).toBe(m(bill.movements.lateUsage) / 10_000);
    }
  });
});
