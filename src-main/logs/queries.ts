import { ApiError } from '../../src-shared/api/errors';
import type { Sqlite } from '../db/connection';

/** Keyset cursor over (at DESC, id DESC): the last row's position. */
export function encodeCursor(parts: (number | string)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (number | string)[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'number' || typeof p === 'string')) {
      return parts;
    }
  } catch {
    // fall through
  }
  throw new ApiError('invalid_input', 'The cursor is not one this server gave out.', { fields: { cursor: ['is invalid'] } });
}

export const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

export interface LogFilter {
  from?: number;
  to?: number;
  user?: string;
}
export interface LoginLogFilter extends LogFilter {
  ok?: boolean;
}
export interface OperationLogFilter extends LogFilter {
  method?: string;
  target?: string;
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
}

/** Position after which the next page starts: (at, id) of the last row seen. */
export type LogPosition = [number, number];

/** WHERE clause shared by both logs: time range [from, to), user (prefix), extra clauses, keyset position. */
function logWhere(q: LogFilter, extra: [string, unknown][], after?: LogPosition) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.from !== undefined) where.push('at >= ?'), params.push(q.from);
  if (q.to !== undefined) where.push('at < ?'), params.push(q.to);
  if (q.user) where.push("username LIKE ? ESCAPE '\\'"), params.push(likePrefix(q.user));
  for (const [clause, value] of extra) where.push(clause), params.push(value);
  if (after) where.push('(at < ? OR (at = ? AND id < ?))'), params.push(after[0], after[0], after[1]);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function positionOf(cursor: string | undefined): LogPosition | undefined {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'number' || typeof id !== 'number') {
    throw new ApiError('invalid_input', 'The cursor is not one this server gave out.', { fields: { cursor: ['is invalid'] } });
  }
  return [at, id];
}

/** Login log rows, latest first, at most `limit`, after `after`. */
export function selectLoginLog(db: Sqlite, q: LoginLogFilter, limit: number, after?: LogPosition): LoginLogRow[] {
  const w = logWhere(q, q.ok === undefined ? [] : [['ok = ?', q.ok ? 1 : 0]], after);
  return db.prepare(`SELECT * FROM login_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`).all(...w.params, limit) as LoginLogRow[];
}

/** Operation log rows, latest first; method and target match by prefix. */
export function selectOperationLog(db: Sqlite, q: OperationLogFilter, limit: number, after?: LogPosition): OperationLogRow[] {
  const extra: [string, unknown][] = [];
  if (q.method) extra.push(["method LIKE ? ESCAPE '\\'", likePrefix(q.method)]);
  if (q.target) extra.push(["target LIKE ? ESCAPE '\\'", likePrefix(q.target)]);
  const w = logWhere(q, extra, after);
  return db.prepare(`SELECT * FROM operation_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`).all(...w.params, limit) as OperationLogRow[];
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
