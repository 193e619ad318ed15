import type { FieldChange, LoginLogEntry, OperationLogEntry } from '../../src-shared/api/logs';
import { isoTime, type Page } from '../../src-shared/api/common';
import type { DomainHandlers } from '../api/call-context';
import { exportLoginLog, exportOperationLog, type LogExportDeps } from './export';
import { encodeCursor } from '../db/paging';
import {
  positionOf,
  selectLoginLog,
  selectOperationActors,
  selectOperationLog,
  type LoginLogRow,
  type OperationLogRow,
} from './repository';
import { parseTarget } from './targets';

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

/** Stored JSON; details cut at their size limit (an old row) come back as the text they are. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const operationLogEntry = (r: OperationLogRow): OperationLogEntry => {
  // Rows of the engine's jobs (and of before the target columns) name their target only as "kind:id".
  const ref = r.target_kind ? { kind: r.target_kind, id: r.target_id } : parseTarget(r.target);
  return {
    id: r.id,
    at: isoTime(r.at),
    ...(r.account_id ? { accountId: r.account_id } : {}),
    username: r.username,
    actorName: r.actor_name || r.username,
    method: r.method,
    ...(r.target ? { target: r.target } : {}),
    ...(ref ? { targetKind: ref.kind } : {}),
    ...(ref?.id ? { targetId: ref.id } : {}),
    ...(r.target_name ? { targetName: r.target_name } : {}),
    ...(r.changes ? { changes: parsed(r.changes) as FieldChange[] } : {}),
    ...(r.summary ? { summary: parsed(r.summary) } : {}),
    address: r.address,
  };
};

/** What the log handlers use: the connection the logs are read on, and what their exports write with. */
export type LogHandlerDeps = LogExportDeps;

export function logHandlers(s: LogHandlerDeps): DomainHandlers<'logs'> {
  return {
    'logs.login': (q) => pageOf(selectLoginLog(s.db, q, q.limit + 1, positionOf(q.cursor)), q.limit, loginLogEntry),
    'logs.operation': (q) => pageOf(selectOperationLog(s.db, q, q.limit + 1, positionOf(q.cursor)), q.limit, operationLogEntry),
    'logs.operationActors': () =>
      selectOperationActors(s.db).map((r) => ({ accountId: r.account_id, username: r.username, actorName: r.actor_name || r.username })),
    'logs.exportLogin': (q, ctx) => exportLoginLog(s, q, ctx),
    'logs.exportOperation': (q, ctx) => exportOperationLog(s, q, ctx),
  };
}
