/**
 * The statements of the monthly bills: stored statements (`bills`), the enterprise's accounts, the ledger sums and
 * entries a statement shows, the enterprise's rollup days (late usage) and the charges of its calls (bills.verify).
 * Money in 1/10000 units, as stored.
 */
import type { AccountKind, BillingMode, LedgerKind } from '../../src-shared/api/accounts';
import type { Sqlite } from '../db/connection';
import type { AccountsRow, BillsRow, LedgerRow, StatsDailyRow, StatsStateRow } from '../db/rows';

/** A closed statement as stored (`statement` is the BillStatement as JSON). */
export type StoredBill = Pick<BillsRow, 'enterprise_id' | 'month' | 'time_zone' | 'period_from' | 'period_to' | 'statement'>;

/** The closed statements of an enterprise, oldest month first. */
export function storedBills(db: Sqlite, enterpriseId: number): StoredBill[] {
  return db
    .prepare('SELECT enterprise_id, month, time_zone, period_from, period_to, statement FROM bills WHERE enterprise_id = ? ORDER BY month')
    .all(enterpriseId) as StoredBill[];
}

export function storedBill(db: Sqlite, enterpriseId: number, month: string): StoredBill | undefined {
  return db
    .prepare('SELECT enterprise_id, month, time_zone, period_from, period_to, statement FROM bills WHERE enterprise_id = ? AND month = ?')
    .get(enterpriseId, month) as StoredBill | undefined;
}

/** The last closed month of an enterprise, or null. */
export function lastClosedMonth(db: Sqlite, enterpriseId: number): string | null {
  return db.prepare('SELECT MAX(month) FROM bills WHERE enterprise_id = ?').pluck().get(enterpriseId) as string | null;
}

/** Closed months of an enterprise after `month`, in order. */
export function closedMonthsAfter(db: Sqlite, enterpriseId: number, month: string): string[] {
  return db.prepare('SELECT month FROM bills WHERE enterprise_id = ? AND month > ? ORDER BY month').pluck().all(enterpriseId, month) as string[];
}

/** A statement as it is closed: its figures beside the JSON of the whole statement. */
export interface ClosedBillRow {
  enterpriseId: number;
  month: string;
  timeZone: string;
  periodFrom: number;
  periodTo: number;
  opening: number;
  closing: number;
  amountDue: number | null;
  statement: string;
  closedAt: number;
  closedBy: string;
}

export function insertBill(db: Sqlite, b: ClosedBillRow): void {
  db.prepare(
    `INSERT INTO bills (enterprise_id, month, time_zone, period_from, period_to, opening, closing, amount_due, statement, closed_at, closed_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(b.enterpriseId, b.month, b.timeZone, b.periodFrom, b.periodTo, b.opening, b.closing, b.amountDue, b.statement, b.closedAt, b.closedBy);
}

/** The kind of an account (undefined when there is none with that id). */
export function accountKind(db: Sqlite, id: number): string | undefined {
  return db.prepare('SELECT kind FROM accounts WHERE id = ?').pluck().get(id) as string | undefined;
}

/** Every enterprise, by name. */
export function enterpriseIdsByName(db: Sqlite): number[] {
  return db.prepare("SELECT id FROM accounts WHERE kind = 'enterprise' ORDER BY name, id").pluck().all() as number[];
}

export function accountCreatedAt(db: Sqlite, id: number): number {
  return db.prepare('SELECT created_at FROM accounts WHERE id = ?').pluck().get(id) as number;
}

/** When the account's first ledger entry was written, or null. */
export function firstLedgerEntryAt(db: Sqlite, accountId: number): number | null {
  return db.prepare('SELECT MIN(at) FROM ledger WHERE account_id = ?').pluck().get(accountId) as number | null;
}

/** The enterprise's first rollup day and the zone of the rollup days (null when the rollups were never counted). */
export function firstEnterpriseCallDay(db: Sqlite, enterpriseId: number): { timeZone: string; day: number | null } | null {
  const row = db.prepare('SELECT time_zone FROM stats_state WHERE id = 1').get() as Pick<StatsStateRow, 'time_zone'>;
  if (!row.time_zone) return null;
  const day = db.prepare("SELECT MIN(day) FROM stats_daily WHERE kind = 'enterprise' AND enterprise_id = ?").pluck().get(enterpriseId) as number | null;
  return { timeZone: row.time_zone, day };
}

/** An account a statement names, its kind and billing mode narrowed to the values the schema allows. */
export interface AccountRow extends Pick<AccountsRow, 'id' | 'name' | 'code'> {
  kind: AccountKind;
  billing_mode: BillingMode;
}

/** The enterprise first, then its user and gateway accounts. */
export function enterpriseAccounts(db: Sqlite, enterpriseId: number): AccountRow[] {
  return db
    .prepare('SELECT id, name, kind, code, billing_mode FROM accounts WHERE id = ? OR enterprise_id = ? ORDER BY kind <> \'enterprise\', kind, name, id')
    .all(enterpriseId, enterpriseId) as AccountRow[];
}

/** Any account by id (a user or gateway may have moved to another enterprise since); prepared once per statement. */
export function accountByIdReader(db: Sqlite): (id: number) => AccountRow | undefined {
  const anyAccount = db.prepare('SELECT id, name, kind, code, billing_mode FROM accounts WHERE id = ?');
  return (id) => anyAccount.get(id) as AccountRow | undefined;
}

/** Ledger sums of one account, prepared once for the balances of a statement. */
export interface LedgerSums {
  /** Sum of the entries written before `at`. */
  before(accountId: number, at: number): number;
  /** Sum of the entries written at >= from and < to. */
  between(accountId: number, from: number, to: number): number;
  /** Sums per entry kind of the entries written at >= from and < to. */
  byKind(accountId: number, from: number, to: number): { kind: LedgerKind; amount: number }[];
}

export function ledgerSums(db: Sqlite): LedgerSums {
  const sumBefore = db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?').pluck();
  const sumBetween = db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at >= ? AND at < ?').pluck();
  const sums = db.prepare('SELECT kind, SUM(amount) AS amount FROM ledger WHERE account_id = ? AND at >= ? AND at < ? GROUP BY kind');
  return {
    before: (accountId, at) => sumBefore.get(accountId, at) as number,
    between: (accountId, from, to) => sumBetween.get(accountId, from, to) as number,
    byKind: (accountId, from, to) => sums.all(accountId, from, to) as { kind: LedgerKind; amount: number }[],
  };
}

/** Recharges, refunds and adjustments written at >= from and < to on the enterprise's balances, summed per kind. */
export function moneyMovementSums(db: Sqlite, enterpriseId: number, from: number, to: number): { kind: 'recharge' | 'refund' | 'adjustment'; amount: number }[] {
  return db
    .prepare(
      `SELECT kind, SUM(amount) AS amount FROM ledger
       WHERE account_id IN (SELECT id FROM accounts WHERE id = ? OR enterprise_id = ?) AND at >= ? AND at < ?
         AND kind IN ('recharge', 'refund', 'adjustment')
       GROUP BY kind`,
    )
    .all(enterpriseId, enterpriseId, from, to) as { kind: 'recharge' | 'refund' | 'adjustment'; amount: number }[];
}

/** A ledger entry a statement lists (money movements, not charges or rerates). */
export interface MoneyEntryRow extends Pick<LedgerRow, 'id' | 'at' | 'amount' | 'account_id' | 'operator' | 'reason' | 'method' | 'reference'> {
  kind: LedgerKind;
}

/** The money entries of one account written at >= from and < to, in order; prepared once per statement. */
export function moneyEntriesReader(db: Sqlite): (accountId: number, from: number, to: number) => MoneyEntryRow[] {
  const entries = db.prepare(
    `SELECT id, at, kind, amount, account_id, operator, reason, method, reference FROM ledger
     WHERE account_id = ? AND at >= ? AND at < ? AND kind NOT IN ('charge', 'rerate') ORDER BY at, id`,
  );
  return (accountId, from, to) => entries.all(accountId, from, to) as MoneyEntryRow[];
}

/** A rollup day and call type of an enterprise with its summed calls, seconds and amount. */
export interface EnterpriseDayRow extends Pick<StatsDailyRow, 'day' | 'call_type'> {
  calls: number;
  seconds: number;
  amount: number;
}

/** Calls, seconds and amount of the enterprise per rollup day and call type, for the days before `endDay`. */
export function enterpriseRollupDays(db: Sqlite, enterpriseId: number, endDay: number): EnterpriseDayRow[] {
  return db
    .prepare(
      `SELECT day, call_type, SUM(calls) AS calls, SUM(seconds) AS seconds, SUM(amount) AS amount FROM stats_daily
       WHERE kind = 'enterprise' AND enterprise_id = ? AND day < ? GROUP BY day, call_type`,
    )
    .all(enterpriseId, endDay) as EnterpriseDayRow[];
}

/**
 * The ledger's charges and rerates of the enterprise's CDRs that started at >= from and < to, per call type: calls
 * and seconds of the charges, and what they cost (positive).
 */
export function ledgerUsageByType(db: Sqlite, enterpriseId: number, from: number, to: number): { callType: string; calls: number; seconds: number; amount: number }[] {
  return db
    .prepare(
      `SELECT c.call_type AS callType, SUM(l.kind = 'charge') AS calls, SUM(c.billsec * (l.kind = 'charge')) AS seconds, -SUM(l.amount) AS amount
       FROM cdrs c JOIN ledger l ON l.cdr_id = c.id
       WHERE c.enterprise_id = ? AND c.start_at >= ? AND c.start_at < ? AND l.kind IN ('charge', 'rerate')
       GROUP BY c.call_type`,
    )
    .all(enterpriseId, from, to) as { callType: string; calls: number; seconds: number; amount: number }[];
}
