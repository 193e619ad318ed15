/**
 * The SQL of user-account and extension files (exports, imports) and of the recharge export. Reads for a whole file
 * (names of devices and rate groups, enterprises, users with their enterprise) are one query each; the statements a
 * file runs per row are prepared once per file and handed out as named functions.
 */
import type { Sqlite } from '../../db/connection';
import type { AccountsRow, ExtensionsRow } from '../../db/rows';
import type { LedgerRow } from '../ledger';
import type { AccountRow } from '../repository';

/** What a row of a user file may change of a stored user (and what the file is checked against). */
export type ExistingUser = Pick<
  AccountRow,
  'id' | 'name' | 'code' | 'rate_group_id' | 'own_balance' | 'balance' | 'credit_limit' | 'low_balance' | 'freeze_when_exhausted' | 'notes' | 'card_number' | 'pin_hash'
>;

/** The id and name of a device, a rate group or an account (the same two columns in each table). */
export interface NamedRow {
  id: number;
  name: string;
}

export type EnterpriseRef = Pick<AccountsRow, 'id' | 'name' | 'code'>;

/** A user account with the name and code of its enterprise (extension files name users by these). */
export interface UserWithEnterprise extends Pick<AccountsRow, 'id' | 'name'> {
  enterprise: string;
  /** The enterprise's code. */
  code: string | null;
}

/** An extension of a user (the query reads only assigned ones, so the owner is never null). */
export type UserExtensionRow = Pick<ExtensionsRow, 'device_id' | 'number'> & { user_account_id: number };

/** The cells of one user-account row as they are stored, in the order the writer takes them. */
export type UserValues = readonly [
  name: string,
  code: string | null,
  rateGroupId: number | null,
  ownBalance: 0 | 1,
  creditLimit: number,
  lowBalance: number | null,
  freezeWhenExhausted: 0 | 1,
  notes: string,
  cardNumber: string | null,
  pinHash: string | null,
];

/** The lookups a user file is checked with, one prepared statement each. */
export interface UserChecks {
  existingUser(enterpriseId: number, name: string): ExistingUser | undefined;
  cardOwner(cardNumber: string): NamedRow | undefined;
}

/** The writes of a user file, prepared once per file. */
export interface UserWriter {
  insert(enterpriseId: number, values: UserValues, at: number): number;
  update(id: number, values: UserValues, at: number): void;
  clearCard(id: number): void;
  unassignExtensions(userId: number, at: number): void;
  assignExtension(deviceId: number, number: string, userId: number, at: number): void;
}

/** The writes of an extension file, prepared once per file. */
export interface ExtensionWriter {
  insert(x: { deviceId: number; number: string; name: string; userAccountId: number | null }, at: number): number;
  /** `name` null keeps the stored name; `userAccountId` undefined keeps the stored owner. */
  update(id: number, x: { name: string | null; userAccountId: number | null | undefined }, at: number): void;
}

/** An extension with the names of its user and the user's enterprise (null when unassigned). */
export interface ExtensionExportRow extends ExtensionsRow {
  user_name: string | null;
  enterprise_name: string | null;
}

export type RechargeExportRow = LedgerRow & { account_name: string; account_kind: string; enterprise_name: string };

/** A filter as the list handlers build it: SQL conditions and their parameters. */
export interface ListFilter {
  where: string[];
  params: unknown[];
}

export class AccountFileRepository {
  constructor(private readonly db: Sqlite) {}

  /** Runs `work` in one transaction: a file is applied whole or not at all. */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  devices(): NamedRow[] {
    return this.db.prepare('SELECT id, name FROM devices ORDER BY id').all() as NamedRow[];
  }

  rateGroups(): NamedRow[] {
    return this.db.prepare('SELECT id, name FROM rate_groups').all() as NamedRow[];
  }

  enterprises(): EnterpriseRef[] {
    return this.db.prepare("SELECT id, name, code FROM accounts WHERE kind = 'enterprise'").all() as EnterpriseRef[];
  }

  deviceName(id: number): string | undefined {
    return this.db.prepare('SELECT name FROM devices WHERE id = ?').pluck().get(id) as string | undefined;
  }

  accountName(id: number): string | undefined {
    return this.db.prepare('SELECT name FROM accounts WHERE id = ?').pluck().get(id) as string | undefined;
  }

  /** The extensions of these users, by device and number. */
  extensionsOfUsers(userIds: readonly number[]): UserExtensionRow[] {
    if (userIds.length === 0) return [];
    return this.db
      .prepare(`SELECT user_account_id, device_id, number FROM extensions WHERE user_account_id IN (${userIds.map(() => '?').join(',')}) ORDER BY device_id, number`)
      .all(...userIds) as UserExtensionRow[];
  }

  /** Every user with its enterprise's name and code, read in one pass. */
  usersWithEnterprise(): Iterable<UserWithEnterprise> {
    return this.db
      .prepare(`SELECT u.id, u.name, e.name AS enterprise, e.code FROM accounts u JOIN accounts e ON e.id = u.enterprise_id WHERE u.kind = 'user'`)
      .iterate() as Iterable<UserWithEnterprise>;
  }

  /** Extensions matching the filter in batches of `batch`, by id. */
  *extensionExportBatches(filter: ListFilter, batch: number): Generator<ExtensionExportRow[]> {
    const select = this.db.prepare(
      `SELECT x.*, a.name AS user_name, e.name AS enterprise_name FROM extensions x
         LEFT JOIN accounts a ON a.id = x.user_account_id LEFT JOIN accounts e ON e.id = a.enterprise_id
       WHERE x.id > ? ${filter.where.length ? `AND ${filter.where.join(' AND ')}` : ''} ORDER BY x.id LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = select.all(after, ...filter.params, batch) as ExtensionExportRow[];
      if (rows.length) yield rows;
      if (rows.length < batch) return;
      after = rows.at(-1)!.id;
    }
  }

  /** Recharges, refunds and adjustments matching the filter in batches of `batch`, newest first. */
  *rechargeExportBatches(filter: ListFilter, batch: number): Generator<RechargeExportRow[]> {
    const select = this.db.prepare(
      `SELECT l.*, a.name AS account_name, a.kind AS account_kind, e.name AS enterprise_name
       FROM ledger l JOIN accounts a ON a.id = l.account_id JOIN accounts e ON e.id = IFNULL(a.enterprise_id, a.id)
       WHERE l.id < ? AND ${filter.where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
    );
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = select.all(before, ...filter.params, batch) as RechargeExportRow[];
      if (rows.length) yield rows;
      if (rows.length < batch) return;
      before = rows.at(-1)!.id;
    }
  }

  userChecks(): UserChecks {
    // `kind <> 'enterprise'` lets SQLite use the partial unique index of member names (it cannot infer it from kind = 'user').
    const existingUser = this.db.prepare(
      "SELECT * FROM accounts WHERE kind <> 'enterprise' AND kind = 'user' AND enterprise_id = ? AND name = ? COLLATE NOCASE",
    );
    const cardOwner = this.db.prepare('SELECT id, name FROM accounts WHERE card_number = ?');
    return {
      existingUser: (enterpriseId, name) => existingUser.get(enterpriseId, name) as ExistingUser | undefined,
      cardOwner: (cardNumber) => cardOwner.get(cardNumber) as NamedRow | undefined,
    };
  }

  userWriter(): UserWriter {
    const insert = this.db.prepare(
      `INSERT INTO accounts (kind, enterprise_id, name, code, rate_group_id, billing_mode, own_balance, credit_limit, low_balance,
         freeze_when_exhausted, notes, card_number, pin_hash, created_at, updated_at)
       VALUES ('user', ?, ?, ?, ?, 'prepaid', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = this.db.prepare(
      `UPDATE accounts SET name = ?, code = ?, rate_group_id = ?, own_balance = ?, credit_limit = ?, low_balance = ?,
         freeze_when_exhausted = ?, notes = ?, card_number = ?, pin_hash = ?, updated_at = ? WHERE id = ?`,
    );
    const clearCard = this.db.prepare('UPDATE accounts SET card_number = NULL WHERE id = ?');
    const unassign = this.db.prepare('UPDATE extensions SET user_account_id = NULL, updated_at = ? WHERE user_account_id = ?');
    const assign = this.db.prepare(
      `INSERT INTO extensions (device_id, number, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, number) DO UPDATE SET user_account_id = excluded.user_account_id, updated_at = excluded.updated_at`,
    );
    return {
      insert: (enterpriseId, values, at) => Number(insert.run(enterpriseId, ...values, at, at).lastInsertRowid),
      update: (id, values, at) => void update.run(...values, at, id),
      clearCard: (id) => void clearCard.run(id),
      unassignExtensions: (userId, at) => void unassign.run(at, userId),
      assignExtension: (deviceId, number, userId, at) => void assign.run(deviceId, number, userId, at, at),
    };
  }

  /** The id of a device's extension by number, prepared once per file. */
  extensionIds(): (deviceId: number, number: string) => number | undefined {
    const existing = this.db.prepare('SELECT id FROM extensions WHERE device_id = ? AND number = ?').pluck();
    return (deviceId, number) => existing.get(deviceId, number) as number | undefined;
  }

  extensionWriter(): ExtensionWriter {
    const insert = this.db.prepare(
      'INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const update = this.db.prepare(
      `UPDATE extensions SET name = COALESCE(?, name), user_account_id = CASE WHEN ? THEN ? ELSE user_account_id END, updated_at = ?
       WHERE id = ?`,
    );
    return {
      insert: (x, at) => Number(insert.run(x.deviceId, x.number, x.name, x.userAccountId, at, at).lastInsertRowid),
      update: (id, x, at) => void update.run(x.name, x.userAccountId !== undefined ? 1 : 0, x.userAccountId ?? null, at, id),
    };
  }
}
