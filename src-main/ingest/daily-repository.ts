/**
 * Reads of each device's daily ingest counts (`ingest_daily`) for the live status. The store (store.ts) adds to them
 * in the transaction of each batch, so they survive restarts and never count a rolled-back batch.
 */
import type { Sqlite } from '../db/connection';
import type { IngestDailyRow } from '../db/rows';

/** A device's counts of one day. */
export type DailyCountsRow = Pick<IngestDailyRow, 'device_id' | 'received' | 'stored' | 'duplicates' | 'rejected' | 'skipped'>;

/** The counts of a day (`YYYY-MM-DD`, local), by device. */
export function dailyCountsOf(db: Sqlite, day: string): Map<number, DailyCountsRow> {
  const rows = db
    .prepare('SELECT device_id, received, stored, duplicates, rejected, skipped FROM ingest_daily WHERE day = ?')
    .all(day) as DailyCountsRow[];
  return new Map(rows.map((r) => [r.device_id, r]));
}

/** A device's latest receipt over all its days. */
type LastReceived = Pick<IngestDailyRow, 'device_id'> & { at: number };

/** When each device's last record was received (any day), by device. */
export function lastReceivedByDevice(db: Sqlite): Map<number, number> {
  const rows = db.prepare('SELECT device_id, MAX(last_received_at) AS at FROM ingest_daily GROUP BY device_id').all() as LastReceived[];
  return new Map(rows.map((r) => [r.device_id, r.at]));
}
