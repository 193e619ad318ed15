import { isoTime } from '../../../src-shared/api/common';
import { notFound } from '../../../src-shared/api/errors';
import type { RateGroup, RateRecord } from '../../../src-shared/api/rating';
import { formatMoney } from '../../../src-shared/domain/money';
import type { RatedCallType } from '../../../src-shared/domain/numbers/classify-call';
import type { Rate, RateInterval, TimeBand } from '../../../src-shared/domain/rating/rate';
import type { RateDraft } from '../../../src-shared/domain/rating/rate-validation';
import type { Sqlite } from '../../db/connection';
import type { RateGroupsRow, RatesRow } from '../../db/rows';

/** A rate group with how many rates it holds. */
interface RateGroupRow extends RateGroupsRow {
  rate_count: number;
}

/** A rates row, its call type narrowed to the types the schema allows. */
export type RateRow = Omit<RatesRow, 'call_type'> & { call_type: RatedCallType };

/** A rate as entered, with its notes (which rating ignores). */
export type RateInput = Omit<RateDraft, 'id'> & { notes: string };

const ORDER = `ORDER BY CASE call_type WHEN 'local' THEN 1 WHEN 'domestic' THEN 2 WHEN 'international' THEN 3
  WHEN 'special' THEN 4 WHEN 'internal' THEN 5 END, prefix, band_days IS NOT NULL, band_days, band_from,
  effective_from IS NOT NULL, effective_from, id`;

function timeBandOf(r: RateRow): TimeBand | null {
  if (r.band_days === null || r.band_from === null || r.band_to === null) return null;
  return { days: r.band_days.split(',').map(Number), from: r.band_from, to: r.band_to };
}

/** The rating core's view of a stored rate (integer money). */
export function rateOfRow(r: RateRow): Rate {
  return {
    id: r.id,
    name: r.name,
    callType: r.call_type,
    prefix: r.prefix,
    connectFee: r.connect_fee,
    intervals: JSON.parse(r.intervals) as RateInterval[],
    freeSeconds: r.free_seconds,
    minSeconds: r.min_seconds,
    effectiveFrom: r.effective_from,
    timeBand: timeBandOf(r),
  };
}

/** The API's view of a stored rate (money as decimal text, times as ISO). */
export function rateRecordOf(r: RateRow): RateRecord {
  const rate = rateOfRow(r);
  return {
    id: r.id,
    rateGroupId: r.rate_group_id,
    name: r.name,
    callType: r.call_type,
    prefix: r.prefix,
    connectFee: formatMoney(r.connect_fee),
    intervals: rate.intervals.map((i) => ({ start: i.start, price: formatMoney(i.price), unit: i.unit, increment: i.increment })),
    freeSeconds: r.free_seconds,
    minSeconds: r.min_seconds,
    effectiveFrom: r.effective_from === null ? null : isoTime(r.effective_from),
    timeBand: rate.timeBand ?? null,
    notes: r.notes,
    createdAt: isoTime(r.created_at),
    updatedAt: isoTime(r.updated_at),
  };
}

function groupOf(r: RateGroupRow): RateGroup {
  return {
    id: r.id,
    name: r.name,
    currency: r.currency,
    notes: r.notes,
    rateCount: r.rate_count,
    createdAt: isoTime(r.created_at),
    updatedAt: isoTime(r.updated_at),
  };
}

const GROUP_SELECT = `SELECT g.*, (SELECT COUNT(*) FROM rates r WHERE r.rate_group_id = g.id) AS rate_count FROM rate_groups g`;

/** Rate groups and rates in the database, for handlers and the rating service. */
export class RateRepository {
  constructor(private readonly db: Sqlite) {}

  groups(): RateGroup[] {
    return (this.db.prepare(`${GROUP_SELECT} ORDER BY g.name`).all() as RateGroupRow[]).map(groupOf);
  }

  group(id: number): RateGroup {
    const row = this.db.prepare(`${GROUP_SELECT} WHERE g.id = ?`).get(id) as RateGroupRow | undefined;
    if (!row) throw notFound('rateGroup', id);
    return groupOf(row);
  }

  insertGroup(g: { name: string; currency: string; notes: string }, now: number): number {
    const r = this.db
      .prepare('INSERT INTO rate_groups (name, currency, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(g.name, g.currency, g.notes, now, now);
    return Number(r.lastInsertRowid);
  }

  updateGroup(id: number, g: { name: string; currency: string; notes: string }, now: number): void {
    this.db.prepare('UPDATE rate_groups SET name = ?, currency = ?, notes = ?, updated_at = ? WHERE id = ?').run(g.name, g.currency, g.notes, now, id);
  }

  deleteGroup(id: number): void {
    this.db.prepare('DELETE FROM rate_groups WHERE id = ?').run(id);
  }

  rateRows(groupId: number, callType?: RatedCallType): RateRow[] {
    return callType
      ? (this.db.prepare(`SELECT * FROM rates WHERE rate_group_id = ? AND call_type = ? ${ORDER}`).all(groupId, callType) as RateRow[])
      : (this.db.prepare(`SELECT * FROM rates WHERE rate_group_id = ? ${ORDER}`).all(groupId) as RateRow[]);
  }

  /** Every rate of a group as the rating core wants them. */
  rates(groupId: number): Rate[] {
    return this.rateRows(groupId).map(rateOfRow);
  }

  rateRow(id: number): RateRow {
    const row = this.db.prepare('SELECT * FROM rates WHERE id = ?').get(id) as RateRow | undefined;
    if (!row) throw notFound('rate', id);
    return row;
  }

  insertRate(groupId: number, rate: RateInput, now: number): number {
    const r = this.db
      .prepare(
        `INSERT INTO rates (rate_group_id, name, call_type, prefix, connect_fee, intervals, free_seconds, min_seconds,
           effective_from, band_days, band_from, band_to, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(groupId, ...rateColumns(rate), now, now);
    return Number(r.lastInsertRowid);
  }

  updateRate(id: number, rate: RateInput, now: number): void {
    this.db
      .prepare(
        `UPDATE rates SET name = ?, call_type = ?, prefix = ?, connect_fee = ?, intervals = ?, free_seconds = ?,
           min_seconds = ?, effective_from = ?, band_days = ?, band_from = ?, band_to = ?, notes = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(...rateColumns(rate), now, id);
  }

  deleteRate(id: number): void {
    this.db.prepare('DELETE FROM rates WHERE id = ?').run(id);
  }
}

/** Column values in table order; a band's days are stored sorted so equal bands compare equal in the unique index. */
function rateColumns(rate: RateInput): (string | number | null)[] {
  const band = rate.timeBand ?? null;
  return [
    rate.name,
    rate.callType,
    rate.prefix,
    rate.connectFee,
    JSON.stringify(rate.intervals.map((i) => ({ start: i.start, price: i.price, unit: i.unit, increment: i.increment }))),
    rate.freeSeconds,
    rate.minSeconds,
    rate.effectiveFrom,
    band ? [...band.days].sort((a, b) => a - b).join(',') : null,
    band ? band.from : null,
    band ? band.to : null,
    rate.notes,
  ];
}
