/**
 * The SQL of the records pages: search pages and counts (the text is built by cdr-query.ts), CDRs by id with the names
 * the table shows, one CDR's detail (its ledger entries, the other legs of its call), and the names an export looks up.
 */
import type { CdrDetail, CdrFilter, CdrLegView } from '../../src-shared/api/cdrs';
import type { Sqlite } from '../db/connection';
import type { AccountsRow, CdrsRow, LedgerRow, SetColumns } from '../db/rows';
import {
  cappedCountQuery,
  cdrChunkQuery,
  cdrPageQuery,
  cdrRowsByIdsQuery,
  choosePlan,
  daysOf,
  RANGE_PLAN_MAX_MATCHES,
  walkDayPlan,
  walkDays,
  type CdrKey,
  type CdrOrder,
  type CdrPlan,
  type CdrPosition,
  type StoredSpan,
  type Term,
} from './cdr-query';
import type { CdrRecord } from './cdr-rows';

/** How many entries of `index` match `terms` (on `days` only, if given), counting at most `cap` (index entries only). */
function cappedCount(db: Sqlite, index: string, terms: Term[], cap: number, days?: readonly number[]): number {
  const q = cappedCountQuery(index, terms, days);
  return db.prepare(q.sql).pluck().get(...q.params, cap) as number;
}

/** The start times of the oldest and newest stored CDRs (two reads of the ends of the time index). */
function storedSpan(db: Sqlite): StoredSpan {
  const [first, last] = db.prepare('SELECT (SELECT min(start_at) FROM cdrs), (SELECT max(start_at) FROM cdrs)').raw().get() as [
    number | null,
    number | null,
  ];
  return first === null || last === null ? null : { first, last };
}

/** Picks the index for a filter (and page position), probing the candidate indexes with capped counts (cdr-query.ts). */
export function planCdrQuery(
  db: Sqlite,
  f: CdrFilter,
  after?: CdrPosition,
  rangeMaxMatches = RANGE_PLAN_MAX_MATCHES,
  order: CdrOrder = 'desc',
): CdrPlan {
  return choosePlan((index, terms, cap, days) => cappedCount(db, index, terms, cap, days), f, storedSpan(db), after, rangeMaxMatches, order);
}

/** Up to `limit` matching CDRs after `after` in `order`: (id, start_at) only; rows are read by id afterwards. */
export function selectCdrKeys(db: Sqlite, plan: CdrPlan, limit: number, after?: CdrPosition, order: CdrOrder = 'desc'): CdrKey[] {
  const q = cdrPageQuery(plan, after, order);
  const stmt = db.prepare(q.sql);
  if (plan.kind !== 'day') return stmt.all(...q.params, limit) as CdrKey[];
  // The first parameter is the window's days (cdrPageQuery): the same statement reads every window.
  const rest = q.params.slice(1);
  const span = walkDays(plan.where, storedSpan(db), after, order);
  return walkDayPlan(span, limit, order, (days, n) => stmt.all(JSON.stringify(days), ...rest, n) as CdrKey[]);
}

/**
 * A reader of successive chunks of the plan's rows (the given columns; as arrays when `raw`), latest first: each call
 * continues after `after`. Statements are prepared once for the whole iteration (exports). A day-led plan's chunk is
 * read as a page of keys, then its rows by id.
 */
export function cdrChunkReader<R>(db: Sqlite, plan: CdrPlan, columns: string, raw = false): (limit: number, after?: CdrPosition) => R[] {
  if (plan.kind === 'day') {
    const rows = db.prepare(cdrRowsByIdsQuery(columns));
    if (raw) rows.raw(true);
    return (limit, after) => {
      const keys = selectCdrKeys(db, plan, limit, after);
      return keys.length ? (rows.all(JSON.stringify(keys.map((k) => k.id))) as R[]) : [];
    };
  }
  const make = (withPosition: boolean) => {
    const q = cdrChunkQuery(plan, columns, withPosition);
    const stmt = db.prepare(q.sql);
    // Arrays instead of objects (raw) for long reads: a third faster.
    if (raw) stmt.raw(true);
    return { stmt, fixed: q.fixed };
  };
  const first = make(false);
  const next = make(true);
  return (limit, after) =>
    (after ? next.stmt.all(...next.fixed, after[0], after[1], limit) : first.stmt.all(...first.fixed, limit)) as R[];
}

/** How many CDRs match the plan's filter, counting at most `cap` (a day-led plan: on every day of the period). */
export function countCdrs(db: Sqlite, plan: CdrPlan, cap: number): number {
  if (plan.kind !== 'day') return cappedCount(db, plan.index, plan.where, cap);
  const span = walkDays(plan.where, storedSpan(db), undefined, 'desc');
  return span ? cappedCount(db, plan.index, plan.where, cap, daysOf(span)) : 0;
}

/**
 * The SQL and plan SQLite would run (tests and the bench check that no page sorts the table); for a day-led plan, the
 * query of one window of days.
 */
export function explainCdrQuery(db: Sqlite, plan: CdrPlan, limit: number, after?: CdrPosition): string[] {
  const q = cdrPageQuery(plan, after, 'desc', [0]);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, limit) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** The start of the oldest CDR kept (null: none). */
export function oldestCdrStart(db: Sqlite): number | null {
  return db.prepare('SELECT min(start_at) FROM cdrs').pluck().get() as number | null;
}

const CDR_RECORD_SELECT = `SELECT c.id, c.device_id, d.name AS device_name, c.start_at, c.answer_at, c.end_at, c.duration,
  c.billsec, c.caller, c.caller_name, c.callee, c.normalized, c.direction, c.disposition, c.call_type, c.region, c.country,
  c.status, c.status_reason, c.cost, c.billed_seconds, c.rate_id, r.name AS rate_name, c.enterprise_id, e.name AS enterprise_name,
  c.user_account_id, u.name AS user_account_name, c.gateway_id, g.name AS gateway_name
FROM cdrs c
JOIN devices d ON d.id = c.device_id
LEFT JOIN rates r ON r.id = c.rate_id
LEFT JOIN accounts e ON e.id = c.enterprise_id
LEFT JOIN accounts u ON u.id = c.user_account_id
LEFT JOIN accounts g ON g.id = c.gateway_id`;

/** Rows of these ids, in the order of `ids` (missing ids are left out). */
export function cdrRecordsByIds(db: Sqlite, ids: readonly number[]): CdrRecord[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`${CDR_RECORD_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as CdrRecord[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is CdrRecord => r !== undefined);
}

/** The further cdrs columns DETAIL_SELECT reads. */
type DetailColumns = Pick<
  CdrsRow,
  'format' | 'native_id' | 'dedup_key' | 'original_callee' | 'final_callee' | 'trunk_in' | 'trunk_out' | 'cause' | 'account_code' | 'pin'
  | 'raw' | 'joined_records' | 'source_name' | 'source_line' | 'source_offset' | 'source_index' | 'received_at' | 'rated_at'
  | 'rate_group_id' | 'account_id' | 'leg_call_id' | 'leg_billed'
>;

/** A CDR with everything `cdrs.get` shows of it (source kind and leg role narrowed to the values the schema allows). */
export interface DetailRecord extends CdrRecord, DetailColumns {
  source_kind: CdrDetail['source']['kind'];
  leg_role: CdrLegView['role'];
}

const DETAIL_SELECT = CDR_RECORD_SELECT.replace(
  'FROM cdrs c',
  `, c.format, c.native_id, c.dedup_key, c.original_callee, c.final_callee, c.trunk_in, c.trunk_out, c.cause, c.account_code,
  c.pin, c.raw, c.joined_records, c.source_kind, c.source_name, c.source_line, c.source_offset, c.source_index, c.received_at,
  c.rated_at, c.rate_group_id, c.account_id, c.leg_role, c.leg_call_id, c.leg_billed
FROM cdrs c`,
);

export function findCdrDetail(db: Sqlite, id: number): DetailRecord | undefined {
  return db.prepare(`${DETAIL_SELECT} WHERE c.id = ?`).get(id) as DetailRecord | undefined;
}

/** An account's name ('' when it is gone). */
export function accountNameOf(db: Sqlite, id: number): string {
  return String(db.prepare('SELECT name FROM accounts WHERE id = ?').pluck().get(id) ?? '');
}

/** A rate group's name ('' when it is gone). */
export function rateGroupNameOf(db: Sqlite, id: number): string {
  return String(db.prepare('SELECT name FROM rate_groups WHERE id = ?').pluck().get(id) ?? '');
}

/** A CDR's ledger entry (a charge or a rerate) with its account's name. */
export interface CdrLedgerRow
  extends Pick<LedgerRow, 'id' | 'at' | 'amount' | 'account_id' | 'charged_account_id' | 'operator' | 'reason'>, Pick<AccountsRow, 'name'> {
  kind: 'charge' | 'rerate';
}

/** The charge and rerate entries of a CDR, oldest first, with the account's name. */
export function ledgerEntriesOfCdr(db: Sqlite, cdrId: number): CdrLedgerRow[] {
  return db
    .prepare(
      `SELECT l.id, l.at, l.kind, l.amount, l.account_id, a.name, l.charged_account_id, l.operator, l.reason
       FROM ledger l JOIN accounts a ON a.id = l.account_id
       WHERE l.cdr_id = ? AND l.kind IN ('charge', 'rerate') ORDER BY l.id`,
    )
    .all(cdrId) as CdrLedgerRow[];
}

/** Another record of a leg's call: its role and status narrowed, its billed flag set as on every leg. */
export interface OtherLegRow extends Pick<CdrsRow, 'id' | 'start_at' | 'caller' | 'callee' | 'billsec'>, SetColumns<CdrsRow, 'leg_billed'> {
  leg_role: CdrLegView['role'];
  status: CdrLegView['others'][number]['status'];
}

/** The other records of the call a leg belongs to (migration 0012_cdr_legs), the billed one first, at most 100. */
export function otherLegsOf(db: Sqlite, r: Pick<CdrsRow, 'id' | 'device_id'> & { leg_call_id: string }): OtherLegRow[] {
  return db
    .prepare(
      `SELECT id, leg_role, leg_billed, start_at, caller, callee, billsec, status FROM cdrs
       WHERE device_id = ? AND leg_call_id = ? AND id <> ? ORDER BY leg_billed DESC, start_at, id LIMIT 100`,
    )
    .all(r.device_id, r.leg_call_id, r.id) as OtherLegRow[];
}

/** Name lookups by id for exports, each statement prepared once (see NameCache in export-values.ts). */
export function nameLookups(db: Sqlite): { device(id: number): unknown; account(id: number): unknown; rate(id: number): unknown } {
  const device = db.prepare('SELECT name FROM devices WHERE id = ?').pluck();
  const account = db.prepare('SELECT name FROM accounts WHERE id = ?').pluck();
  const rate = db.prepare('SELECT name FROM rates WHERE id = ?').pluck();
  return { device: (id) => device.get(id), account: (id) => account.get(id), rate: (id) => rate.get(id) };
}
