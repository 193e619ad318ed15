import type { Extension } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { ApiError, fieldDetails, noSuch, notFound } from '../../src-shared/api/errors';
import type { DomainHandlers } from '../api/call-context';
import { likePrefix } from '../db/paging';
import type { Services } from '../services';
import { problem } from '../../src-shared/api/messages';

export interface ExtensionRow {
  id: number;
  device_id: number;
  number: string;
  name: string;
  user_account_id: number | null;
  user_name: string | null;
  created_at: number;
  updated_at: number;
}

export const EXTENSION_SELECT = `SELECT x.*, a.name AS user_name FROM extensions x LEFT JOIN accounts a ON a.id = x.user_account_id`;

export const toExtension = (r: ExtensionRow): Extension => ({
  id: r.id,
  deviceId: r.device_id,
  number: r.number,
  name: r.name,
  userAccountId: r.user_account_id,
  userAccountName: r.user_name,
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
});

/** The WHERE clauses of extensions.list (and its export) for a filter; `x` is the extensions table. */
export function extensionListWhere(q: { deviceId?: number; userAccountId?: number; unassigned?: boolean; q?: string }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.deviceId) where.push('x.device_id = ?'), params.push(q.deviceId);
  if (q.userAccountId) where.push('x.user_account_id = ?'), params.push(q.userAccountId);
  if (q.unassigned) where.push('x.user_account_id IS NULL');
  if (q.q) where.push("(x.number LIKE ? ESCAPE '\\' OR x.name LIKE ? ESCAPE '\\')"), params.push(likePrefix(q.q), `%${likePrefix(q.q)}`);
  return { where, params };
}

export function extensionHandlers(s: Services): Pick<
  DomainHandlers<'extensions'>,
  'extensions.list' | 'extensions.create' | 'extensions.update' | 'extensions.delete'
> {
  const get = (id: number) => {
    const r = s.db.prepare(`${EXTENSION_SELECT} WHERE x.id = ?`).get(id) as ExtensionRow | undefined;
    if (!r) throw notFound('extension', id);
    return r;
  };
  const checkUser = (id: number | null | undefined) => {
    if (id === null || id === undefined) return;
    if (!s.db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'user'").get(id)) {
      throw ApiError.keyed('invalid_input', 'api.notFound', `There is no user account ${id}.`, { thing: 'userAccount', id }, fieldDetails({ userAccountId: noSuch('userAccount') }));
    }
  };
  const changed = (id: number) => () => s.events.emit('data.changed', { domain: 'extensions', ids: [id] });

  return {
    'extensions.list': (q) => {
      const { where, params } = extensionListWhere(q);
      if (q.cursor) where.push('x.id > ?'), params.push(Number(q.cursor));
      const rows = s.db
        .prepare(`${EXTENSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY x.id LIMIT ?`)
        .all(...params, q.limit + 1) as ExtensionRow[];
      const kept = rows.slice(0, q.limit);
      return { rows: kept.map(toExtension), ...(rows.length > q.limit ? { nextCursor: String(kept.at(-1)!.id) } : {}) };
    },
    'extensions.create': (i, ctx) => {
      if (!s.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(i.deviceId)) {
        throw ApiError.keyed('invalid_input', 'api.notFound', `There is no device ${i.deviceId}.`, { thing: 'device', id: i.deviceId }, fieldDetails({ deviceId: noSuch('device') }));
      }
      checkUser(i.userAccountId);
      if (s.db.prepare('SELECT 1 FROM extensions WHERE device_id = ? AND number = ?').get(i.deviceId, i.number)) {
        throw ApiError.keyed('conflict', 'api.extensionExists', `Extension ${i.number} exists on this device.`, { number: i.number }, fieldDetails({ number: problem('field.extensionExists', 'exists on this device') }));
      }
      const t = s.now();
      const id = Number(
        s.db
          .prepare('INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(i.deviceId, i.number, i.name, i.userAccountId ?? null, t, t).lastInsertRowid,
      );
      const after = toExtension(get(id));
      ctx.audit({ target: `extension:${id}`, after });
      ctx.afterCommit(changed(id));
      return after;
    },
    'extensions.update': (i, ctx) => {
      const before = toExtension(get(i.id));
      checkUser(i.userAccountId);
      s.db
        .prepare(
          'UPDATE extensions SET name = COALESCE(?, name), user_account_id = CASE WHEN ? THEN ? ELSE user_account_id END, updated_at = ? WHERE id = ?',
        )
        .run(i.name ?? null, i.userAccountId !== undefined ? 1 : 0, i.userAccountId ?? null, s.now(), i.id);
      const after = toExtension(get(i.id));
      ctx.audit({ target: `extension:${i.id}`, before, after });
      ctx.afterCommit(changed(i.id));
      return after;
    },
    'extensions.delete': ({ id }, ctx) => {
      const before = toExtension(get(id));
      s.db.prepare('DELETE FROM extensions WHERE id = ?').run(id);
      ctx.audit({ target: `extension:${id}`, before });
      ctx.afterCommit(changed(id));
      return { ok: true };
    },
  };
}
