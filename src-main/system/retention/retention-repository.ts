/**
 * The SQL of retention: the CDRs of a month read in pages for its archive and deleted by id in batches, the purge
 * runs' operation-log rows (the archives' CDR counts and the last run come from them), and where the purged past begins.
 */
import type { Sqlite } from '../../db/connection';
import type { StatsStateRow } from '../../db/rows';

/** Whether any CDR started in [from, to): prepared once per run, asked per month. */
export function cdrsBetweenCheck(db: Sqlite): (from: number, to: number) => boolean {
  const stmt = db.prepare('SELECT 1 FROM cdrs WHERE start_at >= ? AND start_at < ? LIMIT 1');
  return (from, to) => Boolean(stmt.get(from, to));
}

/** The columns of the cdrs table, in table order (an archive holds them all). */
export function cdrColumnNames(db: Sqlite): string[] {
  return (db.prepare('PRAGMA table_info(cdrs)').all() as { name: string }[]).map((c) => c.name);
}

/** Whole CDRs strictly after (start_at, id) and before `to`, oldest first: one statement for every page of a month. */
export function cdrPageReader(db: Sqlite): (at: number, id: number, to: number, limit: number) => Record<string, unknown>[] {
  const page = db.prepare(
    // The month's start is the first position (not a separate bound): SQLite then starts each page at the position
    // instead of walking the index from the month's start again, which made a large month quadratic.
    'SELECT * FROM cdrs WHERE (start_at, id) > (?, ?) AND start_at < ? ORDER BY start_at, id LIMIT ?',
  );
  return (at, id, to, limit) => page.all(at, id, to, limit) as Record<string, unknown>[];
}

/** Deletes the CDRs of these ids that started before the cutoff; returns how many. One statement for every batch size. */
export function cdrBatchDeleter(db: Sqlite): (ids: readonly number[], cutoff: number) => number {
  const remove = db.prepare('DELETE FROM cdrs WHERE id IN (SELECT value FROM json_each(?)) AND start_at < ?');
  return (ids, cutoff) => remove.run(JSON.stringify(ids), cutoff).changes;
}

/** The summary of the last purge run in the operation log (undefined: none ran). */
export function lastPurgeSummary(db: Sqlite): string | undefined {
  return db.prepare(`SELECT summary FROM operation_log WHERE method = 'system.purge' ORDER BY at DESC, id DESC LIMIT 1`).pluck().get() as
    | string
    | undefined;
}

/** Summaries of the purge runs that archived something (a run that archived nothing names no file; indexed by method). */
export function purgeSummariesNamingFiles(db: Sqlite): string[] {
  return db.prepare(`SELECT summary FROM operation_log WHERE method = 'system.purge' AND summary LIKE '%"file"%'`).pluck().all() as string[];
}

/** The first instant the statistics still count CDRs from (null: nothing was purged). */
export function purgedBefore(db: Sqlite): number | null {
  const row = db.prepare('SELECT counted_from FROM stats_state WHERE id = 1').get() as Pick<StatsStateRow, 'counted_from'> | undefined;
  return row?.counted_from ?? null;
}
