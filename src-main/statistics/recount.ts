/**
 * The rollups counted again from the CDRs: the first count of a database that had CDRs before statistics existed,
 * the rebuild for another zone, and the check that compares the rollups with a full recount (DESIGN §12: "equal to a
 * full recount"). Reads the CDRs by time range (the start_at index), a few weeks per statement.
 */
import type { StatsCheck, StatsCheckMismatch } from '../../src-shared/api/statistics';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import {
  countRange,
  countRatedCdrs,
  deleteAllRollups,
  firstEnterpriseRollupDay,
  lastEnterpriseRollupDay,
  markRollupsBuilt,
  ratedSpan,
  readRollupState,
  rollupCheckReads,
  type RollupRow,
} from './rollup-repository';
import { calendarOf } from './zone-calendar';

/** Days per recount statement: about a month of CDRs in memory at a time. */
export const RECOUNT_CHUNK_DAYS = 28;
/** Days per read transaction of the check. */
const VERIFY_CHUNK_DAYS = 7;
const MAX_MISMATCHES_LISTED = 20;

/** `stats_local_day(start_at, zone)`: the local day number of an instant, for recounts in SQL. */
export function registerStatsFunctions(db: Sqlite): void {
  db.function('stats_local_day', { deterministic: true }, (startAt: unknown, zone: unknown) =>
    calendarOf(String(zone)).dayOf(Number(startAt)),
  );
}

/**
 * The first count: every rated CDR into stats_daily in `zone` (one transaction; at start, before anything charges).
 * Returns how many CDRs were counted.
 */
export function buildRollups(db: Sqlite, zone: string, now: number): number {
  return db.transaction(() => {
    deleteAllRollups(db);
    const span = ratedSpan(db);
    const calendar = calendarOf(zone);
    if (span) {
      for (let day = calendar.dayOf(span.first); calendar.startOfDay(day) <= span.last; day += RECOUNT_CHUNK_DAYS) {
        countRange(db, zone, calendar.startOfDay(day), calendar.startOfDay(day + RECOUNT_CHUNK_DAYS));
      }
    }
    markRollupsBuilt(db, zone, now);
    return countRatedCdrs(db);
  })();
}

const keyOf = (r: RollupRow) => `${r.kind}|${r.enterprise_id}|${r.account_id}|${r.day}|${r.call_type}`;
const sameCounts = (a: RollupRow | undefined, b: RollupRow | undefined) =>
  (a?.calls ?? 0) === (b?.calls ?? 0) &&
  (a?.answered ?? 0) === (b?.answered ?? 0) &&
  (a?.seconds ?? 0) === (b?.seconds ?? 0) &&
  (a?.billed_seconds ?? 0) === (b?.billed_seconds ?? 0) &&
  (a?.amount ?? 0) === (b?.amount ?? 0);

/**
 * Compares every rollup row with a recount from the CDRs, a week of days at a time, each week in its own read
 * transaction (consistent in itself: charging between weeks cannot make a week differ) with a turn of the event loop
 * between weeks, so a check of ten million CDRs does not stop the engine. Days whose CDRs were purged (before
 * stats_state.counted_from) are not compared: their CDRs are gone, their rows stay. The cut is read again each week:
 * a purge moves it before it deletes its first batch, so a check running beside a purge compares only kept days.
 */
export async function verifyRollups(db: Sqlite, now: number): Promise<StatsCheck> {
  const read = <T>(fn: () => T): T => db.transaction(fn).deferred();
  const state = read(() => readRollupState(db));
  const base = { checkedAt: isoTime(now), timeZone: state.timeZone ?? '', rows: 0, cdrs: 0, mismatchCount: 0, mismatches: [] as StatsCheckMismatch[] };
  if (!state.timeZone || state.rebuildZone) return { ...base, ok: false, state: state.timeZone ? 'rebuilding' : 'notBuilt' };
  const zone = state.timeZone;
  const calendar = calendarOf(zone);
  const { firstDay, lastDay } = read(() => {
    const span = ratedSpan(db);
    // Every counted call has an enterprise row: the enterprises' days span the days of all rows.
    const first = firstEnterpriseRollupDay(db);
    const last = lastEnterpriseRollupDay(db);
    return {
      firstDay: Math.min(span ? calendar.dayOf(span.first) : Infinity, first ?? Infinity),
      lastDay: Math.max(span ? calendar.dayOf(span.last) : -Infinity, last ?? -Infinity),
    };
  });
  // A purge cuts a day in two: compare from the first whole day after the cut.
  const fromDay = state.countedFrom === null ? firstDay : Math.max(firstDay, calendar.dayOf(state.countedFrom) + 1);
  const reads = rollupCheckReads(db);
  const result = { ...base, ok: true, state: 'built' as StatsCheck['state'], fromDay: Number.isFinite(fromDay) ? calendar.isoDate(fromDay) : null };
  // The first day the check vouches for: a purge during the check moves it on (the days before it are gone).
  let keptFrom = fromDay;
  for (let day = fromDay; Number.isFinite(day) && day <= lastDay; day += VERIFY_CHUNK_DAYS) {
    const end = day + VERIFY_CHUNK_DAYS;
    const changed = read(() => {
      const now = readRollupState(db);
      if (now.timeZone !== zone || now.rebuildZone) return true;
      // A purge that began during the check moves the cut: its days are being deleted, not compared.
      if (now.countedFrom !== null) keptFrom = Math.max(keptFrom, calendar.dayOf(now.countedFrom) + 1);
      const from = Math.max(day, keptFrom);
      if (from >= end) return false;
      const counted = new Map<string, RollupRow>();
      for (const r of reads.recount(zone, calendar.startOfDay(from), calendar.startOfDay(end))) {
        counted.set(keyOf(r), r);
        if (r.kind === 'enterprise') result.cdrs += r.calls;
      }
      const seen = new Set<string>();
      for (const kind of ['enterprise', 'user', 'gateway']) {
        for (const r of reads.stored(kind, from, end)) {
          const key = keyOf(r);
          seen.add(key);
          result.rows++;
          const c = counted.get(key);
          if (!sameCounts(r, c)) addMismatch(result, calendar.isoDate(r.day), r, c);
        }
      }
      for (const [key, c] of counted) if (!seen.has(key)) addMismatch(result, calendar.isoDate(c.day), undefined, c);
      return false;
    });
    // The zone changed under the check (a rebuild began): what it compared so far says nothing about the rest.
    if (changed) return { ...result, ok: false, state: 'rebuilding' };
    await new Promise((resolve) => setImmediate(resolve));
  }
  result.ok = result.mismatchCount === 0;
  if (Number.isFinite(keptFrom)) result.fromDay = calendar.isoDate(keptFrom);
  return result;
}

function addMismatch(result: StatsCheck, day: string, stored: RollupRow | undefined, counted: RollupRow | undefined): void {
  result.mismatchCount++;
  if (result.mismatches.length >= MAX_MISMATCHES_LISTED) return;
  const r = (stored ?? counted)!;
  const figures = (x: RollupRow | undefined) => ({
    calls: x?.calls ?? 0,
    answered: x?.answered ?? 0,
    seconds: x?.seconds ?? 0,
    billedSeconds: x?.billed_seconds ?? 0,
    amount: formatMoney(x?.amount ?? 0),
  });
  result.mismatches.push({
    kind: r.kind as StatsCheckMismatch['kind'],
    accountId: r.account_id,
    enterpriseId: r.enterprise_id,
    day,
    callType: r.call_type,
    rollup: figures(stored),
    recount: figures(counted),
  });
}
