/**
 * Basic auth of the billing interface's HTTP routes (CDR push, call authorization): the billing interface account
 * and password from the settings, with failed logins counted per source address and throttled after a few, shared
 * by every route of one engine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../src-shared/api/errors';
import { sendJson } from '../api/http';
import { InFlightChecks } from '../auth/in-flight';
import type { Services } from '../services';

/** Failed logins from one address within a minute before it is throttled. */
const MAX_FAILED_LOGINS = 10;
const FAILED_LOGIN_WINDOW_MS = 60_000;

export function basicCredentials(header: string | undefined): { account: string; password: string } | null {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { account: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class BillingInterfaceLogin {
  private readonly failures = new Map<string, { count: number; since: number }>();
  /** Password checks running now, per address. */
  private readonly checking = new InFlightChecks();

  constructor(private readonly s: Pick<Services, 'settings' | 'now'>) {}

  /** Resolves when the request carries the billing interface credentials; throws `unauthenticated` or `throttled`. */
  async authenticate(req: IncomingMessage, address: string): Promise<void> {
    const now = this.s.now();
    const seen = this.failures.get(address);
    if (seen && now - seen.since > FAILED_LOGIN_WINDOW_MS) this.failures.delete(address);
    const recent = this.failures.get(address);
    // Checks still running count as failures until they are known: guesses sent at once must not all get through.
    if ((recent?.count ?? 0) + this.checking.count(address) >= MAX_FAILED_LOGINS) {
      const retryAfterSeconds = Math.ceil(((recent?.since ?? now) + FAILED_LOGIN_WINDOW_MS - now) / 1000);
      throw new ApiError('throttled', `Too many failed logins from ${address}; try again later.`, { retryAfterSeconds });
    }
    const credentials = basicCredentials(req.headers.authorization);
    const bi = this.s.settings.get('billingInterface');
    let problem: string | null = null;
    if (!bi.passwordHash) problem = 'The billing interface has no password set: set one in the settings.';
    else if (!credentials) problem = 'Log in with Basic auth (the billing interface account and password).';
    else {
      const ok = await this.checking.around([address], () => this.s.settings.verifyBillingInterface(credentials.account, credentials.password));
      if (!ok) problem = 'Wrong billing interface account or password.';
    }
    if (problem) {
      if (credentials) {
        const entry = this.failures.get(address) ?? { count: 0, since: now };
        entry.count++;
        this.failures.set(address, entry);
      }
      throw new ApiError('unauthenticated', problem);
    }
    this.failures.delete(address);
  }
}

const logins = new WeakMap<object, BillingInterfaceLogin>();

/** The engine's one login checker (failed logins count across routes). */
export function billingInterfaceLogin(s: Pick<Services, 'settings' | 'now'>): BillingInterfaceLogin {
  let login = logins.get(s.settings);
  if (!login) logins.set(s.settings, (login = new BillingInterfaceLogin(s)));
  return login;
}

/** 401 with the challenge that makes HTTP clients send Basic credentials; `extra` fields go beside `error`. */
export function sendUnauthenticated(res: ServerResponse, error: ApiError, extra: Record<string, unknown> = {}): void {
  sendJson(res, 401, { ...extra, error: error.toBody() }, { 'WWW-Authenticate': 'Basic realm="billing interface", charset="UTF-8"' });
}
