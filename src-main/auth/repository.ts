/**
 * The SQL of system accounts, sessions and the login log as throttling reads it, and the few ownership reads the
 * enterprise role's scoping makes. Statements are prepared once, when the repository is made (after migrations).
 */
import type { Role } from '../../src-shared/api/contract';
import type { Sqlite } from '../db/connection';
import type { SystemAccountsRow } from '../db/rows';

/** A stored system account (the hash never leaves the engine); its role is one the contract knows. */
export type SystemAccountRow = Omit<SystemAccountsRow, 'role'> & { role: Role };

/** An open session with its account's columns. */
export type SessionAccountRow = SystemAccountRow & {
  session_id: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
};

export interface NewSession {
  tokenHash: string;
  accountId: number;
  at: number;
  idleExpiresAt: number;
  expiresAt: number;
  address: string;
  userAgent: string | null;
}

export interface LoginAttempt {
  at: number;
  username: string;
  accountId: number | null;
  ok: boolean;
  reason: string;
  address: string;
  userAgent: string | null;
}

export interface NewSystemAccount {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  enterpriseId: number | null;
  at: number;
}

/** What an admin may change of a system account; null keeps the stored value. */
export interface SystemAccountChange {
  displayName: string | null;
  role: Role | null;
  /** A new hash also makes the account change its password at next login. */
  passwordHash: string | null;
  at: number;
}

// Reasons that count towards throttling; a throttled attempt itself does not extend the lock.
const FAILURE_REASONS = "('bad_password', 'unknown_user', 'disabled')";

function prepareStatements(db: Sqlite) {
  return {
    accountByName: db.prepare('SELECT * FROM system_accounts WHERE username = ?'),
    accountById: db.prepare('SELECT * FROM system_accounts WHERE id = ?'),
    sessionByHash: db.prepare(
      `SELECT s.id AS session_id, s.last_seen_at, s.idle_expires_at, s.expires_at, a.*
       FROM sessions s JOIN system_accounts a ON a.id = s.account_id
       WHERE s.token_hash = ? AND s.ended_at IS NULL`,
    ),
    touch: db.prepare('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ?'),
    endSession: db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
    endAccountSessions: db.prepare(
      'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE account_id = ? AND ended_at IS NULL AND id IS NOT ?',
    ),
    insertSession: db.prepare(
      `INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, idle_expires_at, expires_at, address, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    logLogin: db.prepare(
      'INSERT INTO login_log (at, username, account_id, ok, reason, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    lastSuccess: db.prepare('SELECT MAX(at) AS at FROM login_log WHERE username = ? AND ok = 1'),
    successFrom: db.prepare('SELECT 1 FROM login_log WHERE username = ? AND at > ? AND ok = 1 AND address = ? LIMIT 1'),
    accountFailures: db.prepare(
      `SELECT COUNT(*) AS n, MAX(at) AS last FROM login_log
       WHERE username = ? AND ok = 0 AND reason IN ${FAILURE_REASONS} AND at > ?`,
    ),
    addressFailures: db.prepare(
      `SELECT COUNT(*) AS n, MIN(at) AS first FROM login_log
       WHERE address = ? AND ok = 0 AND reason IN ${FAILURE_REASONS} AND at > ?`,
    ),
    setLastLogin: db.prepare('UPDATE system_accounts SET last_login_at = ? WHERE id = ?'),
    setPassword: db.prepare(
      'UPDATE system_accounts SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?',
    ),
    countAccounts: db.prepare('SELECT COUNT(*) AS n FROM system_accounts'),
    staffAccounts: db.prepare("SELECT * FROM system_accounts WHERE role != 'enterprise' ORDER BY username"),
    activeAdmins: db.prepare("SELECT COUNT(*) AS n FROM system_accounts WHERE role = 'admin' AND disabled = 0"),
    usernameTaken: db.prepare('SELECT id FROM system_accounts WHERE username = ?'),
    enterpriseExists: db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'enterprise'"),
    insertAccount: db.prepare(
      `INSERT INTO system_accounts (username, display_name, role, password_hash, must_change_password, enterprise_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateAccount: db.prepare(
      `UPDATE system_accounts SET display_name = COALESCE(?, display_name), role = COALESCE(?, role),
         password_hash = COALESCE(?, password_hash), must_change_password = CASE WHEN ? THEN 1 ELSE must_change_password END,
         updated_at = ? WHERE id = ?`,
    ),
    setDisabled: db.prepare('UPDATE system_accounts SET disabled = ?, updated_at = ? WHERE id = ?'),
  };
}

/** System accounts, their sessions and their login attempts. */
export class AuthRepository {
  private readonly stmt: ReturnType<typeof prepareStatements>;

  constructor(db: Sqlite) {
    this.stmt = prepareStatements(db);
  }

  accountByName(username: string): SystemAccountRow | undefined {
    return this.stmt.accountByName.get(username) as SystemAccountRow | undefined;
  }

  accountById(id: number): SystemAccountRow | undefined {
    return this.stmt.accountById.get(id) as SystemAccountRow | undefined;
  }

  countAccounts(): number {
    return (this.stmt.countAccounts.get() as { n: number }).n;
  }

  /** Admins, clerks and auditors by user name (enterprise logins are managed from their enterprise). */
  staffAccounts(): SystemAccountRow[] {
    return this.stmt.staffAccounts.all() as SystemAccountRow[];
  }

  activeAdminCount(): number {
    return (this.stmt.activeAdmins.get() as { n: number }).n;
  }

  usernameTaken(username: string): boolean {
    return this.stmt.usernameTaken.get(username) !== undefined;
  }

  enterpriseExists(id: number): boolean {
    return this.stmt.enterpriseExists.get(id) !== undefined;
  }

  /** Returns the new account's id. */
  insertAccount(a: NewSystemAccount): number {
    const { lastInsertRowid } = this.stmt.insertAccount.run(
      a.username,
      a.displayName,
      a.role,
      a.passwordHash,
      a.mustChangePassword ? 1 : 0,
      a.enterpriseId,
      a.at,
      a.at,
    );
    return Number(lastInsertRowid);
  }

  updateAccount(id: number, c: SystemAccountChange): void {
    this.stmt.updateAccount.run(c.displayName, c.role, c.passwordHash, c.passwordHash ? 1 : 0, c.at, id);
  }

  setDisabled(id: number, disabled: boolean, at: number): void {
    this.stmt.setDisabled.run(disabled ? 1 : 0, at, id);
  }

  setPassword(id: number, passwordHash: string, mustChange: boolean, at: number): void {
    this.stmt.setPassword.run(passwordHash, mustChange ? 1 : 0, at, id);
  }

  setLastLogin(id: number, at: number): void {
    this.stmt.setLastLogin.run(at, id);
  }

  /** The open session behind a token's hash, with its account. */
  sessionByTokenHash(tokenHash: string): SessionAccountRow | undefined {
    return this.stmt.sessionByHash.get(tokenHash) as SessionAccountRow | undefined;
  }

  insertSession(s: NewSession): void {
    this.stmt.insertSession.run(s.tokenHash, s.accountId, s.at, s.at, s.idleExpiresAt, s.expiresAt, s.address, s.userAgent);
  }

  touchSession(sessionId: number, at: number, idleExpiresAt: number): void {
    this.stmt.touch.run(at, idleExpiresAt, sessionId);
  }

  endSession(sessionId: number, at: number, reason: string): void {
    this.stmt.endSession.run(at, reason, sessionId);
  }

  /** Ends every open session of an account except `keepSessionId` (null: all of them). */
  endAccountSessions(accountId: number, at: number, reason: string, keepSessionId: number | null): void {
    this.stmt.endAccountSessions.run(at, reason, accountId, keepSessionId);
  }

  logLogin(a: LoginAttempt): void {
    this.stmt.logLogin.run(a.at, a.username, a.accountId, a.ok ? 1 : 0, a.reason, a.address, a.userAgent);
  }

  /** When the user name last logged in successfully, or null. */
  lastSuccessAt(username: string): number | null {
    return (this.stmt.lastSuccess.get(username) as { at: number | null }).at;
  }

  /** Whether the user name logged in successfully from this address after `since`. */
  succeededFrom(username: string, since: number, address: string): boolean {
    return this.stmt.successFrom.get(username, since, address) !== undefined;
  }

  /** Failed logins of a user name after `since`, and the latest one's time. */
  accountFailures(username: string, since: number): { n: number; last: number | null } {
    return this.stmt.accountFailures.get(username, since) as { n: number; last: number | null };
  }

  /** Failed logins from an address after `since`, and the earliest one's time. */
  addressFailures(address: string, since: number): { n: number; first: number | null } {
    return this.stmt.addressFailures.get(address, since) as { n: number; first: number | null };
  }
}

// The reads of the enterprise role's scoping: prepared per call as the scoping always did (it runs only for that role).

/** An account's name ('' when there is none). */
export function accountName(db: Sqlite, id: number): string {
  return String(db.prepare('SELECT name FROM accounts WHERE id = ?').pluck().get(id) ?? '');
}

/** Reads the enterprise a CDR was charged to (null: none; undefined: no such CDR), one statement for many reads. */
export function cdrEnterpriseReader(db: Sqlite): (cdrId: unknown) => number | null | undefined {
  const stmt = db.prepare('SELECT enterprise_id FROM cdrs WHERE id = ?').pluck();
  return (cdrId) => stmt.get(cdrId) as number | null | undefined;
}

/** The enterprise itself or one of its user or gateway accounts. */
export function accountBelongsTo(db: Sqlite, accountId: number, enterpriseId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM accounts WHERE id = ? AND (id = ? OR enterprise_id = ?)').get(accountId, enterpriseId, enterpriseId) !==
    undefined
  );
}

/** A user or gateway account of the enterprise (not the enterprise itself). */
export function isMemberOf(db: Sqlite, accountId: unknown, enterpriseId: number): boolean {
  return db.prepare('SELECT 1 FROM accounts WHERE id = ? AND enterprise_id = ?').get(accountId, enterpriseId) !== undefined;
}
