import type { z } from 'zod';

/** System roles. `enterprise` is a customer's read-only login, bound to one enterprise. */
export const ROLES = ['admin', 'clerk', 'auditor', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a method:
 * - `public`: no session needed (only `auth.login`);
 * - `session`: any logged-in account, whatever its role;
 * - a list of roles.
 */
export type Access = 'public' | 'session' | readonly Role[];

/** Billing staff who may read everything (logs included). */
export const READ: readonly Role[] = ['admin', 'clerk', 'auditor'];
/** Billing staff who may change billing data. */
export const WRITE: readonly Role[] = ['admin', 'clerk'];
/**
 * Billing staff, and the enterprise role for its own enterprise only: the engine (src-main/auth/enterprise-scope.ts)
 * forces the enterprise, refuses other enterprises' ids with 404 and filters what comes back.
 */
export const READ_OWN: readonly Role[] = ['admin', 'clerk', 'auditor', 'enterprise'];
/** System administration. */
export const ADMIN: readonly Role[] = ['admin'];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  access: Access;
  /** A mutation runs in a transaction (unless `async`) and is written to the operation log. */
  mutation: boolean;
  /**
   * The handler is asynchronous (file or network I/O) and manages its own transactions;
   * the dispatcher still audits it after it succeeds.
   */
  async?: boolean;
  /** Not written to the operation log (login/logout go to the login log instead). */
  noAudit?: boolean;
  /** Largest accepted HTTP body for this method, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** One line for docs/api.md. */
  summary: string;
  /** The shape of the result, for docs/api.md. */
  returns: string;
  /** Phantom field carrying the output type; never set at run time. */
  readonly __output?: O;
}

/**
 * Declares a method with its output type:
 * `method<Device>()({ input: deviceInput, access: WRITE, mutation: true, summary, returns })`.
 */
export function method<O>() {
  return <I extends z.ZodType>(spec: Omit<MethodSpec<I, O>, '__output'>): MethodSpec<I, O> => spec;
}

export type MethodTable = Record<string, MethodSpec>;
