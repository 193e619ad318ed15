/**
 * Monthly statements: closing = opening + recharges + refunds + adjustments + charges + rerates (signed ledger sums),
 * equal to the ledger for the month, breakdowns equal to the charge entries; a closed month never changes and a
 * rerate written after it was closed is in the next month's statement; months close by themselves once over.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillStatement } from '../src-shared/api/bills';
import { formatMoney, parseMoney } from '../src-shared/domain/money';
import { calendarOf, nextMonth } from '../src-main/statistics/zone-calendar';
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
  t = await startTestEngine({ http: false });
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

/** The statement adds up, and every figure is what the ledger holds for its period. */
function expectStatementFollowsLedger(bill: BillStatement) {
  const from = Date.parse(bill.periodFrom);
  const to = Date.parse(bill.periodTo);
  const mv = bill.movements;
  expect(m(bill.closing)).toBe(m(bill.opening) + m(mv.recharges) + m(mv.refunds) + m(mv.adjustments) + m(mv.charges) + m(mv.rerates));
  for (const b of bill.balances) {
    expect(m(b.opening)).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?', b.accountId, from));
    expect(m(b.closing)).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?', b.accountId, to));
    for (const [field, kind] of [['charges', 'charge'], ['recharges', 'recharge'], ['refunds', 'refund'], ['adjustments', 'adjustment'], ['rerates', 'rerate']] as const) {
      expect(m(b[field])).toBe(sumOf('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND kind = ? AND at >= ? AND at < ?', b.accountId, kind, from, to));
    }
  }
  const ids = bill.balances.map((b) => b.accountId);
  const inPeriod = `l.account_id IN (${ids.join(',')}) AND l.at >= ${from} AND l.at < ${to}`;
  const byType = t.services.db
    .prepare(`SELECT c.call_type AS callType, COUNT(*) AS calls, -SUM(l.amount) AS amount FROM ledger l JOIN cdrs c ON c.id = l.cdr_id WHERE ${inPeriod} AND l.kind = 'charge' GROUP BY c.call_type`)
    .all() as { callType: string; calls: number; amount: number }[];
  expect(bill.chargesByType.map((c) => ({ callType: c.callType, calls: c.calls, amount: m(c.amount) })).sort((a, b) => a.callType.localeCompare(b.callType))).toEqual(
    byType.sort((a, b) => a.callType.localeCompare(b.callType)),
  );
  const byAccount = new Map(
    (t.services.db.prepare(`SELECT charged_account_id AS id, -SUM(amount) AS amount FROM ledger l WHERE ${inPeriod} AND kind = 'charge' GROUP BY charged_account_id`).all() as { id: number; amount: number }[]).map(
      (r) => [r.id, r.amount],
    ),
  );
  for (const u of [...bill.chargesByUser, ...bill.chargesByGateway]) expect(m(u.amount)).toBe(byAccount.get(u.accountId));
  expect(m(bill.chargesToEnterprise.amount)).toBe(byAccount.get(bill.enterpriseId) ?? 0);
  expect(m(bill.rerates.amount)).toBe(m(mv.rerates));
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
    expect(m(a.charged)).toBe(-(m(bill.movements.charges) + m(bill.movements.rerates)));
    await expect(t.call('bills.list', { month: nextMonth(month) }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('a closed month never changes; a later rerate is in the next month', async () => {
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

    // Into the next month: its statement starts where the closed one ended and holds the rerate entries.
    const next = nextMonth(month);
    await advance(calendar.monthRange(next).from - t.services.now() + 86_400_000);
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: next }, clerk);
    expect(bill.periodFrom).toBe(before.periodTo);
    expect(bill.opening).toBe(before.closing);
    expect(m(bill.rerates.amount)).toBeGreaterThan(0);
    expect(bill.rerates.entries).toBe(sumOf("SELECT COUNT(*) FROM ledger WHERE kind = 'rerate' AND account_id IN (?, ?)", data.enterprises.a, ownBalanceUser));
    expect(m(bill.movements.charges)).toBe(0);
    expectStatementFollowsLedger(bill);
    const enterpriseBalance = bill.balances.find((b) => b.accountId === data.enterprises.a)!;
    expect(m(enterpriseBalance.closing)).toBe(m((await t.call('enterprises.get', { id: data.enterprises.a }, clerk)).balance));
  });

  it('months close by themselves once they are over', async () => {
    const next = nextMonth(month);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM bills WHERE month = ?').pluck().get(next)).toBe(0);
    await advance(calendar.monthRange(nextMonth(next)).from - t.services.now() + 3_600_000);
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
    await advance(calendar.monthRange(nextMonth(lastOver)).from - t.services.now() + 3_600_000);
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

  it('exports a statement that opens in Excel with its header block and summary', async () => {
    const ticket = await t.call('exports.bill', { enterpriseId: data.enterprises.a, month }, clerk);
    const file = path.join(t.dataDir, 'bill.xlsx');
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
    const sheet = wb.worksheets[0]!;
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month }, clerk);
    const cells = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(String(cells(1)[0])).toContain(bill.enterpriseName);
    expect(cells(3)).toEqual(['Month', month]);
    const rows = Array.from({ length: sheet.rowCount }, (_, i) => cells(i + 1));
    const closingRow = rows.find((r) => r[1] === 'Closing balance')!;
    expect(closingRow[4]).toBe(m(bill.closing) / 10_000);
    expect(sheet.getCell(`E${rows.indexOf(closingRow) + 1}`).numFmt).toBe('#,##0.00');
    expect(rows.filter((r) => r[0] === 'Charges by user').length).toBe(bill.chargesByUser.length + (bill.chargesToEnterprise.calls > 0 ? 1 : 0));
  });
});
