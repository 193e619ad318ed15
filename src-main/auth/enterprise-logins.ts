/**
 * The enterprise's own login, managed by clerks from the enterprise page (not through systemAccounts, which is for
 * administrators), and the dashboard that login starts on.
 */
import type { EnterpriseDashboard, EnterpriseLogin } from '../../src-shared/api/enterprise-logins';
import { isoTime } from '../../src-shared/api/common';
import { ApiError, fieldDetails, takenField } from '../../src-shared/api/errors';
import type { Handlers } from '../api/call-context';
import type { Services } from '../services';
import { statsTable } from '../statistics/tables';
import { accountAlert, type AlertAccountRow } from '../statistics/dashboard';
import { calendarOf } from '../statistics/zone-calendar';
import { generatePassword, hashPassword } from './passwords';
import { problem } from '../../src-shared/api/messages';

type EnterpriseLoginMethod =
  | 'enterprises.login'
  | 'enterprises.createLogin'
  | 'enterprises.resetLoginPassword'
  | 'enterprises.disableLogin'
  | 'enterprises.dashboard';

interface LoginRow {
  id: number;
  username: string;
  enterprise_id: number;
  disabled: number;
  must_change_password: number;
  created_at: number;
  last_login_at: number | null;
}

const toLogin = (r: LoginRow): EnterpriseLogin => ({
  id: r.id,
  username: r.username,
  enterpriseId: r.enterprise_id,
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: isoTime(r.created_at),
  ...(r.last_login_at ? { lastLoginAt: isoTime(r.last_login_at) } : {}),
});

const ALERT_ROWS = 20;

export function enterpriseLoginHandlers(s: Services): Handlers<EnterpriseLoginMethod> {
  const enterprise = (id: number) => s.accountRepo.row(id, 'enterprise');
  const loginOf = (enterpriseId: number) =>
    s.db
      .prepare("SELECT * FROM system_accounts WHERE role = 'enterprise' AND enterprise_id = ? ORDER BY id LIMIT 1")
      .get(enterpriseId) as LoginRow | undefined;
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
        if (s.db.prepare('SELECT 1 FROM system_accounts WHERE username = ?').get(username)) {
          throw ApiError.keyed('conflict', 'api.usernameTaken', `The user name "${username}" is taken.`, { name: username }, fieldDetails({ username: takenField() }));
        }
        const { lastInsertRowid } = s.db
          .prepare(
            `INSERT INTO system_accounts (username, display_name, role, password_hash, must_change_password, enterprise_id, created_at, updated_at)
             VALUES (?, ?, 'enterprise', ?, 1, ?, ?, ?)`,
          )
          .run(username, enterprise(id).name, hash, id, t, t);
        return toLogin(s.db.prepare('SELECT * FROM system_accounts WHERE id = ?').get(Number(lastInsertRowid)) as LoginRow);
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
        s.db
          .prepare('UPDATE system_accounts SET password_hash = ?, must_change_password = 1, updated_at = ? WHERE id = ?')
          .run(hash, s.now(), row.id);
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
      s.db.prepare('UPDATE system_accounts SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, s.now(), before.id);
      if (disabled) {
        s.auth.endAccountSessions(before.id, 'disabled');
        ctx.afterCommit(() => s.events.emit('session.ended', { reason: 'disabled' }, { accountId: before.id }));
      }
      const after = toLogin(existingLogin(id));
      ctx.audit({ target: `enterprise:${id}`, before: toLogin(before), after });
      return after;
    },

    'enterprises.dashboard': ({ enterpriseId, timeZone }) => {
      if (enterpriseId === undefined) {
        throw ApiError.keyed('invalid_input', 'api.sayWhichEnterprise', 'Say which enterprise.', undefined, fieldDetails({ enterpriseId: problem('zod.required', 'is required') }));
      }
      const e = s.accountRepo.enterprise(enterprise(enterpriseId));
      const zone = timeZone ?? s.statistics.timeZone;
      const now = s.now();
      const calendar = calendarOf(zone);
      const today = calendar.dayOf(now);
      const month = calendar.monthOf(now);
      const range = calendar.monthRange(month);
      const state = s.statistics.rollups.current;
      const totalsOf = (from: number, to: number) =>
        statsTable(s.db, state, 'enterprise', { from, to, timeZone: zone, enterpriseId, sort: 'name', order: 'asc', limit: 1 }).table.totals;
      const monthTotals = totalsOf(range.from, range.to);
      const alertRows = s.db
        .prepare(
          `SELECT id, name, kind, enterprise_id, balance, status, alert_state FROM accounts
           WHERE (id = @e OR enterprise_id = @e) AND ((own_balance = 1 AND alert_state IN ('low', 'exhausted')) OR status = 'frozen')
           ORDER BY balance, id LIMIT @n`,
        )
        .all({ e: enterpriseId, n: ALERT_ROWS }) as AlertAccountRow[];
      const result: EnterpriseDashboard = {
        at: isoTime(now),
        timeZone: zone,
        enterprise: e,
        today: { date: calendar.isoDate(today), total: totalsOf(calendar.startOfDay(today), calendar.startOfDay(today + 1)).total },
        month: { month, byType: monthTotals.byType, total: monthTotals.total },
        alerts: alertRows.map(accountAlert),
      };
      return result;
    },
  };
}
