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
    const { auth } = this.services;

    // Authenticate and authorize before looking at the input: anonymous callers learn nothing about schemas.
    let session: Authenticated | null = null;
    if (spec.access !== 'public') {
      session = auth.authenticate(caller.token);
      if (!session) throw ApiError.keyed('unauthenticated', 'api.loginFirst', 'Log in first (no valid session).');
      if (Array.isArray(spec.access) && !spec.access.includes(session.user.role)) {
        throw ApiError.keyed('forbidden', 'api.roleRefused', `Role ${session.user.role} may not call ${name}.`, { role: session.user.role, method: name });
      }
      if (session.user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(name)) {
        throw ApiError.keyed('password_change_required', 'api.changePasswordFirst', 'Change your password before doing anything else.');
      }
    } else if (caller.token) {
      session = auth.authenticate(caller.token);
    }
    // The enterprise role is scoped to its enterprise here, for every method, before and after the handler.
    const scope: EnterpriseCall | null =
      session && session.user.role === 'enterprise' && spec.access !== 'public'
        ? enterpriseCall(name, session.enterpriseId, this.services)
        : null;

    const parsed = spec.input.safeParse(scope ? scope.prepare(rawInput ?? {}) : (rawInput ?? {}));
    if (!parsed.success) throw validationError(parsed.error);
    scope?.check(parsed.data);

    let auditEntry: AuditEntry | undefined;
    const committed: (() => void)[] = [];
    const ctx: CallContext = {
      user: session?.user ?? null,
      session,
      caller,
      audit: (entry) => {
        auditEntry = { ...auditEntry, ...entry };
      },
      afterCommit: (fn) => {
        committed.push(fn);
      },
    };
    const runAfterCommit = () => {
      for (const fn of committed) {
        try {
          fn();
        } catch (err) {
          this.services.log.error('after-commit hook failed', { method: name, error: err });
        }
      }
    };
    const unscoped = this.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const handler = scope
      ? (input: unknown, c: CallContext) => {
          const r = unscoped(input, c);
          return r instanceof Promise ? r.then((v) => scope.after(v)) : scope.after(r);
        }
      : unscoped;
    const audited = spec.mutation && !spec.noAudit;
    // The target named by the input, read before the handler changes it (the log's before/after of changed fields).
    let auditStart: AuditStart | undefined;
    const startAudit = () => {
      if (audited) auditStart = startOperationAudit(this.services, name, parsed.data);
    };
    const writeAudit = () => {
      if (!audited) return;
      this.writeOperationLog(name, ctx, auditEntry ?? { input: redact(parsed.data) }, auditStart);
    };

    if (spec.mutation && !spec.async) {
      const db = this.services.db;
      const result = db.transaction(() => {
        startAudit();
        const r = handler(parsed.data, ctx);
        if (r instanceof Promise) {
          throw new Error(`${name} is a mutation with an async handler; declare it async in the contract`);
        }
        writeAudit();
        return r;
      })();
      runAfterCommit();
      return result;
    }
    let result: unknown;
    startAudit();
    try {
      result = await handler(parsed.data, ctx);
    } catch (err) {
      // An async mutation commits in steps: one that failed after recording progress (ctx.audit) has changed data,
      // and the operation log says what and why it stopped.
      if (spec.mutation && !spec.noAudit && auditEntry) {
        try {
          this.writeOperationLog(name, ctx, { ...auditEntry, error: err instanceof Error ? err.message : String(err) }, auditStart);
        } catch (logErr) {
          this.services.log.error('operation log of a failed call not written', { method: name, error: logErr });
        }
      }
      throw err;
    }
    writeAudit();
    runAfterCommit();
    return result;
  }

  private writeOperationLog(method: string, ctx: CallContext, entry: AuditEntry, start: AuditStart | undefined): void {
    appendOperationLog(this.services, { method, user: ctx.user, address: ctx.caller.address, entry, ...(start ? { start } : {}) });
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
