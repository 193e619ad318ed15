/**
 * What a handler sees of the call it serves, and the handler types every domain implements. A leaf: it imports the
 * contract and nothing of the engine, so a domain can name its handlers without reaching the composition root.
 */
import type { MethodName, MethodsOf, OutputOf, ParsedInputOf } from '../../src-shared/api';
import type { SessionUser } from '../../src-shared/api/auth';
import type { Authenticated } from '../auth/service';

/** Where a call comes from, as the transport knows it. */
export interface Caller {
  transport: 'http' | 'ipc' | 'internal';
  /** Remote address ("127.0.0.1"), or "desktop" for the Electron window. */
  address: string;
  token?: string;
  userAgent?: string;
}

export interface AuditEntry {
  /** What was changed, e.g. "systemAccount:3" or "device:12". */
  target?: string;
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping (counts, reason...). */
  [key: string]: unknown;
}

export interface CallContext {
  /** Null only for `public` methods called without a session. */
  user: SessionUser | null;
  session: Authenticated | null;
  caller: Caller;
  /** Describe the change for the operation log (default: the input without secrets). */
  audit(entry: AuditEntry): void;
  /** Run after the mutation has committed (events, restarting a poller); never for a failed call. */
  afterCommit(fn: () => void): void;
}

export type Handler<M extends MethodName> = (
  input: ParsedInputOf<M>,
  ctx: CallContext,
) => OutputOf<M> | Promise<OutputOf<M>>;
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };
/** The handlers of one domain: `DomainHandlers<'auth'>`. */
export type DomainHandlers<D extends string> = Handlers<MethodsOf<D>>;
