import type { LoginLogEntry, OperationLogEntry } from '../../src-shared/api/auth';
import { isoTime, type Page } from '../../src-shared/api/common';
import type { DomainHandlers } from '../api/dispatcher';
import type { Services } from '../services';
import { exportLoginLog, exportOperationLog } from './export';
import {
  encodeCursor,
  positionOf,
  selectLoginLog,
  selectOperationLog,
  type LoginLogRow,
  type OperationLogRow,
} from './queries';

export { decodeCursor, encodeCursor, likePrefix } from './queries';

function pageOf<R extends { at: number; id: number }, T>(rows: R[], limit: number, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { rows: kept.map(map), ...(more && last ? { nextCursor: encodeCursor([last.at, last.id]) } : {}) };
}

export const loginLogEntry = (r: LoginLogRow): LoginLogEntry => ({
  id: r.id,
  at: isoTime(r.at),
  username: r.username,
  ...(r.account_id ? { accountId: r.account_id } : {}),
  ok: r.ok === 1,
  reason: r.reason,
  address: r.address,
  ...(r.user_agent ? { userAgent: r.user_agent } : {}),
});

export const operationLogEntry = (r: OperationLogRow): OperationLogEntry => ({
  id: r.id,
  at: isoTime(r.at),
  ...(r.account_id ? { accountId: r.account_id } : {}),
  username: r.username,
  method: r.method,
  ...(r.target ? { target: r.target } : {}),
  ...(r.summary ? { summary: JSON.parse(r.summary) as unknown } : {}),
  address: r.address,
});

export function logHandlers(s: Services): DomainHandlers<'logs'> {
  return {
    'logs.login': (q) => pageOf(selectLoginLog(s.db, q, q.limit + 1, positionOf(q.cursor)), q.limit, loginLogEntry),
    'logs.operation': (q) => pageOf(selectOperationLog(s.db, q, q.limit + 1, positionOf(q.cursor)), q.limit, operationLogEntry),
    'logs.exportLogin': (q, ctx) => exportLoginLog(s, q, ctx),
    'logs.exportOperation': (q, ctx) => exportOperationLog(s, q, ctx),
  };
}
