import type { SystemAccount } from '../../src-shared/api/auth';
import { ApiError, fieldDetails, noSuch, notFound, takenField } from '../../src-shared/api/errors';
import { isoTime } from '../../src-shared/api/common';
import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import { hashPassword } from './passwords';
import { toSessionUser } from './service';
import { problem } from '../../src-shared/api/messages';

export function authHandlers(s: Services): DomainHandlers<'auth'> {
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
      const row = s.db.prepare('SELECT * FROM system_accounts WHERE id = ?').get(ctx.user!.id) as never;
      return toSessionUser(row);
    },
    'auth.changePassword': async ({ oldPassword, newPassword }, ctx) => {
      await s.auth.changePassword(ctx.user!.id, ctx.session!.sessionId, oldPassword, newPassword);
      ctx.audit({ target: `systemAccount:${ctx.user!.id}`, change: 'own password' });
      return { ok: true };
    },
  };
}

interface AccountRow {
  id: number;
  username: string;
  display_name: string;
  role: SystemAccount['role'];
  disabled: number;
  must_change_password: number;
  created_at: number;
  last_login_at: number | null;
  enterprise_id: number | null;
}

const toAccount = (r: AccountRow): SystemAccount => ({
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

export function systemAccountHandlers(s: Services): DomainHandlers<'systemAccounts'> {
  const byId = (id: number) => {
    const row = s.db.prepare('SELECT * FROM system_accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) throw notFound('systemAccount', id);
    return row;
  };
  const activeAdmins = () =>
    (s.db.prepare("SELECT COUNT(*) AS n FROM system_accounts WHERE role = 'admin' AND disabled = 0").get() as { n: number })
      .n;

  return {
    'systemAccounts.list': () =>
      (s.db.prepare("SELECT * FROM system_accounts WHERE role != 'enterprise' ORDER BY username").all() as AccountRow[]).map(
        toAccount,
      ),

    'systemAccounts.create': async (input, ctx) => {
      const hash = await hashPassword(input.password);
      const t = s.now();
      const created = s.db.transaction(() => {
        const exists = s.db.prepare('SELECT id FROM system_accounts WHERE username = ?').get(input.username);
        if (exists) throw ApiError.keyed('conflict', 'api.usernameTaken', `The user name "${input.username}" is taken.`, { name: input.username }, fieldDetails({ username: takenField() }));
        if (input.enterpriseId !== undefined && !s.db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'enterprise'").get(input.enterpriseId)) {
          throw ApiError.keyed('invalid_input', 'api.notFound', `There is no enterprise ${input.enterpriseId}.`, { thing: 'enterprise', id: input.enterpriseId }, fieldDetails({ enterpriseId: noSuch('enterprise') }));
        }
        const { lastInsertRowid } = s.db
          .prepare(
            `INSERT INTO system_accounts (username, display_name, role, password_hash, must_change_password, enterprise_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.displayName ?? '', input.role, hash, input.mustChangePassword ? 1 : 0, input.enterpriseId ?? null, t, t);
        return toAccount(byId(Number(lastInsertRowid)));
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
        if (input.role && input.role !== 'admin' && before.role === 'admin' && !before.disabled && activeAdmins() <= 1) {
          throw ApiError.keyed('conflict', 'api.lastAdminRole', 'This is the last active administrator; its role cannot change.');
        }
        s.db
          .prepare(
            `UPDATE system_accounts SET display_name = COALESCE(?, display_name), role = COALESCE(?, role),
               password_hash = COALESCE(?, password_hash), must_change_password = CASE WHEN ? THEN 1 ELSE must_change_password END,
               updated_at = ? WHERE id = ?`,
          )
          .run(input.displayName ?? null, input.role ?? null, hash, hash ? 1 : 0, s.now(), input.id);
        // A reset password or a changed role ends the account's sessions: they were opened under the old terms.
        if (hash || (input.role && input.role !== before.role)) s.auth.endAccountSessions(input.id, 'account_changed');
        return { before: toAccount(before), after: toAccount(byId(input.id)) };
      })();
      ctx.audit({ target: `systemAccount:${input.id}`, ...result, passwordReset: hash !== null });
      return result.after;
    },

    'systemAccounts.disable': ({ id, disabled }, ctx) => {
      const before = byId(id);
      if (disabled && before.role === 'admin' && !before.disabled && activeAdmins() <= 1) {
        throw ApiError.keyed('conflict', 'api.lastAdminDisable', 'This is the last active administrator; it cannot be disabled.');
      }
      if (disabled && id === ctx.user!.id) throw ApiError.keyed('conflict', 'api.disableSelf', 'You cannot disable your own account.');
      s.db.prepare('UPDATE system_accounts SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, s.now(), id);
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
