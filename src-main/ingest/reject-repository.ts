/**
 * The statements of rejected records (`cdr_rejects`) outside the store's hot path: listing (keyset paged, latest
 * first), reading by id, the resolution a reprocessing writes, dismissal, and the ids of open rejects. The store
 * (store.ts) inserts rejects in the transaction of their batch.
 */
import type { IngestSourceKind, RejectStatus } from '../../src-shared/api/ingest';
import type { Sqlite } from '../db/connection';
import type { CdrRejectsRow } from '../db/rows';

/** A reject as SELECT_REJECT reads it: its row (source kind and status narrowed) with its device's name. */
export interface RejectRow extends Omit<CdrRejectsRow, 'source_kind' | 'status'> {
  source_kind: IngestSourceKind;
  status: RejectStatus;
  device_name: string;
}

export interface RejectFilter {
  deviceId?: number;
  status?: RejectStatus;
  sourceKind?: IngestSourceKind;
  sourceName?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

/** What a reprocessing writes into a reject: its new status, why, and the reason it was read with again. */
export interface RejectResolution {
  status: RejectStatus;
  resolvedAt: number | null;
  resolution: string;
  cdrId: number | null;
  reason: string;
  /** The reason's catalogue key and params (null keeps the stored ones). */
  reasonKey: string | null;
  reasonParams: string | null;
}

const SELECT_REJECT = `SELECT r.*, d.name AS device_name FROM cdr_rejects r JOIN devices d ON d.id = r.device_id`;

const placeholders = (ids: readonly number[]) => ids.map(() => '?').join(',');

function filterWhere(f: RejectFilter): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.deviceId !== undefined) (where.push('r.device_id = ?'), args.push(f.deviceId));
  if (f.status !== undefined) (where.push('r.status = ?'), args.push(f.status));
  if (f.sourceKind !== undefined) (where.push('r.source_kind = ?'), args.push(f.sourceKind));
  if (f.sourceName !== undefined) (where.push('r.source_name = ?'), args.push(f.sourceName));
  if (f.from !== undefined) (where.push('r.received_at >= ?'), args.push(f.from));
  if (f.to !== undefined) (where.push('r.received_at < ?'), args.push(f.to));
  return { sql: where.length ? ` WHERE ${where.join(' AND ')}` : '', args };
}

/**
 * One page of the rejects of a filter, latest first: up to `limit + 1` rows (the extra one tells that more follow)
 * before the cursor (a reject id), and the filter's total on the first page only.
 */
export function findRejectPage(db: Sqlite, f: RejectFilter): { rows: RejectRow[]; total?: number } {
  const filtered = filterWhere(f);
  const cursorId = f.cursor !== undefined ? Number(f.cursor) : undefined;
  const paged = cursorId !== undefined && Number.isInteger(cursorId);
  const pageWhere = paged ? `${filtered.sql ? `${filtered.sql} AND` : ' WHERE'} r.id < ?` : filtered.sql;
  const pageArgs = paged ? [...filtered.args, cursorId] : filtered.args;
  const rows = db.prepare(`${SELECT_REJECT}${pageWhere} ORDER BY r.id DESC LIMIT ?`).all(...pageArgs, f.limit + 1) as RejectRow[];
  if (f.cursor !== undefined) return { rows };
  const total = db.prepare(`SELECT COUNT(*) FROM cdr_rejects r${filtered.sql}`).pluck().get(...filtered.args) as number;
  return { rows, total };
}

/** The rejects of these ids that exist, by id ascending. */
export function findRejectsByIds(db: Sqlite, ids: readonly number[]): RejectRow[] {
  if (ids.length === 0) return [];
  return db.prepare(`${SELECT_REJECT} WHERE r.id IN (${placeholders(ids)}) ORDER BY r.id`).all(...ids) as RejectRow[];
}

export function updateRejectResolution(db: Sqlite, id: number, r: RejectResolution): void {
  db.prepare(
    `UPDATE cdr_rejects SET status = ?, resolved_at = ?, resolution = ?, cdr_id = ?, reason = ?,
       reason_key = coalesce(?, reason_key), reason_params = coalesce(?, reason_params) WHERE id = ?`,
  ).run(r.status, r.resolvedAt, r.resolution, r.cdrId, r.reason, r.reasonKey, r.reasonParams, id);
}

/** Dismisses the open rejects among `ids`; returns how many were open. */
export function dismissOpenRejects(db: Sqlite, ids: readonly number[], at: number, resolution: string): number {
  return db
    .prepare(`UPDATE cdr_rejects SET status = 'dismissed', resolved_at = ?, resolution = ? WHERE status = 'open' AND id IN (${placeholders(ids)})`)
    .run(at, resolution, ...ids).changes;
}

/** Ids of a device's open rejects (of every device without one), oldest first. */
export function openRejectIdsOf(db: Sqlite, deviceId?: number): number[] {
  if (deviceId === undefined) return db.prepare("SELECT id FROM cdr_rejects WHERE status = 'open' ORDER BY id").pluck().all() as number[];
  return db.prepare("SELECT id FROM cdr_rejects WHERE device_id = ? AND status = 'open' ORDER BY id").pluck().all(deviceId) as number[];
}
