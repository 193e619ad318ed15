/**
 * The extensions of the devices (who owns each) and the callers seen on them (caller_sightings), from which a clerk
 * adopts extensions that call but are not configured.
 */
import type { Extension } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { notFound } from '../../src-shared/api/errors';
import type { Sqlite } from '../db/connection';
import type { CallerSightingsRow, ExtensionsRow } from '../db/rows';

/** An extension with the name of the user it belongs to (null when unassigned). */
export interface ExtensionRow extends ExtensionsRow {
  user_name: string | null;
}

/** A caller seen on a device, with how often and when. */
export type SightingRow = Pick<CallerSightingsRow, 'caller' | 'calls' | 'first_seen_at' | 'last_seen_at'>;

const EXTENSION_SELECT = `SELECT x.*, a.name AS user_name FROM extensions x LEFT JOIN accounts a ON a.id = x.user_account_id`;

export const toExtension = (r: ExtensionRow): Extension => ({
  id: r.id,
  deviceId: r.device_id,
  number: r.number,
  name: r.name,
  userAccountId: r.user_account_id,
  userAccountName: r.user_name,
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
});

export class ExtensionRepository {
  constructor(private readonly db: Sqlite) {}

  get(id: number): Extension {
    const r = this.db.prepare(`${EXTENSION_SELECT} WHERE x.id = ?`).get(id) as ExtensionRow | undefined;
    if (!r) throw notFound('extension', id);
    return toExtension(r);
  }

  /** Extensions matching a filter over `x`, keyset-paged by id. */
  page(where: string[], params: unknown[], limit: number, afterId?: number): { rows: Extension[]; more: boolean } {
    const clauses = [...where];
    const values = [...params];
    if (afterId !== undefined) clauses.push('x.id > ?'), values.push(afterId);
    const rows = this.db
      .prepare(`${EXTENSION_SELECT} ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY x.id LIMIT ?`)
      .all(...values, limit + 1) as ExtensionRow[];
    return { rows: rows.slice(0, limit).map(toExtension), more: rows.length > limit };
  }

  exists(deviceId: number, number: string): boolean {
    return this.db.prepare('SELECT 1 FROM extensions WHERE device_id = ? AND number = ?').get(deviceId, number) !== undefined;
  }

  insert(x: { deviceId: number; number: string; name: string; userAccountId: number | null }, at: number): number {
    return Number(
      this.db
        .prepare('INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(x.deviceId, x.number, x.name, x.userAccountId, at, at).lastInsertRowid,
    );
  }

  /** `name` undefined keeps the stored name; `userAccountId` undefined keeps the stored owner (null removes it). */
  update(id: number, x: { name: string | undefined; userAccountId: number | null | undefined }, at: number): void {
    this.db
      .prepare(
        'UPDATE extensions SET name = COALESCE(?, name), user_account_id = CASE WHEN ? THEN ? ELSE user_account_id END, updated_at = ? WHERE id = ?',
      )
      .run(x.name ?? null, x.userAccountId !== undefined ? 1 : 0, x.userAccountId ?? null, at, id);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM extensions WHERE id = ?').run(id);
  }

  /**
   * Makes the user own exactly these extensions: its others lose their owner, unknown ones are created, and ones of
   * another owner are taken from it.
   */
  assignToUser(userId: number, extensions: readonly { deviceId: number; number: string }[], at: number): void {
    this.db.prepare('UPDATE extensions SET user_account_id = NULL, updated_at = ? WHERE user_account_id = ?').run(at, userId);
    const upsert = this.db.prepare(
      `INSERT INTO extensions (device_id, number, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, number) DO UPDATE SET user_account_id = excluded.user_account_id, updated_at = excluded.updated_at`,
    );
    for (const e of extensions) upsert.run(e.deviceId, e.number, userId, at, at);
  }

  /** Callers seen on the device whose number starts with `prefix` and is no configured extension, latest first. */
  unconfiguredCallers(deviceId: number, prefix: string): SightingRow[] {
    return this.db
      .prepare(
        `SELECT caller, calls, first_seen_at, last_seen_at FROM caller_sightings c
         WHERE c.device_id = ? AND c.caller LIKE ? ESCAPE '\\'
           AND NOT EXISTS (SELECT 1 FROM extensions x WHERE x.device_id = c.device_id AND x.number = c.caller)
         ORDER BY c.last_seen_at DESC, c.caller`,
      )
      .all(deviceId, prefix) as SightingRow[];
  }

  /**
   * Counts the callers of the CDRs with ids from `firstId` to `lastId` per device (prepared once: it runs for every
   * stored batch, in the batch's transaction).
   */
  callerSightingRecorder(): (firstId: number, lastId: number) => void {
    const record = this.db.prepare(
      `INSERT INTO caller_sightings (device_id, caller, calls, first_seen_at, last_seen_at)
       SELECT device_id, caller, COUNT(*), MIN(start_at), MAX(start_at) FROM cdrs
       WHERE id BETWEEN ? AND ? AND direction <> 'inbound' AND length(caller) BETWEEN 1 AND 20
         AND caller NOT GLOB '*[^0-9*#+]*'
       GROUP BY device_id, caller
       ON CONFLICT (device_id, caller) DO UPDATE SET calls = calls + excluded.calls,
         first_seen_at = MIN(first_seen_at, excluded.first_seen_at), last_seen_at = MAX(last_seen_at, excluded.last_seen_at)`,
    );
    return (firstId, lastId) => {
      record.run(firstId, lastId);
    };
  }
}
