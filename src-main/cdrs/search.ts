/** `cdrs.search`: one keyset page of CDRs, latest first, with names; optionally a capped count. */
import { CDR_COUNT_CAP, type CdrFilter, type CdrSearchResult } from '../../src-shared/api/cdrs';
import { badCursor, invalid, periodReversed } from '../../src-shared/api/errors';
import type { Sqlite } from '../db/connection';
import { decodeCursor, encodeCursor } from '../db/paging';
import { RANGE_PLAN_MAX_MATCHES, type CdrPosition } from './cdr-query';
import { cdrRow } from './cdr-rows';
import { cdrRecordsByIds, countCdrs, planCdrQuery, selectCdrKeys } from './repository';
import { problem } from '../../src-shared/api/messages';

/** Above any count: the count's plan takes a day-led index whenever the filter has one (see searchCdrs). */
const COUNT_PLAN_MAX_MATCHES = Number.MAX_SAFE_INTEGER;

export interface CdrSearchQuery extends CdrFilter {
  order: 'desc' | 'asc';
  limit: number;
  cursor?: string;
  count: boolean;
}

export function positionOfCursor(cursor: string | undefined): CdrPosition | undefined {
  if (!cursor) return undefined;
  const [startAt, id] = decodeCursor(cursor, 2);
  if (typeof startAt !== 'number' || typeof id !== 'number') throw badCursor();
  return [startAt, id];
}

export function checkFilter(f: CdrFilter): void {
  if (f.from !== undefined && f.to !== undefined && f.to <= f.from) throw periodReversed();
  if (f.costMin !== undefined && f.costMax !== undefined && f.costMax < f.costMin) {
    throw invalid('The highest cost is below the lowest.', { costMax: problem('field.costOrder', 'must be at least costMin') }, 'api.costOrder');
  }
}

/** `rangeMaxMatches`: see planCdrQuery (tests lower it to take the time-ordered plan on small data). */
export function searchCdrs(db: Sqlite, q: CdrSearchQuery, rangeMaxMatches = RANGE_PLAN_MAX_MATCHES): CdrSearchResult {
  checkFilter(q);
  const after = positionOfCursor(q.cursor);
  const plan = planCdrQuery(db, q, after, rangeMaxMatches, q.order);
  const keys = selectCdrKeys(db, plan, q.limit + 1, after, q.order);
  const more = keys.length > q.limit;
  const page = more ? keys.slice(0, q.limit) : keys;
  const rows = cdrRecordsByIds(db, page.map((k) => k.id)).map(cdrRow);
  const last = page[page.length - 1];
  const result: CdrSearchResult = { rows, ...(more && last ? { nextCursor: encodeCursor([last.start_at, last.id]) } : {}) };
  if (q.count) {
    // Counted through a day-led index whenever the filter has one, however many match: it counts index entries a
    // day at a time, where the time index would read every row of the period.
    const total = countCdrs(db, planCdrQuery(db, q, undefined, COUNT_PLAN_MAX_MATCHES), CDR_COUNT_CAP + 1);
    result.total = Math.min(total, CDR_COUNT_CAP);
    if (total > CDR_COUNT_CAP) result.totalCapped = true;
  }
  return result;
}
