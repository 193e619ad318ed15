/**
 * The SQL of the unrated queue and of rerating: reads of unrated CDRs (groups by reason, a page, the ids of a filter)
 * and the statements a rerate runs per chunk of rated CDRs. The charging pipeline's own per-CDR statements stay in
 * charging.ts (its hot path).
 */
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import type { Sqlite } from '../db/connection';
import type { CdrsRow, SetColumns } from '../db/rows';
import type { ChargeableCdr } from './charging';

/** Which unrated CDRs: all, or those of a device, a reason, a period. */
export interface UnratedFilter {
  deviceId?: number;
  /** Only the CDRs whose reason has this key. */
  reasonKey?: string;
  from?: number;
  to?: number;
}

function unratedWhere(f: UnratedFilter): { sql: string; params: unknown[] } {
  const where = ["status = 'unrated'"];
  const params: unknown[] = [];
  if (f.deviceId) where.push('device_id = ?'), params.push(f.deviceId);
  if (f.reasonKey) where.push("json_extract(status_reason, '$.key') = ?"), params.push(f.reasonKey);
  if (f.from !== undefined) where.push('start_at >= ?'), params.push(f.from);
  if (f.to !== undefined) where.push('start_at < ?'), params.push(f.to);
  return { sql: where.join(' AND '), params };
}

/** The ids of the unrated CDRs of a filter (and of `ids`, when given), oldest id first. */
export function unratedIds(db: Sqlite, filter: UnratedFilter & { ids?: number[] }): number[] {
  const w = unratedWhere(filter);
  if (filter.ids) w.sql += ` AND id IN (${filter.ids.map(() => '?').join(',')})`, w.params.push(...filter.ids);
  return db.prepare(`SELECT id FROM cdrs WHERE ${w.sql} ORDER BY id`).pluck().all(...w.params) as number[];
}

/** One reason of the whole unrated queue: how many CDRs it holds, on which devices, and its latest CDR's reason. */
export interface UnratedReasonGroup {
  key: string;
  example: ExplainStep;
  count: number;
  devices: { deviceId: number; count: number }[];
  oldest: number;
  latest: number;
}

/** Every reason of the unrated queue, most CDRs first. */
export function unratedGroups(db: Sqlite): UnratedReasonGroup[] {
  const groupRows = db
    .prepare(
      `SELECT json_extract(status_reason, '$.key') AS key, COUNT(*) AS n, MIN(start_at) AS oldest, MAX(start_at) AS latest,
         MAX(id) AS latest_id
       FROM cdrs WHERE status = 'unrated' GROUP BY key ORDER BY n DESC`,
    )
    .all() as { key: string; n: number; oldest: number; latest: number; latest_id: number }[];
  const example = db.prepare('SELECT status_reason FROM cdrs WHERE id = ?').pluck();
  const perDevice = db.prepare(
    `SELECT device_id AS deviceId, COUNT(*) AS count FROM cdrs
     WHERE status = 'unrated' AND json_extract(status_reason, '$.key') = ? GROUP BY device_id ORDER BY count DESC`,
  );
  return groupRows.map((g) => ({
    key: g.key,
    example: JSON.parse(String(example.get(g.latest_id))) as ExplainStep,
    count: g.n,
    devices: perDevice.all(g.key) as { deviceId: number; count: number }[],
    oldest: g.oldest,
    latest: g.latest,
  }));
}

/** An unrated CDR as the queue lists it. */
export interface UnratedRow {
  id: number;
  deviceId: number;
  startAt: number;
  caller: string;
  callee: string;
  billsec: number;
  callType: string | null;
  normalized: string | null;
  reason: ExplainStep;
}

/** An unrated CDR's columns the queue reads; an unrated CDR always has its reason. */
type UnratedCdr = Pick<CdrsRow, 'id' | 'device_id' | 'start_at' | 'caller' | 'callee' | 'billsec' | 'call_type' | 'normalized'> &
  SetColumns<CdrsRow, 'status_reason'>;

/**
 * Up to `limit` unrated CDRs of a filter, latest first, after the position `before` ([start_at, id]) of a previous
 * page when given.
 */
export function listUnrated(db: Sqlite, filter: UnratedFilter, before: [number, number] | undefined, limit: number): UnratedRow[] {
  const w = unratedWhere(filter);
  if (before) {
    const [at, id] = before;
    w.sql += ' AND (start_at < ? OR (start_at = ? AND id < ?))';
    w.params.push(at, at, id);
  }
  const rows = db
    .prepare(
      `SELECT id, device_id, start_at, caller, callee, billsec, call_type, normalized, status_reason FROM cdrs
       WHERE ${w.sql} ORDER BY start_at DESC, id DESC LIMIT ?`,
    )
    .all(...w.params, limit) as UnratedCdr[];
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    startAt: r.start_at,
    caller: r.caller,
    callee: r.callee,
    billsec: r.billsec,
    callType: r.call_type,
    normalized: r.normalized,
    reason: JSON.parse(r.status_reason) as ExplainStep,
  }));
}

/** The rated CDRs a rerate looks at: a period (and a scope within it). */
export interface RerateScope {
  from: number;
  to: number;
  enterpriseId?: number;
  deviceId?: number;
  rateGroupId?: number;
}

/** A rated CDR with what it was charged: the price, rate, billed seconds and payer a rerate compares against. */
export type RatedCdr = ChargeableCdr &
  Pick<CdrsRow, 'user_account_id' | 'gateway_id'> &
  SetColumns<CdrsRow, 'cost' | 'rate_id' | 'billed_seconds' | 'call_type' | 'account_id' | 'enterprise_id' | 'rate_group_id'>;

/** The new price of a rated CDR, as a rerate writes it. */
export interface CdrPrice {
  callType: string;
  normalized: string;
  ratingNumber: string;
  area: string | null;
  region: string | null;
  country: string | null;
  rateId: number;
  rateGroupId: number;
  billedSeconds: number;
  cost: number;
}

/** The statements of one rerate, prepared once for its scope and run per chunk. */
export interface RerateStatements {
  /** Up to `limit` rated CDRs of the scope after `position` ([start_at, id]), in that order. */
  ratedAfter(position: [number, number], limit: number): RatedCdr[];
  /** The current rate group of the charged account, else of the enterprise (null when neither has one). */
  currentRateGroup(chargedAccountId: number, enterpriseId: number): number | null;
  /** True when the account is an enterprise or holds its own balance. */
  holdsOwnBalance(accountId: number): boolean;
  /** Writes the new price of a rated CDR still charged `previousCost`; false when it changed meanwhile. */
  reprice(cdrId: number, previousCost: number, price: CdrPrice, at: number): boolean;
  accountName(accountId: number): string;
}

export function rerateStatements(db: Sqlite, scope: RerateScope): RerateStatements {
  // The period's start is the first position: a separate `start_at >= ?` would make SQLite walk the index from the
  // period's start again for every chunk.
  const where = ["status = 'rated'", 'start_at < ?'];
  const params: unknown[] = [scope.to];
  if (scope.enterpriseId) where.push('enterprise_id = ?'), params.push(scope.enterpriseId);
  if (scope.deviceId) where.push('device_id = ?'), params.push(scope.deviceId);
  if (scope.rateGroupId) where.push('rate_group_id = ?'), params.push(scope.rateGroupId);
  const chunkQuery = db.prepare(
    `SELECT id, device_id, start_at, billsec, caller, callee, account_code, pin, trunk_in, trunk_out, cost, rate_id,
       billed_seconds, call_type, account_id, enterprise_id, user_account_id, gateway_id, rate_group_id
     FROM cdrs WHERE ${where.join(' AND ')} AND (start_at, id) > (?, ?)
     ORDER BY start_at, id LIMIT ?`,
  );
  // The rate group a call is priced with now: the charged account's own, else that of the enterprise that made the
  // call (the CDR's, not the one a user or gateway belongs to today: an account moved to another enterprise does not
  // take its past calls to the other enterprise's rates).
  const currentGroup = db
    .prepare('SELECT IFNULL((SELECT rate_group_id FROM accounts WHERE id = ?), (SELECT rate_group_id FROM accounts WHERE id = ?))')
    .pluck();
  const ownBalance = db.prepare("SELECT kind = 'enterprise' OR own_balance = 1 FROM accounts WHERE id = ?").pluck();
  const updateCdr = db.prepare(
    `UPDATE cdrs SET call_type = ?, normalized = ?, rating_number = ?, area_code = ?, region = ?, country = ?, rate_id = ?,
       rate_group_id = ?, billed_seconds = ?, cost = ?, rated_at = ? WHERE id = ? AND status = 'rated' AND cost = ?`,
  );
  const names = db.prepare('SELECT name FROM accounts WHERE id = ?').pluck();
  return {
    ratedAfter: (position, limit) => chunkQuery.all(...params, position[0], position[1], limit) as RatedCdr[],
    currentRateGroup: (chargedAccountId, enterpriseId) => currentGroup.get(chargedAccountId, enterpriseId) as number | null,
    holdsOwnBalance: (accountId) => ownBalance.get(accountId) === 1,
    reprice: (cdrId, previousCost, p, at) =>
      updateCdr.run(
        p.callType, p.normalized, p.ratingNumber, p.area, p.region, p.country, p.rateId, p.rateGroupId, p.billedSeconds,
        p.cost, at, cdrId, previousCost,
      ).changes === 1,
    accountName: (accountId) => String(names.get(accountId)),
  };
}
