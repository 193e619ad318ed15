import { isoTime } from '../../../src-shared/api/common';
import { notFound } from '../../../src-shared/api/errors';
import type { RoutePrefix } from '../../../src-shared/api/route-prefixes';
import type { RoutePrefixRule } from '../../../src-shared/domain/numbers/numbering-plan';
import type { Sqlite } from '../../db/connection';
import type { RoutePrefixesRow } from '../../db/rows';

export interface RoutePrefixFields {
  prefix: string;
  minRemainingLength: number;
  replacement: string;
  notes: string;
}

function routePrefixOf(r: RoutePrefixesRow): RoutePrefix {
  return {
    id: r.id,
    deviceId: r.device_id,
    position: r.position,
    prefix: r.prefix,
    minRemainingLength: r.min_remaining_length,
    replacement: r.replacement,
    notes: r.notes,
    createdAt: isoTime(r.created_at),
    updatedAt: isoTime(r.updated_at),
  };
}

/** Route prefix rules per device, kept numbered 1..n in the order they are tried. */
export class RoutePrefixRepository {
  constructor(private readonly db: Sqlite) {}

  list(deviceId: number): RoutePrefix[] {
    return this.rows(deviceId).map(routePrefixOf);
  }

  /** The device's rules as the numbering plan wants them. */
  rules(deviceId: number): RoutePrefixRule[] {
    return this.rows(deviceId).map((r) => ({ prefix: r.prefix, minRemainingLength: r.min_remaining_length, replacement: r.replacement }));
  }

  get(id: number): RoutePrefix {
    return routePrefixOf(this.row(id));
  }

  /** Adds a rule at `position` (default: last); the rules from there move down. Call inside a transaction. */
  insert(deviceId: number, fields: RoutePrefixFields, position: number | undefined, now: number): number {
    const order = this.rows(deviceId).map((r) => r.id);
    const r = this.db
      .prepare(
        `INSERT INTO route_prefixes (device_id, position, prefix, min_remaining_length, replacement, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(deviceId, order.length + 1, fields.prefix, fields.minRemainingLength, fields.replacement, fields.notes, now, now);
    const id = Number(r.lastInsertRowid);
    if (position !== undefined && position <= order.length) {
      order.splice(position - 1, 0, id);
      this.renumber(deviceId, order);
    }
    return id;
  }

  /** Changes a rule and, with `position`, moves it there. Call inside a transaction. */
  update(id: number, fields: RoutePrefixFields, position: number | undefined, now: number): void {
    const row = this.row(id);
    this.db
      .prepare('UPDATE route_prefixes SET prefix = ?, min_remaining_length = ?, replacement = ?, notes = ?, updated_at = ? WHERE id = ?')
      .run(fields.prefix, fields.minRemainingLength, fields.replacement, fields.notes, now, id);
    if (position !== undefined && position !== row.position) {
      const order = this.rows(row.device_id)
        .map((r) => r.id)
        .filter((other) => other !== id);
      order.splice(Math.min(position, order.length + 1) - 1, 0, id);
      this.renumber(row.device_id, order);
    }
  }

  delete(id: number): RoutePrefix {
    const row = this.row(id);
    this.db.prepare('DELETE FROM route_prefixes WHERE id = ?').run(id);
    this.renumber(
      row.device_id,
      this.rows(row.device_id).map((r) => r.id),
    );
    return routePrefixOf(row);
  }

  private row(id: number): RoutePrefixesRow {
    const row = this.db.prepare('SELECT * FROM route_prefixes WHERE id = ?').get(id) as RoutePrefixesRow | undefined;
    if (!row) throw notFound('routePrefixRule', id);
    return row;
  }

  private rows(deviceId: number): RoutePrefixesRow[] {
    return this.db.prepare('SELECT * FROM route_prefixes WHERE device_id = ? ORDER BY position').all(deviceId) as RoutePrefixesRow[];
  }

  /** Gives the rules positions 1..n in `order`; negative positions first, so UNIQUE (device, position) holds throughout. */
  private renumber(deviceId: number, order: number[]): void {
    this.db.prepare('UPDATE route_prefixes SET position = -position WHERE device_id = ?').run(deviceId);
    const set = this.db.prepare('UPDATE route_prefixes SET position = ? WHERE id = ?');
    order.forEach((id, i) => set.run(i + 1, id));
  }
}
