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
import type { AccountsRow } from '../db/rows';
import type { LedgerRow } from './ledger';

/** An accounts row, its enumerated TEXT columns narrowed to the values the schema's CHECKs allow. */
export type AccountRow = Omit<AccountsRow, 'kind' | 'billing_mode' | 'status' | 'alert_state'> & {
  kind: AccountKind;
  billing_mode: BillingMode;
  status: 'active' | 'frozen';
  alert_state: AlertState;
};

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

/** The columns the enterprise forms write, in the order the statements take them. */
export type EnterpriseColumns = Pick<
  AccountRow,
  'name' | 'code' | 'rate_group_id' | 'billing_mode' | 'credit_limit' | 'low_balance' | 'freeze_when_exhausted' | 'contact' | 'phone' | 'email' | 'notes' | 'updated_at'
>;

const ENTERPRISE_COLUMNS = [
  'name',
  'code',
  'rate_group_id',
  'billing_mode',
  'credit_limit',
  'low_balance',
  'freeze_when_exhausted',
  'contact',
  'phone',
  'email',
  'notes',
  'updated_at',
] as const satisfies readonly (keyof EnterpriseColumns)[];

/** The columns a user or gateway form writes: the shared ones, and those of its kind (user: code, card, PIN; gateway: device, trunk). */
export type MemberColumns = Pick<
  AccountRow,
  'enterprise_id' | 'name' | 'rate_group_id' | 'own_balance' | 'billing_mode' | 'credit_limit' | 'low_balance' | 'freeze_when_exhausted' | 'notes' | 'updated_at'
> &
  Partial<Pick<AccountRow, 'code' | 'card_number' | 'pin_hash' | 'device_id' | 'trunk'>>;

/** The last freeze or unfreeze entry of an account (who froze it decides whether a recharge unfreezes it). */
export interface FreezeEntry extends Pick<LedgerRow, 'operator' | 'reason'> {
  kind: 'freeze' | 'unfreeze';
}

/**
 * The accounts and what they hold: enterprises, users and gateways, reads of their ledger entries, and the references
 * an account form is checked against. Statements that run per charged CDR (balance alerts) or per authorized call are
 * prepared once; the others per call, as the forms and lists run them rarely.
 */
export class AccountRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      setAlertState: db.prepare('UPDATE accounts SET alert_state = ? WHERE id = ?'),
      alertStateAndStatus: db.prepare('SELECT alert_state, status FROM accounts WHERE id = ?'),
      setStatus: db.prepare('UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?'),
      lastFreeze: db.prepare(
        "SELECT kind, operator, reason FROM ledger WHERE account_id = ? AND kind IN ('freeze', 'unfreeze') ORDER BY id DESC LIMIT 1",
      ),
    };
  }

  /** The stored account row alone (no enterprise columns); undefined when there is none. */
  account(id: number): AccountRow | undefined {
    return this.stmt.account.get(id) as AccountRow | undefined;
  }

  /** The alert state and status as stored now (an announcement checks that its change was committed). */
  alertStateAndStatus(id: number): Pick<AccountsRow, 'alert_state' | 'status'> | undefined {
    return this.stmt.alertStateAndStatus.get(id) as Pick<AccountsRow, 'alert_state' | 'status'> | undefined;
  }

  setAlertState(id: number, state: AlertState): void {
    this.stmt.setAlertState.run(state, id);
  }

  /** Freezes or unfreezes; the ledger entry that records it is the caller's. */
  setStatus(id: number, status: 'active' | 'frozen', at: number): void {
    this.stmt.setStatus.run(status, at, id);
  }

  lastFreezeEntry(accountId: number): FreezeEntry | undefined {
    return this.stmt.lastFreeze.get(accountId) as FreezeEntry | undefined;
  }

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
          .all(...ids) as (Pick<AccountRow, 'id' | 'name' | 'kind'> & { ent: number })[]
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

  /** Latest-first keyset page of ledger rows over `l` (by id: entries are appended in time order). */
  ledgerPage(where: string[], params: unknown[], limit: number, beforeId?: number | string): { rows: LedgerRow[]; more: boolean } {
    const clauses = [...where];
    const values = [...params];
    if (beforeId !== undefined) clauses.push('l.id < ?'), values.push(beforeId);
    const rows = this.db
      .prepare(`SELECT l.* FROM ledger l ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY l.id DESC LIMIT ?`)
      .all(...values, limit + 1) as LedgerRow[];
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  // References an account form names, checked before it is written.

  rateGroupExists(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM rate_groups WHERE id = ?').get(id) !== undefined;
  }

  deviceExists(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(id) !== undefined;
  }

  isEnterprise(id: number): boolean {
    return this.db.prepare("SELECT id FROM accounts WHERE id = ? AND kind = 'enterprise'").get(id) !== undefined;
  }

  isUserAccount(id: number): boolean {
    return this.db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'user'").get(id) !== undefined;
  }

  /** Another enterprise (not `exceptId`) with this name, in any case. */
  enterpriseNameTaken(name: string, exceptId?: number): boolean {
    return (
      this.db
        .prepare("SELECT id FROM accounts WHERE kind = 'enterprise' AND name = ? COLLATE NOCASE AND id IS NOT ?")
        .get(name, exceptId ?? null) !== undefined
    );
  }

  /** Another user or gateway (not `exceptId`) of this kind with this name, in any case, in the enterprise. */
  memberNameTaken(kind: 'user' | 'gateway', enterpriseId: number, name: string, exceptId?: number): boolean {
    return (
      this.db
        .prepare('SELECT id FROM accounts WHERE kind = ? AND enterprise_id = ? AND name = ? COLLATE NOCASE AND id IS NOT ?')
        .get(kind, enterpriseId, name, exceptId ?? null) !== undefined
    );
  }

  /** The name of the account (not `exceptId`) that has this card number. */
  cardHolder(cardNumber: string, exceptId?: number): string | undefined {
    const r = this.db.prepare('SELECT name FROM accounts WHERE card_number = ? AND id IS NOT ?').get(cardNumber, exceptId ?? null) as
      | Pick<AccountsRow, 'name'>
      | undefined;
    return r?.name;
  }

  /** The name of the gateway (not `exceptId`) bound to this trunk of the device. */
  trunkHolder(deviceId: number, trunk: string, exceptId?: number): string | undefined {
    const r = this.db
      .prepare("SELECT name FROM accounts WHERE kind = 'gateway' AND device_id = ? AND trunk = ? AND id IS NOT ?")
      .get(deviceId, trunk, exceptId ?? null) as Pick<AccountsRow, 'name'> | undefined;
    return r?.name;
  }

  // Writes of the account forms (balances move only through the ledger).

  insertEnterprise(e: EnterpriseColumns, createdAt: number): number {
    const values = ENTERPRISE_COLUMNS.map((c) => e[c]);
    return Number(
      this.db
        .prepare(
          `INSERT INTO accounts (name, code, rate_group_id, billing_mode, credit_limit, low_balance, freeze_when_exhausted,
             contact, phone, email, notes, updated_at, kind, own_balance, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'enterprise', 1, ?)`,
        )
        .run(...values, createdAt).lastInsertRowid,
    );
  }

  updateEnterprise(id: number, e: EnterpriseColumns): void {
    const values = ENTERPRISE_COLUMNS.map((c) => e[c]);
    this.db
      .prepare(
        `UPDATE accounts SET name = ?, code = ?, rate_group_id = ?, billing_mode = ?, credit_limit = ?, low_balance = ?,
           freeze_when_exhausted = ?, contact = ?, phone = ?, email = ?, notes = ?, updated_at = ? WHERE id = ?`,
      )
      .run(...values, id);
  }

  insertMember(kind: 'user' | 'gateway', m: MemberColumns, createdAt: number): number {
    const cols = Object.keys(m);
    return Number(
      this.db
        .prepare(`INSERT INTO accounts (${cols.join(', ')}, kind, created_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`)
        .run(...Object.values(m), kind, createdAt).lastInsertRowid,
    );
  }

  updateMember(id: number, m: MemberColumns): void {
    const cols = Object.keys(m);
    this.db.prepare(`UPDATE accounts SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(m), id);
  }
}
