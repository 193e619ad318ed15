/**
 * Which CDRs match a filter, latest first by (start_at, id), read through the index that gets the page without
 * scanning the table (indexes: migrations 0015_cdr_search_day_led.sql, 0011, 0004 and 0009).
 *
 * Three kinds of plan:
 * - time-ordered: an index (value, start_at, id) of a key of few values (device, call type, disposition, the
 *   unrated queue) or the time index is read backwards from the page position; the other filters are checked on the
 *   way; it stops when the page is full;
 * - day: an index led by the day (`start_at / 86400000`, then the key, start_at, id: accounts, number prefixes, cost)
 *   is read a window of days at a time from the page position on (1 day, then 2, 4...: one seek per day), the
 *   matches of the window sorted by (start_at, id), until the page is full. Days are disjoint and ordered, so the rows
 *   are exactly those of a (key, start_at, id) index;
 * - range: the pending queue (by id): its matches are read and the newest picked.
 * A day-led or range index is chosen when a capped count of its matches in the first two days of the walk (the whole
 * queue for pending) says they are few; with many matches the time-ordered plan fills a page after a few rows anyway.
 * The index is named (INDEXED BY) rather than left to the planner, which has no statistics to choose by value.
 * This module only builds the SQL text and walks the days; cdrs/repository.ts runs the queries.
 */
import type { CdrFilter } from '../../src-shared/api/cdrs';
import type { CdrsRow } from '../db/rows';

/** (start_at, id) of the last row of the previous page; the next page continues strictly after it. */
export type CdrPosition = readonly [startAt: number, id: number];

/**
 * Above this many matches (in the walk's first two days for a day-led index, in the whole queue for pending) the
 * time-ordered scan is chosen: it then reads about 2 days' CDRs / this many rows per matching row.
 */
export const RANGE_PLAN_MAX_MATCHES = 5_000;

const DAY_MS = 86_400_000;
/** The day of a start time as the day-led indexes hold it: SQLite's `start_at / 86400000` (truncated toward zero). */
export const dayOf = (startAt: number): number => Math.trunc(startAt / DAY_MS) + 0;
/** The SQL term a day-led index is searched by: its first column is one of the days of the JSON array parameter. */
const DAYS_TERM = 'start_at / 86400000 IN (SELECT value FROM json_each(?))';
/** The widest window of days read by one query (wider windows come after a few that found little). */
export const MAX_WINDOW_DAYS = 64;

export interface Term {
  sql: string;
  params: unknown[];
  /** The period's end (`to`) or start (`from`): see `afterPosition`. */
  bound?: 'from' | 'to';
}

export interface CdrPlan {
  /** Index used, e.g. "cdrs_device_time". */
  index: string;
  kind: 'time' | 'range' | 'day';
  where: Term[];
}

/** "8001" -> ["8001", "8002"]: every text starting with the prefix sorts in [prefix, next) (BINARY collation). */
export function prefixRange(prefix: string): [string, string] {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const head = prefix.slice(0, prefix.length - (last > 0xffff ? 2 : 1));
  return [prefix, head + String.fromCodePoint(last + 1)];
}

type Candidate = { index: string; term: Term };

/**
 * Indexes (value, start_at, id) of keys of few values, most selective first; enum values are literals so partial
 * indexes apply.
 */
function orderedCandidates(f: CdrFilter): Candidate[] {
  const out: Candidate[] = [];
  const add = (index: string, sql: string, params: unknown[] = []) => out.push({ index, term: { sql, params } });
  if (f.status === 'unrated') add('cdrs_unrated', "status = 'unrated'");
  const rareType = f.callType !== undefined && f.callType !== 'local' && f.callType !== 'domestic';
  if (rareType) add('cdrs_call_type_time', `call_type = '${f.callType}'`);
  if (f.disposition !== undefined && f.disposition !== 'answered') {
    add('cdrs_disposition_time', `disposition = '${f.disposition}' AND disposition <> 'answered'`);
  }
  if (f.deviceId !== undefined) add('cdrs_device_time', 'device_id = ?', [f.deviceId]);
  if (f.callType !== undefined && !rareType) add('cdrs_call_type_time', `call_type = '${f.callType}'`);
  return out;
}

/** Day-led indexes (day, key, start_at, id): the accounts (equality), number prefixes and cost (ranges). */
function dayCandidates(f: CdrFilter): Candidate[] {
  const out: Candidate[] = [];
  const add = (index: string, sql: string, params: unknown[]) => out.push({ index, term: { sql, params } });
  if (f.userAccountId !== undefined) add('cdrs_user_time', 'user_account_id = ?', [f.userAccountId]);
  if (f.gatewayId !== undefined) add('cdrs_gateway_time', 'gateway_id = ?', [f.gatewayId]);
  if (f.enterpriseId !== undefined) add('cdrs_enterprise_time', 'enterprise_id = ?', [f.enterpriseId]);
  if (f.caller !== undefined) add('cdrs_caller', 'caller >= ? AND caller < ?', prefixRange(f.caller));
  if (f.callee !== undefined) add('cdrs_callee', 'callee >= ? AND callee < ?', prefixRange(f.callee));
  if (f.costMin !== undefined || f.costMax !== undefined) {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.costMin !== undefined) parts.push('cost >= ?'), params.push(f.costMin);
    if (f.costMax !== undefined) parts.push('cost <= ?'), params.push(f.costMax);
    add('cdrs_cost', parts.join(' AND '), params);
  }
  return out;
}

/** The pending queue's index holds ids only (its start_at comes from the rows). */
function pendingCandidate(f: CdrFilter): Candidate | undefined {
  // Pending = waiting to be charged; linked legs of a call charged through another record are never charged (0012).
  if (f.status !== 'pending') return undefined;
  return { index: 'cdrs_pending', term: { sql: "status = 'pending' AND leg_billed IS NOT 0", params: [] } };
}

/** Every filter as SQL terms (the plan's own term included once). */
function filterTerms(f: CdrFilter): Term[] {
  const terms: Term[] = [];
  const seen = new Set<string>();
  for (const c of [...orderedCandidates(f), ...dayCandidates(f), ...[pendingCandidate(f)].filter((c) => c !== undefined)]) {
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

/** The day-led term (its JSON array of days is the first parameter) before the other terms, when there are days. */
const withDays = (terms: Term[], days: readonly number[] | undefined): Term[] =>
  days ? [{ sql: DAYS_TERM, params: [JSON.stringify(days)] }, ...terms] : terms;

/**
 * The query counting entries of `index` that match `terms` (on `days` only, for a day-led index), at most as many as
 * its last parameter (index entries only).
 */
export function cappedCountQuery(index: string, terms: Term[], days?: readonly number[]): { sql: string; params: unknown[] } {
  const w = whereOf(withDays(terms, days));
  return { sql: `SELECT count(*) FROM (SELECT 1 FROM cdrs INDEXED BY ${index} ${w.sql} LIMIT ?)`, params: w.params };
}

/** Counts the entries of an index matching terms (on these days only, if given), at most `cap` (see cappedCountQuery). */
export type IndexCounter = (index: string, terms: Term[], cap: number, days?: readonly number[]) => number;

/** The start times of the oldest and the newest stored CDR (null: none stored). */
export type StoredSpan = { first: number; last: number } | null;

/** The days [first, last] a day-led plan reads for a page after `after`: the stored CDRs' within the period. */
export function walkDays(where: Term[], stored: StoredSpan, after: CdrPosition | undefined, order: CdrOrder): [number, number] | null {
  if (!stored) return null;
  let lo = stored.first;
  let hi = stored.last;
  for (const t of where) {
    if (t.bound === 'from') lo = Math.max(lo, t.params[0] as number);
    if (t.bound === 'to') hi = Math.min(hi, (t.params[0] as number) - 1);
  }
  if (after && order === 'desc') hi = Math.min(hi, after[0]);
  if (after && order === 'asc') lo = Math.max(lo, after[0]);
  return hi < lo ? null : [dayOf(lo), dayOf(hi)];
}

/** `count` days from `start` in the walk's direction, not beyond the walk's span. */
function windowOf(span: [number, number], start: number, count: number, order: CdrOrder): number[] {
  const days: number[] = [];
  for (let i = 0; i < count; i++) {
    const day = order === 'desc' ? start - i : start + i;
    if (day < span[0] || day > span[1]) break;
    days.push(day);
  }
  return days;
}

/** The two days a day-led index is probed on: where the walk starts. */
const probeDays = (span: [number, number], order: CdrOrder) => windowOf(span, order === 'desc' ? span[1] : span[0], 2, order);

/**
 * Picks the index for a filter (and page position): see the file comment. `count` runs the probing counts; `stored`
 * is the span of the stored CDRs (the walk of a day-led index starts at its end).
 */
export function choosePlan(
  count: IndexCounter,
  f: CdrFilter,
  stored: StoredSpan,
  after?: CdrPosition,
  rangeMaxMatches = RANGE_PLAN_MAX_MATCHES,
  order: CdrOrder = 'desc',
): CdrPlan {
  const where = filterTerms(f);
  const ordered = orderedCandidates(f)[0];
  const days = dayCandidates(f);
  const pending = pendingCandidate(f);
  const timePlan: CdrPlan = { index: ordered?.index ?? 'cdrs_start_at', kind: 'time', where };
  const span = walkDays(where, stored, after, order);
  if ((days.length === 0 && !pending) || !span) return timePlan;

  // Only the terms the probed index holds, so the count reads no rows.
  const bounds = afterPosition(
    where.filter((t) => t.bound !== undefined),
    after,
    order,
  );
  const probe = probeDays(span, order);
  let best: { index: string; count: number; kind: 'day' | 'range' } | null = null;
  for (const c of days) {
    const n = count(c.index, [c.term, ...bounds], rangeMaxMatches, probe);
    if (n < rangeMaxMatches && (!best || n < best.count)) best = { index: c.index, count: n, kind: 'day' };
  }
  if (pending) {
    const n = count(pending.index, [pending.term], rangeMaxMatches);
    if (n < rangeMaxMatches && (!best || n < best.count)) best = { index: pending.index, count: n, kind: 'range' };
  }
  if (!best) return timePlan;
  // A time-ordered index with fewer matches (on the same days) still wins: it needs no sorting at all.
  if (ordered) {
    const sameDays: Term[] =
      best.kind === 'day'
        ? [{ sql: 'start_at >= ? AND start_at < ?', params: [Math.min(...probe) * DAY_MS, (Math.max(...probe) + 1) * DAY_MS] }]
        : [];
    if (count(ordered.index, [ordered.term, ...bounds, ...sameDays], best.count) < best.count) return timePlan;
  }
  return { index: best.index, kind: best.kind, where };
}

/** A page key: the id and start time of a CDR. */
export type CdrKey = Pick<CdrsRow, 'id' | 'start_at'>;

/**
 * The query of one page of keys (id, start_at) after `after`, with its parameters (without the LIMIT). A day-led plan
 * reads the given days only (its first parameter is their JSON array).
 */
export function cdrPageQuery(
  plan: CdrPlan,
  after?: CdrPosition,
  order: CdrOrder = 'desc',
  days?: readonly number[],
): { sql: string; params: unknown[] } {
  const w = whereOf(withDays(afterPosition(plan.where, after, order), plan.kind === 'day' ? (days ?? []) : undefined));
  return { sql: `SELECT id, start_at FROM cdrs INDEXED BY ${plan.index} ${w.sql} ${orderBy(order)} LIMIT ?`, params: w.params };
}

/** Reads up to `limit` keys of a day-led plan on the given days (cdrPageQuery with those days). */
export type DayReader = (days: readonly number[], limit: number) => CdrKey[];

/**
 * Up to `limit` keys of a day-led plan, walking its days from the page position on: 1 day, then windows of 2, 4...
 * days (at most MAX_WINDOW_DAYS), each window's matches sorted, until the page is full or the span is read. Every
 * day of a window sorts before (latest first: after) the days of the windows read before it, so the keys are in order.
 */
export function walkDayPlan(span: [number, number] | null, limit: number, order: CdrOrder, read: DayReader): CdrKey[] {
  const keys: CdrKey[] = [];
  if (!span) return keys;
  let next = order === 'desc' ? span[1] : span[0];
  for (let width = 1; keys.length < limit; width = Math.min(width * 2, MAX_WINDOW_DAYS)) {
    const days = windowOf(span, next, width, order);
    if (days.length === 0) break;
    keys.push(...read(days, limit - keys.length));
    next = order === 'desc' ? next - width : next + width;
  }
  return keys;
}

/** Every day of a span (counting a day-led plan's matches). */
export function daysOf(span: [number, number]): number[] {
  return windowOf(span, span[0], span[1] - span[0] + 1, 'asc');
}

/**
 * The query of a chunk of a time-ordered or range plan's rows (the given columns), latest first, with its fixed
 * parameters (before the position and the LIMIT). With a position, the position's two parameters follow the fixed
 * ones. (A day-led plan's chunks are its pages' keys, read by id: see cdrRowsByIdsQuery.)
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

/** The given columns of the CDRs of a JSON array of ids (the parameter), latest first. */
export const cdrRowsByIdsQuery = (columns: string): string =>
  `SELECT ${columns} FROM cdrs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY start_at DESC, id DESC`;
