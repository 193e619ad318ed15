import type { SystemAccount } from '../../src-shared/api/auth';
import { ApiError, fieldDetails, noSuch, notFound, takenField } from '../../src-shared/api/errors';
import { isoTime } from '../../src-shared/api/common';
import type { DomainHandlers } from '../api/call-context';
import type { Sqlite } from '../db/connection';
import type { EventBus } from '../events';
import { hashPassword } from './passwords';
import type { SystemAccountRow } from './repository';
import { toSessionUser, type AuthService } from './service';
import { problem } from '../../src-shared/api/messages';

/** What the auth handlers use. */
export interface AuthHandlerDeps {
  auth: AuthService;
  events: EventBus;
}

/** What the system account handlers use. */
export interface SystemAccountHandlerDeps {
  /** Transactions around a check and its write. */
  db: Sqlite;
  auth: AuthService;
  events: EventBus;
  now(): number;
}

export function authHandlers(s: AuthHandlerDeps): DomainHandlers<'auth'> {
  return {
    'auth.login': async ({ username, password }, ctx) => {
      const { token, user, expiresAt } = await s.auth.login(username, password, {
        address: ctx.caller.address,
        userAgent: ctx.caller.userAgent,
      });
      return { token, user, expiresAt: isoTime(expiresAt) };
    },
    'auth.logout': (_input, ctx) => {
      s.auth.endSession(ctx.session!.sessionId, 'logout');
      s.events.emit('session.ended', { reason: 'logout' }, { sessionId: ctx.session!.sessionId });
      return { ok: true };
    },
    'auth.me': (_input, ctx) => {
      // The dispatcher has just authenticated this account, so it exists.
      return toSessionUser(s.auth.repository.accountById(ctx.user!.id)!);
    },
    'auth.changePassword': async ({ oldPassword, newPassword }, ctx) => {
      await s.auth.changePassword(ctx.user!.id, ctx.session!.sessionId, oldPassword, newPassword);
      ctx.audit({ target: `systemAccount:${ctx.user!.id}`, change: 'own password' });
      return { ok: true };
    },
  };
}

const toAccount = (r: SystemAccountRow): SystemAccount => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: isoTime(r.created_at),
  ...(r.last_login_at ? { lastLoginAt: isoTime(r.last_login_at) } : {}),
  ...(r.role === 'enterprise' && r.enterprise_id !== null ? { enterpriseId: r.enterprise_id } : {}),
});

export function systemAccountHandlers(s: SystemAccountHandlerDeps): DomainHandlers<'systemAccounts'> {
  const accounts = s.auth.repository;
  const byId = (id: number) => {
    const row = accounts.accountById(id);
    if (!row) throw notFound('systemAccount', id);
    return row;
  };
  return {
    'systemAccounts.list': () => accounts.staffAccounts().map(toAccount),
    'systemAccounts.create': async (input, ctx) => {
      const hash = await hashPassword(input.password);
      const t = s.now();
      const created = s.db.transaction(() => {
        if (accounts.usernameTaken(input.username)) throw ApiError.keyed('conflict', 'api.usernameTaken', `The user name "${input.username}" is taken.`, { name: input.username }, fieldDetails({ username: takenField() }));
        if (input.enterpriseId !== undefined && !accounts.enterpriseExists(input.enterpriseId)) {
          throw ApiError.keyed('invalid_input', 'api.notFound', `There is no enterprise ${input.enterpriseId}.`, { thing: 'enterprise', id: input.enterpriseId }, fieldDetails({ enterpriseId: noSuch('enterprise') }));
        }
        const id = accounts.insertAccount({
          username: input.username,
          displayName: input.displayName ?? '',
          role: input.role,
          passwordHash: hash,
          mustChangePassword: input.mustChangePassword,
          enterpriseId: input.enterpriseId ?? null,
          at: t,
        });
        return toAccount(byId(id));
      })();
      ctx.audit({ target: `systemAccount:${created.id}`, after: created });
      return created;
    },
    'systemAccounts.update': async (input, ctx) => {
      const hash = input.password ? await hashPassword(input.password) : null;
      const result = s.db.transaction(() => {
        const before = byId(input.id);
        // An enterprise login stays bound to its enterprise: turned into staff it would read every enterprise.
        if (input.role && before.role === 'enterprise') {
          throw ApiError.keyed('conflict', 'api.enterpriseLoginRole', 'An enterprise login keeps its role; create a staff account instead.', undefined, fieldDetails({ role: problem('field.enterpriseLoginRole', 'cannot change for an enterprise login') }));
        }
        if (input.role && input.role !== 'admin' && before.role === 'admin' && !before.disabled && accounts.activeAdminCount() <= 1) {
          throw ApiError.keyed('conflict', 'api.lastAdminRole', 'This is the last active administrator; its role cannot change.');
        }
        accounts.updateAccount(input.id, { displayName: input.displayName ?? null, role: input.role ?? null, passwordHash: hash, at: s.now() });
        // A reset password or a changed role ends the account's sessions: they were opened under the old terms.
        if (hash || (input.role && input.role !== before.role)) s.auth.endAccountSessions(input.id, 'account_changed');
        return { before: toAccount(before), after: toAccount(byId(input.id)) };
      })();
      ctx.audit({ target: `systemAccount:${input.id}`, ...result, passwordReset: hash !== null });
      return result.after;
    },
    'systemAccounts.disable': ({ id, disabled }, ctx) => {
      const before = byId(id);
      if (disabled && before.role === 'admin' && !before.disabled && accounts.activeAdminCount() <= 1) {
        throw ApiError.keyed('conflict', 'api.lastAdminDisable', 'This is the last active administrator; it cannot be disabled.');
      }
      if (disabled && id === ctx.user!.id) throw ApiError.keyed('conflict', 'api.disableSelf', 'You cannot disable your own account.');
      accounts.setDisabled(id, disabled, s.now());
      if (disabled) {
        s.auth.endAccountSessions(id, 'disabled');
        s.events.emit('session.ended', { reason: 'disabled' }, { accountId: id });
      }
      const after = toAccount(byId(id));
      ctx.audit({ target: `systemAccount:${id}`, before: toAccount(before), after });
      return after;
    },
  };
}
