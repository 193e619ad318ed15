/**
 * The SQL of an enterprise's own login (a system account bound to the enterprise) and of the accounts its dashboard
 * warns about. Writes to the account itself go through the auth repository (auth/repository.ts).
 */
import type { Sqlite } from '../../db/connection';
import type { SystemAccountsRow } from '../../db/rows';
import type { AlertAccountRow } from '../../statistics/repository';

/** The columns of a system account the enterprise page shows (an enterprise login is always bound to one). */
export type EnterpriseLoginRow = Pick<SystemAccountsRow, 'id' | 'username' | 'disabled' | 'must_change_password' | 'created_at' | 'last_login_at'> & {
  enterprise_id: number;
};

/** The enterprise's login (the first one, should there ever be more), or undefined. */
export function enterpriseLoginOf(db: Sqlite, enterpriseId: number): EnterpriseLoginRow | undefined {
  return db
    .prepare("SELECT * FROM system_accounts WHERE role = 'enterprise' AND enterprise_id = ? ORDER BY id LIMIT 1")
    .get(enterpriseId) as EnterpriseLoginRow | undefined;
}

/** The enterprise and its accounts that run low, ran out (own balance) or are frozen: lowest balance first. */
export function enterpriseAlertAccounts(db: Sqlite, enterpriseId: number, limit: number): AlertAccountRow[] {
  return db
    .prepare(
      `SELECT id, name, kind, enterprise_id, balance, status, alert_state FROM accounts
       WHERE (id = @e OR enterprise_id = @e) AND ((own_balance = 1 AND alert_state IN ('low', 'exhausted')) OR status = 'frozen')
       ORDER BY balance, id LIMIT @n`,
    )
    .all({ e: enterpriseId, n: limit }) as AlertAccountRow[];
}
