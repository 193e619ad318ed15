import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { DomainHandlers } from '../api/call-context';
import type { Sqlite } from '../db/connection';
import { likePrefix } from '../db/paging';
import type { EventBus } from '../events';
import { problem } from '../../src-shared/api/messages';
import { ExtensionRepository } from './extension-repository';
import { checkDevice, checkUserAccount } from './references';
import type { AccountRepository } from './repository';

/** What the extension handlers use. */
export interface ExtensionHandlerDeps {
  db: Sqlite;
  accountRepo: AccountRepository;
  events: EventBus;
  now(): number;
}

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

export function extensionHandlers(deps: ExtensionHandlerDeps): Pick<
  DomainHandlers<'extensions'>,
  'extensions.list' | 'extensions.create' | 'extensions.update' | 'extensions.delete'
> {
  const extensions = new ExtensionRepository(deps.db);
  const changed = (id: number) => () => deps.events.emit('data.changed', { domain: 'extensions', ids: [id] });

  return {
    'extensions.list': (q) => {
      const { where, params } = extensionListWhere(q);
      const { rows, more } = extensions.page(where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows, ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'extensions.create': (i, ctx) => {
      checkDevice(deps.accountRepo, i.deviceId);
      checkUserAccount(deps.accountRepo, i.userAccountId);
      if (extensions.exists(i.deviceId, i.number)) {
        throw ApiError.keyed('conflict', 'api.extensionExists', `Extension ${i.number} exists on this device.`, { number: i.number }, fieldDetails({ number: problem('field.extensionExists', 'exists on this device') }));
      }
      const id = extensions.insert({ deviceId: i.deviceId, number: i.number, name: i.name, userAccountId: i.userAccountId ?? null }, deps.now());
      const after = extensions.get(id);
      ctx.audit({ target: `extension:${id}`, after });
      ctx.afterCommit(changed(id));
      return after;
    },
    'extensions.update': (i, ctx) => {
      const before = extensions.get(i.id);
      checkUserAccount(deps.accountRepo, i.userAccountId);
      extensions.update(i.id, { name: i.name, userAccountId: i.userAccountId }, deps.now());
      const after = extensions.get(i.id);
      ctx.audit({ target: `extension:${i.id}`, before, after });
      ctx.afterCommit(changed(i.id));
      return after;
    },
    'extensions.delete': ({ id }, ctx) => {
      const before = extensions.get(id);
      extensions.delete(id);
      ctx.audit({ target: `extension:${id}`, before });
      ctx.afterCommit(changed(id));
      return { ok: true };
    },
  };
}
