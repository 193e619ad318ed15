/**
 * Statistics per enterprise, user or gateway account for a period: the rollup days summed in SQL, the part days
 * counted from the CDRs (period.ts), joined with the accounts' names, sorted and cut to `limit` (totals cover all).
 */
import type { StatsKind, StatsRow, StatsSort, StatsTable } from '../../src-shared/api/statistics';
import { isoTime } from '../../src-shared/api/common';
import type { Sqlite } from '../db/connection';
import {
  addFigures,
  byTypeForApi,
  emptyByType,
  figuresForApi,
  figuresOfRow,
  isStatsCallType,
  totalOf,
  type Figures,
  type FiguresByType,
  type SummedRow,
} from './figures';
import { planPeriod, sourceOf, type PeriodPlan } from './period';
import type { RollupState } from './rollups';

export interface StatsTableQuery {
  from: number;
  to: number;
  timeZone: string;
  enterpriseId?: number;
  sort: StatsSort;
  order: 'asc' | 'desc';
  limit: number;
}

/** The CDR column that holds the account of each kind. */
export const ACCOUNT_COLUMN: Record<StatsKind, string> = {
  enterprise: 'enterprise_id',
  user: 'user_account_id',
  gateway: 'gateway_id',
};

interface AccountSums extends SummedRow {
  account_id: number;
  enterprise_id: number;
  call_type: string;
}

interface Accumulated {
  enterpriseId: number;
  byType: FiguresByType;
}

/** Sums per account and call type over a plan: rollup days plus CDR scans. */
export function sumPerAccount(db: Sqlite, kind: StatsKind, plan: PeriodPlan, enterpriseId?: number): Map<number, Accumulated> {
  const out = new Map<number, Accumulated>();
  const take = (rows: AccountSums[]) => {
    for (const r of rows) {
      if (!isStatsCallType(r.call_type)) continue;
      let a = out.get(r.account_id);
      if (!a) out.set(r.account_id, (a = { enterpriseId: r.enterprise_id, byType: emptyByType() }));
      addFigures(a.byType[r.call_type], figuresOfRow(r));
    }
  };
  const byEnterprise = enterpriseId !== undefined ? ' AND enterprise_id = @enterpriseId' : '';
  // Without an enterprise, naming every enterprise lets SQLite read each one's days as a range of the primary key
  // (rows of a day range stored together) instead of looking up each row from the (kind, day) index.
  const everyEnterprise = " AND enterprise_id IN (SELECT id FROM accounts WHERE kind = 'enterprise')";
  if (plan.days) {
    take(
      db
        .prepare(
          `SELECT account_id, enterprise_id, call_type, SUM(calls) AS calls, SUM(answered) AS answered, SUM(seconds) AS seconds,
             SUM(billed_seconds) AS billed_seconds, SUM(amount) AS amount
           FROM stats_daily WHERE kind = @kind AND day >= @first AND day < @end${byEnterprise || everyEnterprise}
           GROUP BY account_id, call_type`,
        )
        .all({ kind, first: plan.days.first, end: plan.days.end, ...(enterpriseId !== undefined ? { enterpriseId } : {}) }) as AccountSums[],
    );
  }
  const column = ACCOUNT_COLUMN[kind];
  for (const scan of plan.scans) {
    take(
      db
        .prepare(
          `SELECT ${column} AS account_id, enterprise_id, call_type, COUNT(*) AS calls, SUM(billsec > 0) AS answered,
             SUM(billsec) AS seconds, SUM(billed_seconds) AS billed_seconds, SUM(cost) AS amount
           FROM cdrs WHERE status = 'rated' AND start_at >= @from AND start_at < @to AND ${column} IS NOT NULL${byEnterprise}
           GROUP BY ${column}, call_type`,
        )
        .all({ from: scan.from, to: scan.to, ...(enterpriseId !== undefined ? { enterpriseId } : {}) }) as AccountSums[],
    );
  }
  return out;
}

interface NamedAccount {
  id: number;
  name: string;
  enterprise_id: number | null;
}

function accountNames(db: Sqlite, kind: StatsKind, enterpriseId?: number): Map<number, NamedAccount> {
  const rows = (
    kind === 'enterprise'
      ? db.prepare("SELECT id, name, NULL AS enterprise_id FROM accounts WHERE kind = 'enterprise'").all()
      : enterpriseId !== undefined
        ? db.prepare('SELECT id, name, enterprise_id FROM accounts WHERE enterprise_id = ? AND kind = ?').all(enterpriseId, kind)
        : db.prepare('SELECT id, name, enterprise_id FROM accounts WHERE kind = ?').all(kind)
  ) as NamedAccount[];
  return new Map(rows.map((r) => [r.id, r]));
}

function enterpriseNames(db: Sqlite): Map<number, string> {
  const rows = db.prepare("SELECT id, name FROM accounts WHERE kind = 'enterprise'").all() as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface BuiltRow {
  id: number;
  name: string;
  enterpriseId: number;
  enterpriseName: string;
  byType: FiguresByType;
  total: Figures;
}

function sortValue(row: BuiltRow, sort: StatsSort): number {
  const [scope, field] = sort.split('.') as [string, 'calls' | 'seconds' | 'amount'];
  const figures = scope === 'total' ? row.total : row.byType[scope as keyof FiguresByType];
  return figures[field];
}

export function sortRows(rows: BuiltRow[], sort: StatsSort, order: 'asc' | 'desc'): void {
  const sign = order === 'asc' ? 1 : -1;
  const byName = (a: BuiltRow, b: BuiltRow) => a.name.localeCompare(b.name) || a.id - b.id;
  if (sort === 'name') rows.sort((a, b) => sign * byName(a, b));
  else rows.sort((a, b) => sign * (sortValue(a, sort) - sortValue(b, sort)) || byName(a, b));
}

/** The statistics table of one kind of account; `rows` in API form, plus the rows before formatting for exports. */
export function statsTable(db: Sqlite, state: RollupState, kind: StatsKind, q: StatsTableQuery): { table: StatsTable; rows: BuiltRow[] } {
  const plan = planPeriod(state, q.from, q.to);
  const sums = sumPerAccount(db, kind, plan, q.enterpriseId);
  const names = accountNames(db, kind, q.enterpriseId);
  const enterprises = enterpriseNames(db);
  const rows: BuiltRow[] = [];
  const totalsByType = emptyByType();
  for (const [accountId, a] of sums) {
    const named = names.get(accountId);
    const enterpriseId = kind === 'enterprise' ? accountId : (named?.enterprise_id ?? a.enterpriseId);
    const row: BuiltRow = {
      id: accountId,
      name: named?.name ?? `#${accountId}`,
      enterpriseId,
      enterpriseName: enterprises.get(enterpriseId) ?? `#${enterpriseId}`,
      byType: a.byType,
      total: totalOf(a.byType),
    };
    if (row.total.calls === 0 && row.total.amount === 0) continue;
    rows.push(row);
    for (const [type, f] of Object.entries(a.byType)) addFigures(totalsByType[type as keyof FiguresByType], f);
  }
  sortRows(rows, q.sort, q.order);
  const shown = rows.slice(0, q.limit);
  const table: StatsTable = {
    kind,
    period: { from: isoTime(q.from), to: isoTime(q.to), timeZone: q.timeZone },
    rows: shown.map(toApiRow),
    totalRows: rows.length,
    totals: { byType: byTypeForApi(totalsByType), total: figuresForApi(totalOf(totalsByType)) },
    source: sourceOf(plan),
  };
  return { table, rows };
}

export function toApiRow(r: BuiltRow): StatsRow {
  return { id: r.id, name: r.name, enterpriseId: r.enterpriseId, enterpriseName: r.enterpriseName, byType: byTypeForApi(r.byType), total: figuresForApi(r.total) };
}

