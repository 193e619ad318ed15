import type {
  AccountKind,
  AlertState,
  BillingMode,
  Enterprise,
  GatewayAccount,
  LedgerEntry,
  UserAccount,
} from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { ApiError, notFound } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { LedgerRow } from './ledger';

export interface AccountRow {
  id: number;
  kind: AccountKind;
  enterprise_id: number | null;
  name: string;
  code: string | null;
  rate_group_id: number | null;
  billing_mode: BillingMode;
  own_balance: number;
  credit_limit: number;
  low_balance: number | null;
  freeze_when_exhausted: number;
  status: 'active' | 'frozen';
  balance: number;
  alert_state: AlertState;
  contact: string;
  phone: string;
  email: string;
  notes: string;
  card_number: string | null;
  pin_hash: string | null;
  device_id: number | null;
  trunk: string | null;
  created_at: number;
  updated_at: number;
}

/** An account row with the enterprise it belongs to (itself for an enterprise). */
export interface AccountWithEnterprise extends AccountRow {
  ent_name: string;
  ent_balance: number;
  ent_status: 'active' | 'frozen';
  ent_alert_state: AlertState;
  ent_rate_group_id: number;
}

const SELECT_WITH_ENTERPRISE = `SELECT a.*, e.name AS ent_name, e.balance AS ent_balance, e.status AS ent_status,
    e.alert_state AS ent_alert_state, e.rate_group_id AS ent_rate_group_id
  FROM accounts a JOIN accounts e ON e.id = IFNULL(a.enterprise_id, a.id)`;

/** The account whose balance a call or a recharge moves: itself if it holds a balance, else its enterprise. */
export const balanceAccountId = (a: AccountRow): number => (a.own_balance ? a.id : a.enterprise_id!);

export class AccountRepository {
  constructor(private readonly db: Sqlite) {}

  row(id: number, kind?: AccountKind): AccountWithEnterprise {
    const row = this.db.prepare(`${SELECT_WITH_ENTERPRISE} WHERE a.id = ?`).get(id) as AccountWithEnterprise | undefined;
    const what = kind === 'enterprise' ? 'enterprise' : kind === 'user' ? 'userAccount' : kind === 'gateway' ? 'gatewayAccount' : 'account';
    if (!row || (kind && row.kind !== kind)) throw notFound(what, id);
    return row;
  }

  /** Rows of one kind matching a filter, keyset-paged by id. */
  page(
    kind: AccountKind,
    where: string[],
    params: unknown[],
    limit: number,
    afterId?: number,
  ): { rows: AccountWithEnterprise[]; more: boolean } {
    const clauses = ['a.kind = ?', ...where];
    const values: unknown[] = [kind, ...params];
    if (afterId !== undefined) clauses.push('a.id > ?'), values.push(afterId);
    const rows = this.db
      .prepare(`${SELECT_WITH_ENTERPRISE} WHERE ${clauses.join(' AND ')} ORDER BY a.id LIMIT ?`)
      .all(...values, limit + 1) as AccountWithEnterprise[];
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  enterprise(r: AccountWithEnterprise): Enterprise {
    const counts = this.db
      .prepare(
        "SELECT SUM(kind = 'user') AS users, SUM(kind = 'gateway') AS gateways FROM accounts WHERE enterprise_id = ?",
      )
      .get(r.id) as { users: number | null; gateways: number | null };
    return {
      id: r.id,
      name: r.name,
      code: r.code,
      rateGroupId: r.rate_group_id!,
      billingMode: r.billing_mode,
      creditLimit: formatMoney(r.credit_limit),
      lowBalance: r.low_balance === null ? null : formatMoney(r.low_balance),
      freezeWhenExhausted: r.freeze_when_exhausted === 1,
      balance: formatMoney(r.balance),
      available: formatMoney(r.balance + r.credit_limit),
      ownBalance: true,
      balanceAccountId: r.id,
      status: r.status,
      alertState: r.alert_state,
      contact: r.contact,
      phone: r.phone,
      email: r.email,
      notes: r.notes,
      users: counts.users ?? 0,
      gateways: counts.gateways ?? 0,
      createdAt: isoTime(r.created_at),
      updatedAt: isoTime(r.updated_at),
    };
  }

  private memberMoney(r: AccountWithEnterprise) {
    const own = r.own_balance === 1;
    return {
      balance: formatMoney(own ? r.balance : r.ent_balance),
      ownBalance: own,
      balanceAccountId: balanceAccountId(r),
      // A member is frozen when it is, or when the enterprise it draws on is.
      status: r.status === 'frozen' || (!own && r.ent_status === 'frozen') ? ('frozen' as const) : ('active' as const),
      alertState: own ? r.alert_state : r.ent_alert_state,
      creditLimit: formatMoney(r.credit_limit),
      lowBalance: r.low_balance === null ? null : formatMoney(r.low_balance),
      freezeWhenExhausted: r.freeze_when_exhausted === 1,
    };
  }

  userAccount(r: AccountWithEnterprise): UserAccount {
    const extensions = this.db
      .prepare('SELECT device_id AS deviceId, number FROM extensions WHERE user_account_id = ? ORDER BY device_id, number')
      .all(r.id) as { deviceId: number; number: string }[];
    return {
      id: r.id,
      enterpriseId: r.enterprise_id!,
      enterpriseName: r.ent_name,
      name: r.name,
      code: r.code,
      extensions,
      cardNumber: r.card_number,
      hasPin: r.pin_hash !== null,
      rateGroupId: r.rate_group_id,
      ...this.memberMoney(r),
      notes: r.notes,
      createdAt: isoTime(r.created_at),
      updatedAt: isoTime(r.updated_at),
    };
  }

  gateway(r: AccountWithEnterprise): GatewayAccount {
    return {
      id: r.id,
      enterpriseId: r.enterprise_id!,
      enterpriseName: r.ent_name,
      name: r.name,
      deviceId: r.device_id!,
      trunk: r.trunk!,
      rateGroupId: r.rate_group_id,
      ...this.memberMoney(r),
      notes: r.notes,
      createdAt: isoTime(r.created_at),
      updatedAt: isoTime(r.updated_at),
    };
  }

  /** Ledger rows with the account they belong to, for the API. */
  entries(rows: LedgerRow[]): LedgerEntry[] {
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.account_id))];
    const accounts = new Map(
      (
        this.db
          .prepare(`SELECT id, name, kind, IFNULL(enterprise_id, id) AS ent FROM accounts WHERE id IN (${ids.map(() => '?').join(',')})`)
          .all(...ids) as { id: number; name: string; kind: AccountKind; ent: number }[]
      ).map((a) => [a.id, a]),
    );
    return rows.map((r) => {
      const a = accounts.get(r.account_id)!;
      return {
        id: r.id,
        accountId: r.account_id,
        accountName: a.name,
        accountKind: a.kind,
        enterpriseId: a.ent,
        at: isoTime(r.at),
        kind: r.kind,
        amount: formatMoney(r.amount),
        balanceAfter: formatMoney(r.balance_after),
        cdrId: r.cdr_id,
        chargedAccountId: r.charged_account_id,
        operator: r.operator,
        reason: r.reason,
        method: r.method,
        reference: r.reference,
      };
    });
  }

  /** The account whose balance a money action moves; refuses members that draw on their enterprise. */
  balanceHolder(accountId: number): AccountWithEnterprise {
    const a = this.row(accountId);
    if (!a.own_balance) {
      throw ApiError.keyed(
        'conflict',
        'api.drawsOnEnterprise',
        `${a.name} draws on the balance of enterprise ${a.ent_name}; recharge or adjust the enterprise instead.`,
        { name: a.name, enterprise: a.ent_name },
        { balanceAccountId: a.enterprise_id },
      );
    }
    return a;
  }
}
