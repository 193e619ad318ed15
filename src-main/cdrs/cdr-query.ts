/**
 * Which CDRs match a filter, latest first by (start_at, id), read through the index that gets the page without
 * scanning the table (indexes: migrations 0011_cdr_search.sql, 0004 and 0009).
 *
 * Two kinds of plan:
 * - time-ordered: an index (value, start_at, id) of the most selective equality filter (or the time index) is read
 *   backwards from the page position; the other filters are checked on the way; it stops when the page is full;
 * - range: for a number prefix or a cost range, the matching index entries are read (they carry start_at and id)
 *   and the newest picked. That costs one step per match, so it is chosen only when a capped count of the matches
 *   says they are few; with many matches the time-ordered plan fills a page after a few rows anyway.
 * The index is named (INDEXED BY) rather than left to the planner, which has no statistics to choose by value.
 * This module only builds the SQL text; cdrs/repository.ts runs it.
 */
import type { CdrFilter } from '../../src-shared/api/cdrs';
import type { CdrsRow } from '../db/rows';

/** (start_at, id) of the last row of the previous page; the next page continues strictly after it. */
export type CdrPosition = readonly [startAt: number, id: number];

/** Above this many matches a range index loses to the time-ordered scan. */
export const RANGE_PLAN_MAX_MATCHES = 50_000;

export interface Term {
  sql: string;
  params: unknown[];
  /** The period's end (`to`) or start (`from`): see `afterPosition`. */
  bound?: 'from' | 'to';
}

export interface CdrPlan {
  /** Index used, e.g. "cdrs_device_time". */
  index: string;
  kind: 'time' | 'range';
  where: Term[];
}

/** "8001" -> ["8001", "8002"]: every text starting with the prefix sorts in [prefix, next) (BINARY collation). */
export function prefixRange(prefix: string): [string, string] {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const head = prefix.slice(0, prefix.length - (last > 0xffff ? 2 : 1));
  return [prefix, head + String.fromCodePoint(last + 1)];
}

/** Equality indexes (value, start_at, id), most selective first; enum values are literals so partial indexes apply. */
function equalityCandidates(f: CdrFilter): { index: string; term: Term }[] {
  const out: { index: string; term: Term }[] = [];
  const add = (index: string, sql: string, params: unknown[] = []) => out.push({ index, term: { sql, params } });
  if (f.userAccountId !== undefined) add('cdrs_user_time', 'user_account_id = ?', [f.userAccountId]);
  if (f.gatewayId !== undefined) add('cdrs_gateway_time', 'gateway_id = ?', [f.gatewayId]);
  if (f.status === 'unrated') add('cdrs_unrated', "status = 'unrated'");
  if (f.enterpriseId !== undefined) add('cdrs_enterprise_time', 'enterprise_id = ?', [f.enterpriseId]);
  const rareType = f.callType !== undefined && f.callType !== 'local' && f.callType !== 'domestic';
  if (rareType) add('cdrs_call_type_time', `call_type = '${f.callType}'`);
  if (f.disposition !== undefined && f.disposition !== 'answered') {
    add('cdrs_disposition_time', `disposition = '${f.disposition}' AND disposition <> 'answered'`);
  }
  if (f.deviceId !== undefined) add('cdrs_device_time', 'device_id = ?', [f.deviceId]);
  if (f.callType !== undefined && !rareType) add('cdrs_call_type_time', `call_type = '${f.callType}'`);
  return out;
}

/** Range indexes whose entries carry (start_at, id): number prefixes, cost, and the pending queue (by id). */
function rangeCandidates(f: CdrFilter): { index: string; term: Term }[] {
  const out: { index: string; term: Term }[] = [];
  if (f.caller !== undefined) {
    const [lo, hi] = prefixRange(f.caller);
    out.push({ index: 'cdrs_caller', term: { sql: 'caller >= ? AND caller < ?', params: [lo, hi] } });
  }
  if (f.callee !== undefined) {
    const [lo, hi] = prefixRange(f.callee);
    out.push({ index: 'cdrs_callee', term: { sql: 'callee >= ? AND callee < ?', params: [lo, hi] } });
  }
  if (f.costMin !== undefined || f.costMax !== undefined) {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.costMin !== undefined) parts.push('cost >= ?'), params.push(f.costMin);
    if (f.costMax !== undefined) parts.push('cost <= ?'), params.push(f.costMax);
    out.push({ index: 'cdrs_cost', term: { sql: parts.join(' AND '), params } });
  }
  // Pending = waiting to be charged; linked legs of a call charged through another record are never charged (0012).
  if (f.status === 'pending') out.push({ index: 'cdrs_pending', term: { sql: "status = 'pending' AND leg_billed IS NOT 0", params: [] } });
  return out;
}

/** Every filter as SQL terms (the plan's own term included once). */
function filterTerms(f: CdrFilter): Term[] {
  const terms: Term[] = [];
  const seen = new Set<string>();
  for (const c of [...equalityCandidates(f), ...rangeCandidates(f)]) {
    if (seen.has(c.term.sql)) continue;
    seen.add(c.term.sql);
    terms.push(c.term);
  }
  if (f.disposition === 'answered') terms.push({ sql: "disposition = 'answered'", params: [] });
  if (f.status === 'rated') terms.push({ sql: "status = 'rated'", params: [] });
  if (f.from !== undefined) terms.push({ sql: 'start_at >= ?', params: [f.from], bound: 'from' });
  if (f.to !== undefined) terms.push({ sql: 'start_at < ?', params: [f.to], bound: 'to' });
  return terms;
}

export type CdrOrder = 'desc' | 'asc';

function positionTerm(after: CdrPosition | undefined, order: CdrOrder = 'desc'): Term[] {
  return after ? [{ sql: `(start_at, id) ${order === 'desc' ? '<' : '>'} (?, ?)`, params: [after[0], after[1]] }] : [];
}

/**
 * The terms of a page after `after`. SQLite bounds an index range by one term per side: with both `start_at < to`
 * and the position `(start_at, id) < (..)` it takes the first and checks the second row by row, so every page would
 * read again all the rows of the pages before it. The period's end (latest first) is left out when the position is
 * inside the period (it then implies it), so the position bounds the range. A cursor outside the period (forged, or
 * of another filter) keeps both.
 */
function afterPosition(terms: Term[], after: CdrPosition | undefined, order: CdrOrder): Term[] {
  if (!after) return terms;
  const implied = (t: Term) =>
    order === 'desc' ? t.bound === 'to' && after[0] < (t.params[0] as number) : t.bound === 'from' && after[0] >= (t.params[0] as number);
  return [...terms.filter((t) => !implied(t)), ...positionTerm(after, order)];
}

const orderBy = (order: CdrOrder) => (order === 'desc' ? 'ORDER BY start_at DESC, id DESC' : 'ORDER BY start_at, id');

function whereOf(terms: Term[]): { sql: string; params: unknown[] } {
  return {
    sql: terms.length ? `WHERE ${terms.map((t) => t.sql).join(' AND ')}` : '',
    params: terms.flatMap((t) => t.params),
  };
}

/** The query counting entries of `index` that match `terms`, at most as many as its last parameter (index entries only). */
export function cappedCountQuery(index: string, terms: Term[]): { sql: string; params: unknown[] } {
  const w = whereOf(terms);
  return { sql: `SELECT count(*) FROM (SELECT 1 FROM cdrs INDEXED BY ${index} ${w.sql} LIMIT ?)`, params: w.params };
}

/** Counts the entries of an index matching terms, at most `cap` (the repository runs `cappedCountQuery`). */
export type IndexCounter = (index: string, terms: Term[], cap: number) => number;

/** Picks the index for a filter (and page position): see the file comment. `count` runs the probing counts. */
export function choosePlan(
  count: IndexCounter,
  f: CdrFilter,
  after?: CdrPosition,
  rangeMaxMatches = RANGE_PLAN_MAX_MATCHES,
  order: CdrOrder = 'desc',
): CdrPlan {
  const where = filterTerms(f);
  const equality = equalityCandidates(f)[0];
  const ranges = rangeCandidates(f);
  const timePlan: CdrPlan = { index: equality?.index ?? 'cdrs_start_at', kind: 'time', where };
  if (ranges.length === 0) return timePlan;

  // Only the terms the probed index holds, so the count reads no rows.
  const bounds = afterPosition(
    where.filter((t) => t.bound !== undefined),
    after,
    order,
  );
  let best: { index: string; count: number } | null = null;
  for (const r of ranges) {
    // The pending queue's index holds ids only: its start_at comes from the rows.
    const n = count(r.index, r.index === 'cdrs_pending' ? [r.term] : [r.term, ...bounds], rangeMaxMatches);
    if (n < rangeMaxMatches && (!best || n < best.count)) best = { index: r.index, count: n };
  }
  if (!best) return timePlan;
  // An equality index with fewer matches still wins: it needs no sorting at all.
  if (equality && count(equality.index, [equality.term, ...bounds], best.count) < best.count) return timePlan;
  return { index: best.index, kind: 'range', where };
}

/** A page key: the id and start time of a CDR. */
export type CdrKey = Pick<CdrsRow, 'id' | 'start_at'>;

/** The query of one page of keys (id, start_at) after `after`, with its parameters (without the LIMIT). */
export function cdrPageQuery(plan: CdrPlan, after?: CdrPosition, order: CdrOrder = 'desc'): { sql: string; params: unknown[] } {
  const w = whereOf(afterPosition(plan.where, after, order));
  return { sql: `SELECT id, start_at FROM cdrs INDEXED BY ${plan.index} ${w.sql} ${orderBy(order)} LIMIT ?`, params: w.params };
}

/**
 * The query of a chunk of the plan's rows (the given columns), latest first, with its fixed parameters (before the
 * position and the LIMIT). With a position, the position's two parameters follow the fixed ones.
 */
export function cdrChunkQuery(plan: CdrPlan, columns: string, withPosition: boolean): { sql: string; fixed: unknown[] } {
  // Positions come from rows of the period, so the period's end is implied by them (see afterPosition).
  const terms = withPosition ? [...plan.where.filter((t) => t.bound !== 'to'), ...positionTerm([0, 0])] : plan.where;
  const w = whereOf(terms);
  return {
    sql: `SELECT ${columns} FROM cdrs INDEXED BY ${plan.index} ${w.sql} ORDER BY start_at DESC, id DESC LIMIT ?`,
    fixed: w.params.slice(0, withPosition ? -2 : undefined),
  };
}
