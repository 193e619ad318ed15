import type { LoginLogEntry, OperationLogEntry } from '../../src-shared/api/auth';
import { isoTime, type Page } from '../../src-shared/api/common';
import { ApiError } from '../../src-shared/api/errors';
import type { DomainHandlers } from '../api/dispatcher';
import type { Services } from '../services';

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

interface LogQuery {
  from?: number;
  to?: number;
  user?: string;
  limit: number;
  cursor?: string;
}

/** Builds the WHERE clause shared by both logs: time range, user (prefix), keyset position. */
function logWhere(q: LogQuery, extra: [string, unknown][] = []) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.from !== undefined) where.push('at >= ?'), params.push(q.from);
  if (q.to !== undefined) where.push('at < ?'), params.push(q.to);
  if (q.user) where.push("username LIKE ? ESCAPE '\\'"), params.push(likePrefix(q.user));
  for (const [clause, value] of extra) where.push(clause), params.push(value);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    where.push('(at < ? OR (at = ? AND id < ?))'), params.push(at, at, id);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

function pageOf<R extends { at: number; id: number }, T>(rows: R[], limit: number, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { rows: kept.map(map), ...(more && last ? { nextCursor: encodeCursor([last.at, last.id]) } : {}) };
}

export function logHandlers(s: Services): DomainHandlers<'logs'> {
  return {
    'logs.login': (q) => {
      const w = logWhere(q, q.ok === undefined ? [] : [['ok = ?', q.ok ? 1 : 0]]);
      const rows = s.db
        .prepare(`SELECT * FROM login_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`)
        .all(...w.params, q.limit + 1) as {
        id: number;
        at: number;
        username: string;
        account_id: number | null;
        ok: number;
        reason: string;
        address: string;
        user_agent: string | null;
      }[];
      return pageOf(
        rows,
        q.limit,
        (r): LoginLogEntry => ({
          id: r.id,
          at: isoTime(r.at),
          username: r.username,
          ...(r.account_id ? { accountId: r.account_id } : {}),
          ok: r.ok === 1,
          reason: r.reason,
          address: r.address,
          ...(r.user_agent ? { userAgent: r.user_agent } : {}),
        }),
      );
    },
    'logs.operation': (q) => {
      const extra: [string, unknown][] = [];
      if (q.method) extra.push(["method LIKE ? ESCAPE '\\'", likePrefix(q.method)]);
      if (q.target) extra.push(["target LIKE ? ESCAPE '\\'", likePrefix(q.target)]);
      const w = logWhere(q, extra);
      const rows = s.db
        .prepare(`SELECT * FROM operation_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`)
        .all(...w.params, q.limit + 1) as {
        id: number;
        at: number;
        account_id: number | null;
        username: string;
        method: string;
        target: string | null;
        summary: string | null;
        address: string;
      }[];
      return pageOf(
        rows,
        q.limit,
        (r): OperationLogEntry => ({
          id: r.id,
          at: isoTime(r.at),
          ...(r.account_id ? { accountId: r.account_id } : {}),
          username: r.username,
          method: r.method,
          ...(r.target ? { target: r.target } : {}),
          ...(r.summary ? { summary: JSON.parse(r.summary) as unknown } : {}),
          address: r.address,
        }),
      );
    },
  };
}
