import { z } from 'zod';
import { ADMIN, method, type Role } from './contract';
import { id, type IsoTime, type Ok } from './common';
import { keyed } from './messages';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  displayName: string;
  /** True after the first start with a generated password, or after an admin reset: change it before anything else. */
  mustChangePassword: boolean;
  /** The enterprise role's one enterprise: every call it makes is scoped to it in the engine. */
  enterpriseId?: number;
}

export interface LoginResult {
  token: string;
  user: SessionUser;
  /** When the session ends if it stays unused (idle timeout) and at the latest (absolute). */
  expiresAt: IsoTime;
}

export interface SystemAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: IsoTime;
  lastLoginAt?: IsoTime;
  /** Set for the enterprise role: the enterprise it may read. */
  enterpriseId?: number;
}

export const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, keyed('field.username', 'letters, digits and _ . @ - only'));
/** Minimum strength for a new password. */
export const newPassword = z
  .string()
  .min(10, keyed('field.passwordLength', 'at least 10 characters'))
  .max(256)
  .refine((p) => /[A-Za-z]/.test(p) && /[0-9]/.test(p), keyed('field.passwordMix', 'must contain letters and digits'));
const staffRole = z.enum(['admin', 'clerk', 'auditor']);
const accountRole = z.enum(['admin', 'clerk', 'auditor', 'enterprise']);

export const authMethods = {
  'auth.login': method<LoginResult>()({
    input: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
    access: 'public',
    mutation: true,
    async: true,
    noAudit: true,
    summary: 'Log in; sets the session cookie and returns a bearer token. Throttled per account and per address.',
    returns: '{ token, user: { id, username, role, displayName, mustChangePassword }, expiresAt }',
  }),
  'auth.logout': method<Ok>()({
    input: z.object({}),
    access: 'session',
    mutation: true,
    noAudit: true,
    summary: 'End the current session; its token stops working at once.',
    returns: '{ ok: true }',
  }),
  'auth.me': method<SessionUser>()({
    input: z.object({}),
    access: 'session',
    mutation: false,
    summary: 'The logged-in account.',
    returns: '{ id, username, role, displayName, mustChangePassword }',
  }),
  'auth.changePassword': method<Ok>()({
    input: z.object({ oldPassword: z.string().min(1).max(256), newPassword }),
    access: 'session',
    mutation: true,
    async: true,
    summary: "Change the caller's own password; other sessions of the account are ended.",
    returns: '{ ok: true }',
  }),
} as const;

export const systemAccountMethods = {
  'systemAccounts.list': method<SystemAccount[]>()({
    input: z.object({}),
    access: ADMIN,
    mutation: false,
    summary: 'All system accounts (never the password hash).',
    returns: 'SystemAccount[]',
  }),
  'systemAccounts.create': method<SystemAccount>()({
    input: z.object({
      username,
      displayName: z.string().trim().max(100).optional(),
      password: newPassword,
      role: accountRole,
      /** Required for (and only for) the enterprise role: the one enterprise the account may read. */
      enterpriseId: id.optional(),
      mustChangePassword: z.boolean().default(true),
    }).superRefine((a, ctx) => {
      if (a.role === 'enterprise' && a.enterpriseId === undefined) {
        ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'is required for the enterprise role', params: { key: 'field.enterpriseRequired' } });
      }
      if (a.role !== 'enterprise' && a.enterpriseId !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'is only for the enterprise role', params: { key: 'field.enterpriseOnly' } });
      }
    }),
    access: ADMIN,
    mutation: true,
    async: true,
    summary: 'Add a system account (admin, clerk, auditor, or enterprise bound to one enterprise by `enterpriseId`).',
    returns: 'SystemAccount',
  }),
  'systemAccounts.update': method<SystemAccount>()({
    input: z.object({
      id,
      displayName: z.string().trim().max(100).optional(),
      role: staffRole.optional(),
      password: newPassword.optional(),
    }),
    access: ADMIN,
    mutation: true,
    async: true,
    summary: 'Change display name, role or reset the password (the account must then change it at next login).',
    returns: 'SystemAccount',
  }),
  'systemAccounts.disable': method<SystemAccount>()({
    input: z.object({ id, disabled: z.boolean().default(true) }),
    access: ADMIN,
    mutation: true,
    summary: 'Disable (or re-enable) an account; its sessions end at once. The last active admin cannot be disabled.',
    returns: 'SystemAccount',
  }),
} as const;
