/**
 * Login of the billing interface: Basic auth of its HTTP routes (CDR push, call authorization) and the `LOGIN` line
 * of its TCP connections, with one throttle for all of them per engine. Failed logins are counted per source address
 * and per account name given; a login that is throttled is refused with its retry time before its password is looked
 * at, and checks still running count as failures until they are known (guesses sent all at once must not all get
 * through while their slow scrypt checks run).
 *
 * This throttle is its own bucket, in memory, apart from the staff logins of the web UI (AuthService, login_log):
 * guesses at the billing interface password never lock anybody out of the web UI, and a clerk mistyping a password
 * never holds up the devices. The staff login has its own rule for that (an address an account logged in from
 * before is not held by the address lock for that account; see AuthService.throttledFor).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../src-shared/api/errors';
import { sendJson } from '../api/http';
import { InFlightChecks } from '../auth/in-flight';
import type { SettingsService } from '../settings/service';

/** Failed logins from one address within a minute before it is throttled (until a minute after the first). */
const MAX_FAILURES_PER_ADDRESS = 10;
const ADDRESS_WINDOW_MS = 60_000;
/**
 * Failed logins giving one account name, from any addresses, within ten minutes before that name is throttled
 * (guessing spread over many addresses). Counted per name given, whether it exists or not: the lock must not tell
 * which name is the account.
 */
const MAX_FAILURES_PER_ACCOUNT = 30;
const ACCOUNT_WINDOW_MS = 10 * 60_000;
/**
 * An address that gave the right account and password within this time is not held by the account lock (only by its
 * own address lock): guesses from elsewhere must not stop the devices that already log in.
 */
const KNOWN_ADDRESS_MS = 7 * 24 * 3600_000;
/** Above this many entries, expired ones are swept at the next failure. */
const SWEEP_ABOVE = 1000;

export interface BillingCredentials {
  account: string;
  password: string;
}

export type LoginOutcome =
  | { ok: true }
  | { ok: false; kind: 'throttled'; by: 'address' | 'account'; retryAfterSeconds: number }
  | { ok: false; kind: 'no-password' | 'no-credentials' | 'wrong' };

export function basicCredentials(header: string | undefined): BillingCredentials | null {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { account: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Failures per key within a window that starts at the key's first failure. */
class FailureWindows {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds before `key` may try again, counting `running` checks as failures (0: it may try now). */
  waitFor(key: string, running: number, now: number): number {
    const entry = this.current(key, now);
    if ((entry?.count ?? 0) + running < this.max) return 0;
    // Only running checks reach the limit: they will most likely fail and start the window now.
    return (entry?.since ?? now) + this.windowMs - now;
  }

  fail(key: string, now: number): void {
    if (this.entries.size > SWEEP_ABOVE) for (const k of [...this.entries.keys()]) this.current(k, now);
    const entry = this.current(key, now) ?? { count: 0, since: now };
    entry.count++;
    this.entries.set(key, entry);
  }

  private current(key: string, now: number): { count: number; since: number } | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.since >= this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** What the login throttle uses: the stored interface password and the engine's clock. */
export interface BillingInterfaceLoginDeps {
  settings: SettingsService;
  now(): number;
}

export class BillingInterfaceLogin {
  private readonly byAddress = new FailureWindows(MAX_FAILURES_PER_ADDRESS, ADDRESS_WINDOW_MS);
  private readonly byAccount = new FailureWindows(MAX_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_MS);
  /** Password checks running now, per `address:<a>` and `account:<name>`. */
  private readonly checking = new InFlightChecks();
  /** Addresses that gave the right credentials, with when they last did. */
  private readonly knownAddresses = new Map<string, number>();

  constructor(private readonly s: BillingInterfaceLoginDeps) {}

  /**
   * One login attempt from `address` (null credentials: none were given). A throttled attempt is refused without
   * checking its password and does not extend the lock. A success does not wipe the address' failures: behind one
   * NAT a device that logs in must not reset the count of someone guessing beside it; failures expire with their
   * window.
   */
  async login(address: string, credentials: BillingCredentials | null): Promise<LoginOutcome> {
    const now = this.s.now();
    const addressKey = `address:${address}`;
    const accountKey = credentials ? `account:${credentials.account}` : null;
    let wait = this.byAddress.waitFor(addressKey, this.checking.count(addressKey), now);
    let by: 'address' | 'account' = 'address';
    if (accountKey && !this.isKnown(address, now)) {
      const accountWait = this.byAccount.waitFor(accountKey, this.checking.count(accountKey), now);
      if (accountWait > wait) [wait, by] = [accountWait, 'account'];
    }
    if (wait > 0) return { ok: false, kind: 'throttled', by, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };

    if (!this.s.settings.get('billingInterface').passwordHash) {
      if (credentials) this.fail(addressKey, accountKey);
      return { ok: false, kind: 'no-password' };
    }
    if (!credentials || !accountKey) return { ok: false, kind: 'no-credentials' };
    const ok = await this.checking.around([addressKey, accountKey], () =>
      this.s.settings.verifyBillingInterface(credentials.account, credentials.password),
    );
    if (!ok) {
      this.fail(addressKey, accountKey);
      return { ok: false, kind: 'wrong' };
    }
    this.knownAddresses.set(address, this.s.now());
    return { ok: true };
  }

  /** Resolves when the request carries the billing interface credentials; throws `unauthenticated` or `throttled`. */
  async authenticate(req: IncomingMessage, address: string): Promise<void> {
    const credentials = basicCredentials(req.headers.authorization);
    const outcome = await this.login(address, credentials);
    if (outcome.ok) return;
    switch (outcome.kind) {
      case 'throttled':
        throw new ApiError('throttled', `T${throttledText(outcome, address, credentials).slice(1)}.`, {
          retryAfterSeconds: outcome.retryAfterSeconds,
        });
      case 'no-password':
        throw new ApiError('unauthenticated', 'The billing interface has no password set: set one in the settings.');
      case 'no-credentials':
        throw new ApiError('unauthenticated', 'Log in with Basic auth (the billing interface account and password).');
      case 'wrong':
        throw new ApiError('unauthenticated', 'Wrong billing interface account or password.');
    }
  }

  private fail(addressKey: string, accountKey: string | null): void {
    const now = this.s.now();
    this.byAddress.fail(addressKey, now);
    if (accountKey) this.byAccount.fail(accountKey, now);
  }

  private isKnown(address: string, now: number): boolean {
    const at = this.knownAddresses.get(address);
    if (at === undefined) return false;
    if (now - at < KNOWN_ADDRESS_MS) return true;
    this.knownAddresses.delete(address);
    return false;
  }
}

/** "too many failed logins from <address>; try again in <n> s" (or "... giving the account "<name>" ..."). */
export function throttledText(
  outcome: { by: 'address' | 'account'; retryAfterSeconds: number },
  address: string,
  credentials: { account: string } | null,
): string {
  const who = outcome.by === 'account' && credentials ? `giving the account "${credentials.account}"` : `from ${address}`;
  return `too many failed logins ${who}; try again in ${outcome.retryAfterSeconds} s`;
}

const logins = new WeakMap<object, BillingInterfaceLogin>();

/** The engine's one login checker (failed logins count across HTTP routes and TCP connections). */
export function billingInterfaceLogin(s: BillingInterfaceLoginDeps): BillingInterfaceLogin {
  let login = logins.get(s.settings);
  if (!login) logins.set(s.settings, (login = new BillingInterfaceLogin(s)));
  return login;
}

/** 401 with the challenge that makes HTTP clients send Basic credentials; `extra` fields go beside `error`. */
export function sendUnauthenticated(res: ServerResponse, error: ApiError, extra: Record<string, unknown> = {}): void {
  sendJson(res, 401, { ...extra, error: error.toBody() }, { 'WWW-Authenticate': 'Basic realm="billing interface", charset="UTF-8"' });
}
