/**
 * The statements that keep `stats_state` and `stats_daily` (migration 0010) outside the per-CDR path: the state of
 * the rollups, the first count, the rebuild for another zone, the purge's cut and the check against a recount. The
 * per-CDR upsert stays beside its loop in rollups.ts.
 */
import type { Sqlite } from '../db/connection';
import type { StatsDailyRow, StatsStateRow } from '../db/rows';

export interface RollupState {
  /** Zone of the day buckets; null until first counted. */
  timeZone: string | null;
  builtAt: number | null;
  countedFrom: number | null;
  rebuildZone: string | null;
  rebuildUntil: number | null;
}

export function readRollupState(db: Sqlite): RollupState {
  const row = db
    .prepare('SELECT time_zone, built_at, counted_from, rebuild_zone, rebuild_until FROM stats_state WHERE id = 1')
    .get() as Pick<StatsStateRow, 'time_zone' | 'built_at' | 'counted_from' | 'rebuild_zone' | 'rebuild_until'>;
  return {
    timeZone: row.time_zone,
    builtAt: row.built_at,
    countedFrom: row.counted_from,
    rebuildZone: row.rebuild_zone,
    rebuildUntil: row.rebuild_until,
  };
}

/** A row of stats_daily, stored or recounted from the CDRs. */
export type RollupRow = StatsDailyRow;

const COUNTERS = `COUNT(*) AS calls, SUM(billsec > 0) AS answered, SUM(billsec) AS seconds,
  SUM(billed_seconds) AS billed_seconds, SUM(cost) AS amount`;

/**
 * Every rollup row of the rated CDRs that started in [from, to), counted in `zone`. Named parameters: zone, from, to.
 * Needs `stats_local_day` (recount.ts registerStatsFunctions).
 */
export const RECOUNT_SELECT = `
  SELECT 'enterprise' AS kind, enterprise_id, stats_local_day(start_at, @zone) AS day, enterprise_id AS account_id, call_type, ${COUNTERS}
  FROM cdrs WHERE status = 'rated' AND start_at >= @from AND start_at < @to GROUP BY 2, 3, 4, 5
  UNION ALL
  SELECT 'user', enterprise_id, stats_local_day(start_at, @zone), user_account_id, call_type, ${COUNTERS}
  FROM cdrs WHERE status = 'rated' AND user_account_id IS NOT NULL AND start_at >= @from AND start_at < @to GROUP BY 2, 3, 4, 5
  UNION ALL
  SELECT 'gateway', enterprise_id, stats_local_day(start_at, @zone), gateway_id, call_type, ${COUNTERS}
  FROM cdrs WHERE status = 'rated' AND gateway_id IS NOT NULL AND start_at >= @from AND start_at < @to GROUP BY 2, 3, 4, 5`;

/** First and last start of the rated CDRs (null when there are none). */
export function ratedSpan(db: Sqlite): { first: number; last: number } | null {
  const first = db.prepare("SELECT MIN(start_at) FROM cdrs WHERE status = 'rated'").pluck().get() as number | null;
  const last = db.prepare("SELECT MAX(start_at) FROM cdrs WHERE status = 'rated'").pluck().get() as number | null;
  return first === null || last === null ? null : { first, last };
}

export function countRatedCdrs(db: Sqlite): number {
  return db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'rated'").pluck().get() as number;
}

/** Adds the recount of [from, to) in `zone` to stats_daily (caller's transaction; the range's rows must be empty). */
export function countRange(db: Sqlite, zone: string, from: number, to: number): void {
  db.prepare(
    `INSERT INTO stats_daily (kind, enterprise_id, day, account_id, call_type, calls, answered, seconds, billed_seconds, amount)
     SELECT * FROM (${RECOUNT_SELECT}) WHERE true
     ON CONFLICT (kind, enterprise_id, day, account_id, call_type) DO UPDATE SET
       calls = calls + excluded.calls, answered = answered + excluded.answered, seconds = seconds + excluded.seconds,
       billed_seconds = billed_seconds + excluded.billed_seconds, amount = amount + excluded.amount`,
  ).run({ zone, from, to });
}

export function deleteAllRollups(db: Sqlite): void {
  db.prepare('DELETE FROM stats_daily').run();
}

/** Rows of days before `day` (every kind). */
export function deleteRollupsBefore(db: Sqlite, day: number): void {
  db.prepare('DELETE FROM stats_daily WHERE day < ?').run(day);
}

/** Rows of the days [first, end), each kind through its (kind, day) index. */
export function deleteRollupDays(db: Sqlite, first: number, end: number): void {
  const clear = db.prepare('DELETE FROM stats_daily WHERE kind = ? AND day >= ? AND day < ?');
  for (const kind of ['enterprise', 'user', 'gateway']) clear.run(kind, first, end);
}

/** Every counted call has an enterprise row: the enterprises' days span the days of all rows. */
export function firstEnterpriseRollupDay(db: Sqlite): number | null {
  return db.prepare("SELECT MIN(day) FROM stats_daily WHERE kind = 'enterprise'").pluck().get() as number | null;
}

export function lastEnterpriseRollupDay(db: Sqlite): number | null {
  return db.prepare("SELECT MAX(day) FROM stats_daily WHERE kind = 'enterprise'").pluck().get() as number | null;
}

/** The rollups are counted in `zone` from now on (a first count, or a rebuild that finished). */
export function markRollupsBuilt(db: Sqlite, zone: string, builtAt: number): void {
  db.prepare('UPDATE stats_state SET time_zone = ?, built_at = ?, rebuild_zone = NULL, rebuild_until = NULL WHERE id = 1').run(zone, builtAt);
}

export function beginRollupRebuild(db: Sqlite, zone: string, until: number): void {
  db.prepare('UPDATE stats_state SET rebuild_zone = ?, rebuild_until = ? WHERE id = 1').run(zone, until);
}

export function advanceRollupRebuild(db: Sqlite, until: number): void {
  db.prepare('UPDATE stats_state SET rebuild_until = ? WHERE id = 1').run(until);
}

/** The retention purge's cut: CDRs before it are gone (the cut only moves forward). */
export function markCdrsPurgedBefore(db: Sqlite, before: number): void {
  db.prepare('UPDATE stats_state SET counted_from = MAX(IFNULL(counted_from, 0), ?) WHERE id = 1').run(before);
}

/** The two reads of the rollup check, prepared once per check and run per week. */
export interface RollupCheckReads {
  /** The rollup rows of [from, to) recounted from the CDRs in `zone`. */
  recount(zone: string, from: number, to: number): RollupRow[];
  /** The stored rows of one kind for the days [first, end). */
  stored(kind: string, first: number, end: number): RollupRow[];
}

export function rollupCheckReads(db: Sqlite): RollupCheckReads {
  const recount = db.prepare(RECOUNT_SELECT);
  const stored = db.prepare(
    `SELECT kind, enterprise_id, day, account_id, call_type, calls, answered, seconds, billed_seconds, amount
     FROM stats_daily WHERE kind = ? AND day >= ? AND day < ?`,
  );
  return {
    recount: (zone, from, to) => recount.all({ zone, from, to }) as RollupRow[],
    stored: (kind, first, end) => stored.all(kind, first, end) as RollupRow[],
  };
}
