import type { Sqlite } from '../db/connection';

import { badCursor } from '../../src-shared/api/errors';
import { decodeCursor, likePrefix } from '../db/paging';

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

export interface LoginLogRow {
  id: number;
  at: number;
  username: string;
  account_id: number | null;
  ok: number;
  reason: string;
  address: string;
  user_agent: string | null;
}

export interface OperationLogRow {
  id: number;
  at: number;
  account_id: number | null;
  username: string;
  method: string;
  target: string | null;
  summary: string | null;
  address: string;
  actor_name: string | null;
  target_kind: string | null;
  target_id: string | null;
  target_name: string | null;
  changes: string | null;
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
