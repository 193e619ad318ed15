/** The figures `system.info` reads from the database: rows per table, and what the CDR storage section shows. */
import type { Sqlite } from '../db/connection';
import type { DevicesRow } from '../db/rows';

/** Every table of the database with its row count, by name. */
export function tableRowCounts(db: Sqlite): { name: string; rows: number }[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return names.map((name) => ({ name, rows: db.prepare(`SELECT COUNT(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get() as number }));
}

/** How many CDRs are kept (a full count: callers cache it). */
export function countAllCdrs(db: Sqlite): number {
  return db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
}

/** A device with the CDRs it stored on a day. */
type DeviceStored = Pick<DevicesRow, 'id' | 'name'> & { stored: number };

/** CDRs stored on a day (the ingest day key) per device, every device listed, by name. */
export function storedPerDevice(db: Sqlite, day: string): DeviceStored[] {
  return db
    .prepare(
      `SELECT d.id, d.name, IFNULL(SUM(i.stored), 0) AS stored FROM devices d
       LEFT JOIN ingest_daily i ON i.device_id = d.id AND i.day = ?
       GROUP BY d.id ORDER BY d.name`,
    )
    .all(day) as DeviceStored[];
}

/** CDRs waiting to be charged (linked legs charged through another record are never charged) and unrated ones. */
export function cdrQueueCounts(db: Sqlite): { pending: number; unrated: number } {
  return db
    .prepare("SELECT (SELECT COUNT(*) FROM cdrs WHERE status = 'pending' AND leg_billed IS NOT 0) AS pending, (SELECT COUNT(*) FROM cdrs WHERE status = 'unrated') AS unrated")
    .get() as { pending: number; unrated: number };
}
