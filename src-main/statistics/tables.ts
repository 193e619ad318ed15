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
} from './figures';
import { planPeriod, sourceOf, type PeriodPlan } from './period';
import { enterpriseNames, namedAccounts, sumCdrsPerAccount, sumRollupDaysPerAccount, type AccountSums, type NamedAccount } from './repository';
import type { RollupState } from './rollup-repository';

export interface StatsTableQuery {
  from: number;
  to: number;
  timeZone: string;
  enterpriseId?: number;
  sort: StatsSort;
  order: 'asc' | 'desc';
  limit: number;
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
  if (plan.days) take(sumRollupDaysPerAccount(db, kind, plan.days, enterpriseId));
  for (const scan of plan.scans) take(sumCdrsPerAccount(db, kind, scan, enterpriseId));
  return out;
}

function accountNames(db: Sqlite, kind: StatsKind, enterpriseId?: number): Map<number, NamedAccount> {
  return new Map(namedAccounts(db, kind, enterpriseId).map((r) => [r.id, r]));
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

