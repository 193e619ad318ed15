/**
 * The SQL of the login and operation logs (filters, keyset pages, appending), and the reads of a changed target as
 * it stands (targets.ts shapes them). Statements are prepared per call, as the logs are read and written rarely.
 */
import type { Sqlite } from '../db/connection';
import type { LoginLogRow, OperationLogRow } from '../db/rows';
import { badCursor } from '../../src-shared/api/errors';
import { decodeCursor, likePrefix } from '../db/paging';

// The rows as the migrations define them.
export type { LoginLogRow, OperationLogRow };

export interface LogFilter {
  from?: number;
  to?: number;
  user?: string;
}
export interface LoginLogFilter extends LogFilter {
  ok?: boolean;
}
export interface OperationLogFilter extends LogFilter {
  /** Method prefix (kept for links and scripts made before `action`). */
  method?: string;
  /** Prefix of the target text, or part of the target's name. */
  target?: string;
  /** A system account's id; 0: the engine's own jobs. */
  accountId?: number;
  /** One method, or an area ending with "." ("accounts."). */
  action?: string;
  targetKind?: string;
  targetId?: string;
}

/** Position after which the next page starts: (at, id) of the last row seen. */
export type LogPosition = [number, number];

/** WHERE clause shared by both logs: time range [from, to), user (prefix), extra clauses, keyset position. */
function logWhere(q: LogFilter, extra: [string, unknown[]][], after?: LogPosition) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.from !== undefined) where.push('at >= ?'), params.push(q.from);
  if (q.to !== undefined) where.push('at < ?'), params.push(q.to);
  if (q.user) where.push("username LIKE ? ESCAPE '\\'"), params.push(likePrefix(q.user));
  for (const [clause, values] of extra) where.push(clause), params.push(...values);
  if (after) where.push('(at < ? OR (at = ? AND id < ?))'), params.push(after[0], after[0], after[1]);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function positionOf(cursor: string | undefined): LogPosition | undefined {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'number' || typeof id !== 'number') {
    throw badCursor();
  }
  return [at, id];
}

/** Login log rows, latest first, at most `limit`, after `after`. */
export function selectLoginLog(db: Sqlite, q: LoginLogFilter, limit: number, after?: LogPosition): LoginLogRow[] {
  const w = logWhere(q, q.ok === undefined ? [] : [['ok = ?', [q.ok ? 1 : 0]]], after);
  return db.prepare(`SELECT * FROM login_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`).all(...w.params, limit) as LoginLogRow[];
}

const likeContains = (text: string) => '%' + likePrefix(text);

/**
 * Operation log rows, latest first. Method matches by prefix; action exactly, or by area ("accounts."); target by
 * prefix of its text or by part of its name; a person by account id (0: the engine's jobs).
 */
export function selectOperationLog(db: Sqlite, q: OperationLogFilter, limit: number, after?: LogPosition): OperationLogRow[] {
  const extra: [string, unknown[]][] = [];
  if (q.method) extra.push(["method LIKE ? ESCAPE '\\'", [likePrefix(q.method)]]);
  if (q.action) extra.push(q.action.endsWith('.') ? ["method LIKE ? ESCAPE '\\'", [likePrefix(q.action)]] : ['method = ?', [q.action]]);
  if (q.accountId !== undefined) extra.push(q.accountId === 0 ? ['account_id IS NULL', []] : ['account_id = ?', [q.accountId]]);
  if (q.targetKind) extra.push(['target_kind = ?', [q.targetKind]]);
  if (q.targetId) extra.push(['target_id = ?', [q.targetId]]);
  if (q.target) {
    extra.push([
      "(target LIKE ? ESCAPE '\\' OR target_name LIKE ? ESCAPE '\\')",
      [likePrefix(q.target), likeContains(q.target)],
    ]);
  }
  const w = logWhere(q, extra, after);
  return db.prepare(`SELECT * FROM operation_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`).all(...w.params, limit) as OperationLogRow[];
}

/** The people in the operation log (the latest display name each had), and the engine's jobs as account 0. */
export function selectOperationActors(db: Sqlite): { account_id: number; username: string; actor_name: string | null }[] {
  return db
    .prepare(
      `SELECT IFNULL(account_id, 0) AS account_id, MAX(username) AS username,
              (SELECT o2.actor_name FROM operation_log o2 WHERE o2.account_id IS o.account_id ORDER BY o2.at DESC, o2.id DESC LIMIT 1) AS actor_name
       FROM operation_log o GROUP BY IFNULL(account_id, 0) ORDER BY username COLLATE NOCASE`,
    )
    .all() as { account_id: number; username: string; actor_name: string | null }[];
}

/** Every row under a filter, in batches (keyset pages), for exports: the connection is free between batches. */
export async function* logBatches<R extends { at: number; id: number }>(
  select: (limit: number, after?: LogPosition) => R[],
  batchSize = 5000,
): AsyncGenerator<R[]> {
  let after: LogPosition | undefined;
  for (;;) {
    const rows = select(batchSize, after);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.at, last.id];
  }
}

/** One row of the operation log as `appendOperationLog` writes it. */
export interface NewOperationLogRow {
  at: number;
  accountId: number | null;
  username: string;
  method: string;
  target: string | null;
  summary: string | null;
  address: string;
  actorName: string | null;
  targetKind: string | null;
  targetId: string | null;
  targetName: string | null;
  /** JSON of the changed fields. */
  changes: string | null;
}

export function insertOperationLog(db: Sqlite, r: NewOperationLogRow): void {
  db.prepare(
    `INSERT INTO operation_log (at, account_id, username, method, target, summary, address, actor_name, target_kind, target_id, target_name, changes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.at, r.accountId, r.username, r.method, r.target, r.summary, r.address, r.actorName, r.targetKind, r.targetId, r.targetName, r.changes);
}

// The target of a change as it stands: raw columns, named as the log shows them (targets.ts turns them into fields).

export type SnapshotRow = Record<string, unknown>;

/** An account's kind (enterprise, user, gateway), or undefined when there is no such account. */
export function accountKindOf(db: Sqlite, id: number): string | undefined {
  return db.prepare('SELECT kind FROM accounts WHERE id = ?').pluck().get(id) as string | undefined;
}

/** Targets read by one statement of their id, whose columns need no reshaping beyond targets.ts' own. */
const SNAPSHOT_SQL = {
  account: `SELECT a.name, a.code, e.name AS enterprise, rg.name AS rateGroup, a.billing_mode AS billingMode, a.own_balance AS ownBalance,
              a.credit_limit AS creditLimit, a.low_balance AS lowBalance, a.freeze_when_exhausted AS freezeWhenExhausted,
              a.status, a.balance, a.contact, a.phone, a.email, a.notes, a.card_number AS cardNumber, a.pin_hash AS pin,
              d.name AS device, a.trunk
       FROM accounts a LEFT JOIN accounts e ON e.id = a.enterprise_id LEFT JOIN rate_groups rg ON rg.id = a.rate_group_id
            LEFT JOIN devices d ON d.id = a.device_id
       WHERE a.id = ?`,
  device: `SELECT d.name, d.format, d.format_options AS formatOptions, d.time_zone AS timeZone, d.country_code AS countryCode,
              d.area_code AS areaCode, d.national_prefix AS nationalPrefix, d.international_prefix AS internationalPrefix,
              d.extension_pattern AS extensionPattern, d.local_number_lengths AS localNumberLengths, d.addresses,
              e.name AS defaultEnterprise, d.sftp, d.sftp_secret AS sftpSecret, d.enabled, d.notes
       FROM devices d LEFT JOIN accounts e ON e.id = d.default_enterprise_id WHERE d.id = ?`,
  rate: `SELECT r.name, g.name AS rateGroup, r.call_type AS callType, r.prefix, r.connect_fee AS connectFee, r.intervals,
              r.free_seconds AS freeSeconds, r.min_seconds AS minSeconds, r.effective_from AS effectiveFrom,
              r.band_days AS bandDays, r.band_from AS bandFrom, r.band_to AS bandTo, r.notes
       FROM rates r JOIN rate_groups g ON g.id = r.rate_group_id WHERE r.id = ?`,
  rateGroup: 'SELECT name, currency, notes FROM rate_groups WHERE id = ?',
  routePrefix: `SELECT d.name AS device, p.position, p.prefix, p.min_remaining_length AS minRemainingLength, p.replacement, p.notes
     FROM route_prefixes p JOIN devices d ON d.id = p.device_id WHERE p.id = ?`,
  extension: `SELECT d.name AS device, x.number, x.name, u.name AS userAccount
     FROM extensions x JOIN devices d ON d.id = x.device_id LEFT JOIN accounts u ON u.id = x.user_account_id WHERE x.id = ?`,
  systemAccount: `SELECT s.username, s.display_name AS displayName, s.role, s.must_change_password AS mustChangePassword, s.disabled,
            s.password_hash AS password, e.name AS enterprise
     FROM system_accounts s LEFT JOIN accounts e ON e.id = s.enterprise_id WHERE s.id = ?`,
  attributionVersion: 'SELECT file_name AS fileName, source, mode FROM attribution_versions WHERE id = ?',
} as const;

export type SnapshotTable = keyof typeof SNAPSHOT_SQL;

/** The row of one target, or undefined when it does not exist (not yet, or no more). */
export function snapshotRow(db: Sqlite, table: SnapshotTable, id: number): SnapshotRow | undefined {
  return db.prepare(SNAPSHOT_SQL[table]).get(id) as SnapshotRow | undefined;
}
