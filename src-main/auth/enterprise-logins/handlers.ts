/**
 * The enterprise's own login, managed by clerks from the enterprise page (not through systemAccounts, which is for
 * administrators), and the dashboard that login starts on.
 */
import type { EnterpriseLogin } from '../../../src-shared/api/enterprise-logins';
import { isoTime } from '../../../src-shared/api/common';
import { ApiError, fieldDetails, takenField } from '../../../src-shared/api/errors';
import { problem } from '../../../src-shared/api/messages';
import type { Handlers } from '../../api/call-context';
import type { EventBus } from '../../events';
import { generatePassword, hashPassword } from '../passwords';
import type { AuthService } from '../service';
import { enterpriseDashboard, type EnterpriseDashboardDeps } from './dashboard';
import { enterpriseLoginOf, type EnterpriseLoginRow } from './repository';

/** What the enterprise login handlers use. */
export interface EnterpriseLoginDeps extends EnterpriseDashboardDeps {
  auth: AuthService;
  events: EventBus;
}

type EnterpriseLoginMethod =
  | 'enterprises.login'
  | 'enterprises.createLogin'
  | 'enterprises.resetLoginPassword'
  | 'enterprises.disableLogin'
  | 'enterprises.dashboard';

const toLogin = (r: EnterpriseLoginRow): EnterpriseLogin => ({
  id: r.id,
  username: r.username,
  enterpriseId: r.enterprise_id,
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: isoTime(r.created_at),
  ...(r.last_login_at ? { lastLoginAt: isoTime(r.last_login_at) } : {}),
});

export function enterpriseLoginHandlers(s: EnterpriseLoginDeps): Handlers<EnterpriseLoginMethod> {
  return {
    ...loginHandlers(s),
    'enterprises.dashboard': ({ enterpriseId, timeZone }) => {
      if (enterpriseId === undefined) {
        throw ApiError.keyed('invalid_input', 'api.sayWhichEnterprise', 'Say which enterprise.', undefined, fieldDetails({ enterpriseId: problem('zod.required', 'is required') }));
      }
      return enterpriseDashboard(s, enterpriseId, timeZone);
    },
  };
}

/** Showing, creating, resetting and disabling the enterprise's login. */
function loginHandlers(s: EnterpriseLoginDeps): Handlers<Exclude<EnterpriseLoginMethod, 'enterprises.dashboard'>> {
  const accounts = s.auth.repository;
  const enterprise = (id: number) => s.accountRepo.row(id, 'enterprise');
  const loginOf = (enterpriseId: number) => enterpriseLoginOf(s.db, enterpriseId);
  const existingLogin = (enterpriseId: number) => {
    const row = loginOf(enterpriseId);
    if (!row) throw ApiError.keyed('not_found', 'api.noEnterpriseLogin', `Enterprise ${enterpriseId} has no login; create one first.`, { id: enterpriseId });
    return row;
  };

  return {
    'enterprises.login': ({ id }) => {
      enterprise(id);
      const row = loginOf(id);
      return { enterpriseId: id, login: row ? toLogin(row) : null };
    },

    'enterprises.createLogin': async ({ id, username, password }, ctx) => {
      enterprise(id);
      const plain = password ?? generatePassword();
      const hash = await hashPassword(plain);
      const t = s.now();
      const login = s.db.transaction(() => {
        if (loginOf(id)) throw ApiError.keyed('conflict', 'api.enterpriseLoginExists', `Enterprise ${id} has a login already; reset its password instead.`, { id });
        if (accounts.usernameTaken(username)) {
          throw ApiError.keyed('conflict', 'api.usernameTaken', `The user name "${username}" is taken.`, { name: username }, fieldDetails({ username: takenField() }));
        }
        const loginId = accounts.insertAccount({
          username,
          displayName: enterprise(id).name,
          role: 'enterprise',
          passwordHash: hash,
          mustChangePassword: true,
          enterpriseId: id,
          at: t,
        });
        return toLogin(accounts.accountById(loginId) as EnterpriseLoginRow);
      })();
      ctx.audit({ target: `enterprise:${id}`, after: login, passwordGenerated: password === undefined });
      return { login, password: plain };
    },

    'enterprises.resetLoginPassword': async ({ id, password }, ctx) => {
      enterprise(id);
      const plain = password ?? generatePassword();
      const hash = await hashPassword(plain);
      const login = s.db.transaction(() => {
        const row = existingLogin(id);
        accounts.setPassword(row.id, hash, true, s.now());
        // Whoever held the old password is out at once.
        s.auth.endAccountSessions(row.id, 'password_reset');
        return toLogin(existingLogin(id));
      })();
      s.events.emit('session.ended', { reason: 'password_reset' }, { accountId: login.id });
      ctx.audit({ target: `enterprise:${id}`, login: login.username, passwordReset: true, passwordGenerated: password === undefined });
      return { login, password: plain };
    },

    'enterprises.disableLogin': ({ id, disabled }, ctx) => {
      enterprise(id);
      const before = existingLogin(id);
      accounts.setDisabled(before.id, disabled, s.now());
      if (disabled) {
        s.auth.endAccountSessions(before.id, 'disabled');
        ctx.afterCommit(() => s.events.emit('session.ended', { reason: 'disabled' }, { accountId: before.id }));
      }
      const after = toLogin(existingLogin(id));
      ctx.audit({ target: `enterprise:${id}`, before: toLogin(before), after });
      return after;
    },
  };
}
