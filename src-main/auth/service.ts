import { createHash, randomBytes } from 'node:crypto';
import type { SessionUser } from '../../src-shared/api/auth';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { Sqlite } from '../db/connection';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { InFlightChecks } from './in-flight';
import { AuthRepository, type SystemAccountRow } from './repository';
import { problem } from '../../src-shared/api/messages';

export interface AuthPolicy {
  /** A session unused for this long ends. */
  idleTimeoutMs: number;
  /** A session ends this long after login whatever its use. */
  absoluteTimeoutMs: number;
  /** Failed logins of one account (since its last success) before it is locked for a while. */
  maxFailuresPerAccount: number;
  /** Failed logins from one address within `failureWindowMs` before the address is refused for a while. */
  maxFailuresPerAddress: number;
  failureWindowMs: number;
  /** First lock; doubles with every further failure, up to `failureWindowMs`. */
  baseLockMs: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleTimeoutMs: 2 * 3600_000,
  absoluteTimeoutMs: 12 * 3600_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  failureWindowMs: 15 * 60_000,
  baseLockMs: 30_000,
};

export interface Authenticated {
  sessionId: number;
  user: SessionUser;
  enterpriseId: number | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const SEEN_WRITE_INTERVAL_MS = 60_000;
/** How long a successful login from an address exempts that account there from the address lock. */
const KNOWN_ADDRESS_MS = 90 * 24 * 3600_000;

export const toSessionUser = (a: SystemAccountRow): SessionUser => ({
  id: a.id,
  username: a.username,
  role: a.role,
  displayName: a.display_name,
  mustChangePassword: a.must_change_password === 1,
  ...(a.role === 'enterprise' && a.enterprise_id !== null ? { enterpriseId: a.enterprise_id } : {}),
});

/** System accounts, sessions and login throttling. The database is the only state: a restart keeps locks. */
export class AuthService {
  /** The SQL of accounts, sessions and the login log. */
  readonly repository: AuthRepository;
  /** Password checks running now, per `user:<name>` and `address:<address>`. */
  private readonly inFlight = new InFlightChecks();

  constructor(
    private readonly db: Sqlite,
    readonly policy: AuthPolicy,
    private readonly now: () => number,
  ) {
    this.repository = new AuthRepository(db);
  }

  /**
   * First start: creates `admin` with the given password, or a generated one that must be changed at first login.
   * Returns the generated password (to print once) or null when nothing was created or the password was given.
   */
  async ensureFirstAdmin(password?: string): Promise<{ created: boolean; generatedPassword: string | null }> {
    if (this.repository.countAccounts() > 0) return { created: false, generatedPassword: null };
    const generated = password ? null : generatePassword();
    const hash = await hashPassword(password ?? generated!);
    const t = this.now();
    this.db.transaction(() => {
      // Re-check inside the transaction: two processes must not both create it.
      if (this.repository.countAccounts() > 0) return;
      // No display name: the product would have to pick its language; the header shows the login name instead.
      this.repository.insertAccount({
        username: 'admin',
        displayName: '',
        role: 'admin',
        passwordHash: hash,
        mustChangePassword: generated !== null,
        enterpriseId: null,
        at: t,
      });
    })();
    return { created: true, generatedPassword: generated };
  }

  /**
   * Checks the throttles, then the password; logs the attempt either way. Returns a new session token.
   * Throws 401 for any wrong user/password/disabled (same message: no account enumeration) and 429 when throttled.
   */
  async login(
    username: string,
    password: string,
    where: { address: string; userAgent?: string },
  ): Promise<{ token: string; user: SessionUser; expiresAt: number }> {
    const t = this.now();
    const log = (ok: boolean, reason: string, accountId: number | null) =>
      this.repository.logLogin({ at: t, username, accountId, ok, reason, address: where.address, userAgent: where.userAgent ?? null });

    const retryAfterMs = this.throttledFor(username, where.address, t);
    if (retryAfterMs > 0) {
      log(false, 'throttled', null);
      const seconds = Math.ceil(retryAfterMs / 1000);
      throw ApiError.keyed('throttled', 'api.loginThrottled', `Too many failed logins; try again in ${seconds} s.`, { seconds }, {
        retryAfterSeconds: seconds,
      });
    }

    const account = this.repository.accountByName(username);
    // Verify against a real hash even for unknown users so timing does not reveal which names exist. While it runs,
    // the attempt counts as a failure: guesses sent all at once must not all pass the throttle above.
    const ok = await this.inFlight.around([`user:${username}`, `address:${where.address}`], () =>
      verifyPassword(password, account?.password_hash ?? DUMMY_HASH),
    );
    const refused = ApiError.keyed('unauthenticated', 'api.loginRefused', 'Wrong user name or password, or the account is disabled.');
    if (!account) {
      log(false, 'unknown_user', null);
      throw refused;
    }
    if (!ok) {
      log(false, 'bad_password', account.id);
      throw refused;
    }
    if (account.disabled) {
      log(false, 'disabled', account.id);
      throw refused;
    }

    const token = randomBytes(32).toString('base64url');
    const expiresAt = t + this.policy.absoluteTimeoutMs;
    this.db.transaction(() => {
      this.repository.insertSession({
        tokenHash: hashToken(token),
        accountId: account.id,
        at: t,
        idleExpiresAt: Math.min(t + this.policy.idleTimeoutMs, expiresAt),
        expiresAt,
        address: where.address,
        userAgent: where.userAgent ?? null,
      });
      this.repository.setLastLogin(account.id, t);
      log(true, 'ok', account.id);
    })();
    return { token, user: toSessionUser(account), expiresAt: Math.min(t + this.policy.idleTimeoutMs, expiresAt) };
  }

  /** How long this login attempt must wait (0 = may try now). */
  private throttledFor(username: string, address: string, t: number): number {
    const p = this.policy;
    const since = Math.max(t - p.failureWindowMs, this.repository.lastSuccessAt(username) ?? 0);
    const acc = this.repository.accountFailures(username, since);
    // Attempts still being checked count as failures until they are known.
    const accFailures = acc.n + this.inFlight.count(`user:${username}`);
    let wait = 0;
    if (accFailures >= p.maxFailuresPerAccount) {
      const lock = Math.min(p.failureWindowMs, p.baseLockMs * 2 ** (accFailures - p.maxFailuresPerAccount));
      wait = Math.max(wait, (acc.last ?? t) + lock - t);
    }
    const addr = this.repository.addressFailures(address, t - p.failureWindowMs);
    const addrFailures = addr.n + this.inFlight.count(`address:${address}`);
    // The address lock never holds an account at an address it logged in from (within KNOWN_ADDRESS_MS): guesses by
    // someone else behind the same address (an office NAT, this computer) must not lock the admin out of the web UI.
    // That account stays under its own account lock, so guessing it from there gains nothing.
    if (addrFailures >= p.maxFailuresPerAddress && !this.repository.succeededFrom(username, t - KNOWN_ADDRESS_MS, address)) {
      wait = Math.max(wait, (addr.first ?? t) + p.failureWindowMs - t);
    }
    return wait;
  }

  /** The session behind a token, or null when unknown, ended, expired, or its account is disabled. */
  authenticate(token: string | undefined, opts: { touch?: boolean } = {}): Authenticated | null {
    if (!token) return null;
    const row = this.repository.sessionByTokenHash(hashToken(token));
    if (!row) return null;
    const t = this.now();
    if (t >= row.idle_expires_at || t >= row.expires_at) {
      this.repository.endSession(row.session_id, t, 'expired');
      return null;
    }
    if (row.disabled) {
      this.repository.endSession(row.session_id, t, 'disabled');
      return null;
    }
    // Sliding idle timeout, written at most once a minute so reads stay reads.
    if (opts.touch !== false && t - row.last_seen_at >= SEEN_WRITE_INTERVAL_MS) {
      this.repository.touchSession(row.session_id, t, Math.min(t + this.policy.idleTimeoutMs, row.expires_at));
    }
    return { sessionId: row.session_id, user: toSessionUser(row), enterpriseId: row.enterprise_id };
  }

  endSession(sessionId: number, reason: string): void {
    this.repository.endSession(sessionId, this.now(), reason);
  }

  /** Ends every session of an account except `keepSessionId`. */
  endAccountSessions(accountId: number, reason: string, keepSessionId?: number): void {
    this.repository.endAccountSessions(accountId, this.now(), reason, keepSessionId ?? null);
  }

  async changePassword(accountId: number, sessionId: number, oldPassword: string, newPassword: string): Promise<void> {
    const account = this.repository.accountById(accountId);
    if (!account) throw ApiError.keyed('unauthenticated', 'api.accountGone', 'The account no longer exists.');
    if (!(await verifyPassword(oldPassword, account.password_hash))) {
      throw ApiError.keyed('invalid_input', 'api.wrongPassword', 'The current password is wrong.', undefined,
        fieldDetails({ oldPassword: problem('field.notCurrentPassword', 'is not the current password') }),
      );
    }
    if (oldPassword === newPassword) {
      throw ApiError.keyed('invalid_input', 'api.samePassword', 'The new password must differ from the current one.', undefined,
        fieldDetails({ newPassword: problem('field.samePassword', 'must differ from the current password') }),
      );
    }
    const hash = await hashPassword(newPassword);
    this.db.transaction(() => {
      this.repository.setPassword(accountId, hash, false, this.now());
      this.endAccountSessions(accountId, 'password_changed', sessionId);
    })();
  }
}

// A valid scrypt hash of a random string, verified against when the user name is unknown.
const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$9nLgjVvJ6T1w5sYbH1m7bqkQm3u1gVb8p2J3C8Qy5eA=';
