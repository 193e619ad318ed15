import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { api, isMethodName, type MethodName } from '../../src-shared/api';
import { ApiError, type FieldErrors } from '../../src-shared/api/errors';
import { issuePath, problem, problemsByField } from '../../src-shared/api/messages';
import { enterpriseCall, type EnterpriseCall, type EnterpriseScopeDeps } from '../auth/enterprise-scope';
import type { AuthService, Authenticated } from '../auth/service';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import { appendOperationLog, startOperationAudit, type AuditDeps, type AuditStart } from '../logs/audit';
import type { AuditEntry, Caller, CallContext, Handlers } from './call-context';

import { redact } from './redact';

export { redact };

/** What the dispatcher uses: sessions, the database (transactions, the operation log), the log. */
export interface DispatcherDeps extends EnterpriseScopeDeps, AuditDeps {
  auth: AuthService;
  db: Sqlite;
  log: Logger;
}

// Until a generated password is changed, only these may be called.
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<MethodName>(['auth.me', 'auth.logout', 'auth.changePassword', 'system.ping']);

/**
 * The one way into the engine: validate -> authenticate/authorize -> run (mutations in a transaction) -> audit.
 * Both transports (HTTP, IPC) and tests call `call`.
 */
export class Dispatcher {
  constructor(
    private readonly services: DispatcherDeps,
    private readonly handlers: Handlers<MethodName>,
  ) {}

  async call(name: string, rawInput: unknown, caller: Caller): Promise<unknown> {
    try {
      return await this.dispatch(name, rawInput, caller);
    } catch (err) {
      throw this.toApiError(err, name);
    }
  }

  private async dispatch(name: string, rawInput: unknown, caller: Caller): Promise<unknown> {
    if (!isMethodName(name)) throw ApiError.keyed('method_not_found', 'api.methodNotFound', `There is no method "${name}".`, { method: name });
    const spec = api[name];
    // Authenticate and authorize before looking at the input: anonymous callers learn nothing about schemas.
    const session = this.authenticate(name, caller);
    // The enterprise role is scoped to its enterprise here, for every method, before and after the handler.
    const scope: EnterpriseCall | null =
      session && session.user.role === 'enterprise' && spec.access !== 'public'
        ? enterpriseCall(name, session.enterpriseId, this.services)
        : null;
    const parsed = spec.input.safeParse(scope ? scope.scopeInput(rawInput ?? {}) : (rawInput ?? {}));
    if (!parsed.success) throw validationError(parsed.error);
    scope?.check(parsed.data);

    const unscoped = this.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const handler = scope
      ? (input: unknown, c: CallContext) => {
          const r = unscoped(input, c);
          return r instanceof Promise ? r.then((v) => scope.after(v)) : scope.after(r);
        }
      : unscoped;
    const run = new CallRun(this.services, name, parsed.data, session, caller, spec.mutation && !spec.noAudit);
    return spec.mutation && !spec.async ? run.inTransaction(handler) : run.awaiting(handler, spec.mutation);
  }

  /** The caller's session; refuses a missing one, a role the method does not allow, and a password still to change. */
  private authenticate(name: MethodName, caller: Caller): Authenticated | null {
    const spec = api[name];
    const { auth } = this.services;
    if (spec.access === 'public') return caller.token ? auth.authenticate(caller.token) : null;
    const session = auth.authenticate(caller.token);
    if (!session) throw ApiError.keyed('unauthenticated', 'api.loginFirst', 'Log in first (no valid session).');
    if (Array.isArray(spec.access) && !spec.access.includes(session.user.role)) {
      throw ApiError.keyed('forbidden', 'api.roleRefused', `Role ${session.user.role} may not call ${name}.`, { role: session.user.role, method: name });
    }
    if (session.user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(name)) {
      throw ApiError.keyed('password_change_required', 'api.changePasswordFirst', 'Change your password before doing anything else.');
    }
    return session;
  }

  private toApiError(err: unknown, method: string): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof z.ZodError) return validationError(err);
    const code = (err as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
      const message = (err as Error).message;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        const columns = uniqueColumns(message);
        return ApiError.keyed('conflict', 'api.alreadyExists', `Already exists (${columns}).`, { field: columns.split(', ')[0]! });
      }
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        return ApiError.keyed('conflict', 'api.missingOrInUse', 'Refers to something that does not exist, or is still in use.');
      }
      if (code === 'SQLITE_CONSTRAINT_TRIGGER') return ApiError.keyed('conflict', triggerKey(message), message);
    }
    if (code === 'SQLITE_BUSY') return ApiError.keyed('unavailable', 'api.busy', 'The database is busy; try again.');
    const ref = randomUUID();
    this.services.log.error('API call failed', { method, ref, error: err });
    return ApiError.keyed('internal', 'api.internal', `Internal error (reference ${ref}); the details are in the log.`, { ref }, { ref });
  }
}

type RunnableHandler = (input: unknown, ctx: CallContext) => unknown;

/**
 * One call being run: the context its handler sees, what it asked to audit and to run after commit. A mutation runs
 * in one transaction with its operation-log row; other calls (and async mutations, which commit in steps) are awaited.
 */
class CallRun {
  private auditEntry: AuditEntry | undefined;
  private readonly committed: (() => void)[] = [];
  private auditStart: AuditStart | undefined;
  readonly ctx: CallContext;

  constructor(
    private readonly services: DispatcherDeps,
    private readonly method: MethodName,
    private readonly input: unknown,
    session: Authenticated | null,
    caller: Caller,
    private readonly audited: boolean,
  ) {
    this.ctx = {
      user: session?.user ?? null,
      session,
      caller,
      audit: (entry) => {
        this.auditEntry = { ...this.auditEntry, ...entry };
      },
      afterCommit: (fn) => {
        this.committed.push(fn);
      },
    };
  }

  inTransaction(handler: RunnableHandler): unknown {
    const result = this.services.db.transaction(() => {
      this.startAudit();
      const r = handler(this.input, this.ctx);
      if (r instanceof Promise) {
        throw new Error(`${this.method} is a mutation with an async handler; declare it async in the contract`);
      }
      this.writeAudit();
      return r;
    })();
    this.runAfterCommit();
    return result;
  }

  async awaiting(handler: RunnableHandler, mutation: boolean): Promise<unknown> {
    let result: unknown;
    this.startAudit();
    try {
      result = await handler(this.input, this.ctx);
    } catch (err) {
      // An async mutation commits in steps: one that failed after recording progress (ctx.audit) has changed data,
      // and the operation log says what and why it stopped.
      if (mutation && this.audited && this.auditEntry) {
        try {
          this.log({ ...this.auditEntry, error: err instanceof Error ? err.message : String(err) });
        } catch (logErr) {
          this.services.log.error('operation log of a failed call not written', { method: this.method, error: logErr });
        }
      }
      throw err;
    }
    this.writeAudit();
    this.runAfterCommit();
    return result;
  }

  // The target named by the input, read before the handler changes it (the log's before/after of changed fields).
  private startAudit(): void {
    if (this.audited) this.auditStart = startOperationAudit(this.services, this.method, this.input);
  }

  private writeAudit(): void {
    if (this.audited) this.log(this.auditEntry ?? { input: redact(this.input) });
  }

  private log(entry: AuditEntry): void {
    const { user, caller } = this.ctx;
    appendOperationLog(this.services, { method: this.method, user, address: caller.address, entry, ...(this.auditStart ? { start: this.auditStart } : {}) });
  }

  private runAfterCommit(): void {
    for (const fn of this.committed) {
      try {
        fn();
      } catch (err) {
        this.services.log.error('after-commit hook failed', { method: this.method, error: err });
      }
    }
  }
}

function uniqueColumns(sqliteMessage: string): string {
  // "UNIQUE constraint failed: devices.name" -> "devices.name"
  const m = /constraint failed: (.+)$/.exec(sqliteMessage);
  return m ? m[1]! : 'unique constraint';
}

// The sentences the schema's triggers abort with (RAISE(ABORT, ...)), by key; any other is api.trigger.other.
const TRIGGER_KEYS: Record<string, string> = {
  'an account with ledger entries cannot be deleted': 'api.trigger.accountHasLedger',
  'a closed bill never changes': 'api.trigger.billClosed',
  'the ledger is append-only': 'api.trigger.appendOnly',
  'operation_log is append-only': 'api.trigger.appendOnly',
  'login_log is append-only': 'api.trigger.appendOnly',
};

function triggerKey(sqliteMessage: string): string {
  return TRIGGER_KEYS[sqliteMessage.trim()] ?? 'api.trigger.other';
}

/**
 * The field errors of a refused input: English (`fields`, as before) and translatable (`problems`), and a top-level
 * sentence naming the first field.
 */
export function validationError(error: z.ZodError): ApiError {
  const fields: FieldErrors = {};
  for (const issue of error.issues) (fields[issuePath(issue)] ??= []).push(issue.message);
  const problems = problemsByField(error.issues);
  const first = Object.entries(fields)[0];
  const message = first ? `Invalid input: ${first[0]} ${first[1][0]}` : 'Invalid input';
  const top = first ? problem('api.invalidField', message, { field: first[0] }) : problem('api.invalidInput', message);
  return new ApiError('invalid_input', message, { fields, problems }, top);
}
