/**
 * The reads of the statistics reports (tables, charts, dashboard, exports): rollup days summed from `stats_daily`,
 * part days counted from the rated CDRs, the accounts' names and the counts the dashboard's alerts show. The
 * statements that keep the rollups are in rollup-repository.ts.
 */
import type { DashboardAccountAlert, StatsKind } from '../../src-shared/api/statistics';
import type { Sqlite } from '../db/connection';
import type { AccountsRow, StatsDailyRow } from '../db/rows';
import type { SummedRow } from './figures';

/** The CDR column that holds the account of each kind. */
export const ACCOUNT_COLUMN: Record<StatsKind, string> = {
  enterprise: 'enterprise_id',
  user: 'user_account_id',
  gateway: 'gateway_id',
};

/** Sums of one account and call type. */
export interface AccountSums extends SummedRow, Pick<StatsDailyRow, 'account_id' | 'enterprise_id' | 'call_type'> {}

/** Rollup days [first, end) summed per account and call type (all enterprises, or one). */
export function sumRollupDaysPerAccount(db: Sqlite, kind: StatsKind, days: { first: number; end: number }, enterpriseId?: number): AccountSums[] {
  const byEnterprise = enterpriseId !== undefined ? ' AND enterprise_id = @enterpriseId' : '';
  // Without an enterprise, naming every enterprise lets SQLite read each one's days as a range of the primary key
  // (rows of a day range stored together) instead of looking up each row from the (kind, day) index.
  const everyEnterprise = " AND enterprise_id IN (SELECT id FROM accounts WHERE kind = 'enterprise')";
  return db
    .prepare(
      `SELECT account_id, enterprise_id, call_type, SUM(calls) AS calls, SUM(answered) AS answered, SUM(seconds) AS seconds,
             SUM(billed_seconds) AS billed_seconds, SUM(amount) AS amount
           FROM stats_daily WHERE kind = @kind AND day >= @first AND day < @end${byEnterprise || everyEnterprise}
           GROUP BY account_id, call_type`,
    )
    .all({ kind, first: days.first, end: days.end, ...(enterpriseId !== undefined ? { enterpriseId } : {}) }) as AccountSums[];
}

/** The rated CDRs that started in [from, to) counted per account of `kind` and call type. */
export function sumCdrsPerAccount(db: Sqlite, kind: StatsKind, scan: { from: number; to: number }, enterpriseId?: number): AccountSums[] {
  const byEnterprise = enterpriseId !== undefined ? ' AND enterprise_id = @enterpriseId' : '';
  const column = ACCOUNT_COLUMN[kind];
  return db
    .prepare(
      `SELECT ${column} AS account_id, enterprise_id, call_type, COUNT(*) AS calls, SUM(billsec > 0) AS answered,
             SUM(billsec) AS seconds, SUM(billed_seconds) AS billed_seconds, SUM(cost) AS amount
           FROM cdrs WHERE status = 'rated' AND start_at >= @from AND start_at < @to AND ${column} IS NOT NULL${byEnterprise}
           GROUP BY ${column}, call_type`,
    )
    .all({ from: scan.from, to: scan.to, ...(enterpriseId !== undefined ? { enterpriseId } : {}) }) as AccountSums[];
}

export type NamedAccount = Pick<AccountsRow, 'id' | 'name' | 'enterprise_id'>;

/** The accounts of a kind (of one enterprise, or all) with their names. */
export function namedAccounts(db: Sqlite, kind: StatsKind, enterpriseId?: number): NamedAccount[] {
  return (
    kind === 'enterprise'
      ? db.prepare("SELECT id, name, NULL AS enterprise_id FROM accounts WHERE kind = 'enterprise'").all()
      : enterpriseId !== undefined
        ? db.prepare('SELECT id, name, enterprise_id FROM accounts WHERE enterprise_id = ? AND kind = ?').all(enterpriseId, kind)
        : db.prepare('SELECT id, name, enterprise_id FROM accounts WHERE kind = ?').all(kind)
  ) as NamedAccount[];
}

/** Enterprise id -> name. */
export function enterpriseNames(db: Sqlite): Map<number, string> {
  const rows = db.prepare("SELECT id, name FROM accounts WHERE kind = 'enterprise'").all() as Pick<AccountsRow, 'id' | 'name'>[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function accountName(db: Sqlite, id: number): string | undefined {
  return db.prepare('SELECT name FROM accounts WHERE id = ?').pluck().get(id) as string | undefined;
}

/** What a chart reads: one kind of account, optionally one enterprise and one account. */
export interface SeriesFilter {
  kind: StatsKind;
  enterpriseId?: number;
  accountId?: number;
}

/** A rollup day and call type with its summed calls and amount. */
export interface DayRow extends Pick<StatsDailyRow, 'day' | 'call_type'> {
  calls: number;
  amount: number;
}

/** Calls and amount per rollup day and call type, for the days [first, end). */
export function sumRollupDays(db: Sqlite, f: SeriesFilter, days: { first: number; end: number }): DayRow[] {
  const where = [
    'kind = @kind',
    'day >= @first',
    'day < @end',
    ...(f.enterpriseId !== undefined ? ['enterprise_id = @enterpriseId'] : []),
    ...(f.accountId !== undefined ? ['account_id = @accountId'] : []),
  ].join(' AND ');
  return db
    .prepare(`SELECT day, call_type, SUM(calls) AS calls, SUM(amount) AS amount FROM stats_daily WHERE ${where} GROUP BY day, call_type`)
    .all({ ...seriesParams(f), first: days.first, end: days.end }) as DayRow[];
}

export interface QuarterRow {
  /** Start of the quarter hour: `quarter` * 900 000 ms. */
  quarter: number;
  call_type: string;
  calls: number;
  amount: number;
}

/**
 * The rated CDRs of a chart grouped by quarter hour (`quarterMs`, from the epoch) and call type; prepared once, run
 * per part of the period.
 */
export function cdrQuartersReader(db: Sqlite, f: SeriesFilter, quarterMs: number): (from: number, to: number) => QuarterRow[] {
  const column = ACCOUNT_COLUMN[f.kind];
  const where = [
    "status = 'rated'",
    'start_at >= @from',
    'start_at < @to',
    `${column} IS NOT NULL`,
    ...(f.enterpriseId !== undefined ? ['enterprise_id = @enterpriseId'] : []),
    ...(f.accountId !== undefined ? [`${column} = @accountId`] : []),
  ].join(' AND ');
  const scan = db.prepare(
    `SELECT start_at / ${quarterMs} AS quarter, call_type, COUNT(*) AS calls, SUM(cost) AS amount FROM cdrs WHERE ${where} GROUP BY quarter, call_type`,
  );
  const { kind: _kind, ...params } = seriesParams(f);
  return (from, to) => scan.all({ ...params, from, to }) as QuarterRow[];
}

function seriesParams(f: SeriesFilter) {
  return {
    kind: f.kind,
    ...(f.enterpriseId !== undefined ? { enterpriseId: f.enterpriseId } : {}),
    ...(f.accountId !== undefined ? { accountId: f.accountId } : {}),
  };
}

/** An account row as the dashboards' alerts read it. */
export interface AlertAccountRow extends Pick<AccountsRow, 'id' | 'name' | 'enterprise_id' | 'balance'> {
  kind: DashboardAccountAlert['kind'];
  status: 'active' | 'frozen';
  alert_state: 'ok' | 'low' | 'exhausted';
}

/** Which accounts an alert of the dashboard lists. */
export const ALERT_ACCOUNTS = {
  lowBalance: "alert_state = 'low' AND own_balance = 1",
  exhausted: "alert_state = 'exhausted' AND own_balance = 1",
  frozen: "status = 'frozen'",
} as const;

/** How many accounts an alert holds and the first `limit` of them, lowest balance first. */
export function alertAccounts(db: Sqlite, alert: keyof typeof ALERT_ACCOUNTS, limit: number): { count: number; rows: AlertAccountRow[] } {
  const where = ALERT_ACCOUNTS[alert];
  const count = db.prepare(`SELECT COUNT(*) FROM accounts WHERE ${where}`).pluck().get() as number;
  const rows = db
    .prepare(`SELECT id, name, kind, enterprise_id, balance, status, alert_state FROM accounts WHERE ${where} ORDER BY balance, id LIMIT ?`)
    .all(limit) as AlertAccountRow[];
  return { count, rows };
}

export function countUnratedCdrs(db: Sqlite): number {
  return db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'unrated'").pluck().get() as number;
}

export function countOpenRejects(db: Sqlite): number {
  return db.prepare("SELECT COUNT(*) FROM cdr_rejects WHERE status = 'open'").pluck().get() as number;
}

/** Whether the statistics settings were ever stored (else the defaults are stored at the first start). */
export function statisticsSettingsStored(db: Sqlite): boolean {
  return db.prepare("SELECT 1 FROM settings WHERE key = 'statistics'").get() !== undefined;
}
