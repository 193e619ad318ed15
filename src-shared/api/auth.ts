import { z } from 'zod';
import { ADMIN, method, READ, type Role } from './contract';
import { id, instant, page, timeZone, type IsoTime, type Ok, type Page } from './common';
import { exportLanguage, type DownloadTicket } from './downloads';
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

export interface LoginLogEntry {
  id: number;
  at: IsoTime;
  username: string;
  accountId?: number;
  ok: boolean;
  reason: string;
  address: string;
  userAgent?: string;
}

/** One changed field of an update: values as the API shows them (money as text, times ISO), secrets as "***". */
export interface FieldChange {
  /** The field's name; nested settings are dotted: "http.port", "sftp.host". */
  field: string;
  before: unknown;
  after: unknown;
}

export interface OperationLogEntry {
  id: number;
  at: IsoTime;
  /** The system account that made the change; absent for the engine's own jobs (scheduled backup, retention). */
  accountId?: number;
  username: string;
  /** Who, as the UI names them: the display name at the time of the change, else the user name. */
  actorName: string;
  /** The method called: "accounts.recharge". */
  method: string;
  /** The target as the handler named it: "account:1", "settings". */
  target?: string;
  /** The target's kind ("enterprise", "userAccount", "device"...) and id, when the change names one. */
  targetKind?: string;
  targetId?: string;
  /** The target's name at the time of the change (a deleted one keeps the name it had). */
  targetName?: string;
  /** The fields an update changed (absent when the change is not an update of one target). */
  changes?: FieldChange[];
  /** Everything else the change recorded (amount, counts, reason...), secrets masked. */
  summary?: unknown;
  address: string;
}

/** A person (or the engine's jobs) found in the operation log, for the filter by person. */
export interface OperationLogActor {
  /** 0 for the engine's own jobs (no account). */
  accountId: number;
  username: string;
  actorName: string;
}

const logFilterFields = {
  from: instant.optional(),
  to: instant.optional(),
  user: z.string().trim().max(64).optional(),
};
const loginLogFilter = z.object({ ...logFilterFields, ok: z.boolean().optional() });
const operationLogFilter = z.object({
  ...logFilterFields,
  /** Method name or its prefix: "systemAccounts." or "settings.update". */
  method: z.string().trim().max(64).optional(),
  /** Target or its prefix ("systemAccount:2", "device:"), or part of the target's name ("Acme"). */
  target: z.string().trim().max(200).optional(),
  /** The person: a system account's id; 0 for the engine's own jobs. */
  accountId: z.number().int().min(0).optional(),
  /** An action: one method ("accounts.recharge"), or an area ending in a dot ("accounts."). */
  action: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-zA-Z]+\.[a-zA-Z]*$/, keyed('field.logAction', 'must be a method name or an area ending with "."'))
    .optional(),
  /** One target: its kind ("enterprise") and, optionally, its id. */
  targetKind: z.string().trim().max(40).optional(),
  targetId: z.string().trim().max(200).optional(),
});
/** Export of what a log view shows: the same filter, a file format, and the zone its times are written in. */
const exportOptions = {
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  timeZone: timeZone.default('UTC'),
  language: exportLanguage,
};

export const logMethods = {
  'logs.login': method<Page<LoginLogEntry>>()({
    input: loginLogFilter.extend(page),
    access: READ,
    mutation: false,
    summary: 'Login attempts, latest first: time range [from, to), user name (prefix), result (ok).',
    returns: '{ rows: LoginLogEntry[], nextCursor? }',
  }),
  'logs.operation': method<Page<OperationLogEntry>>()({
    input: operationLogFilter.extend(page),
    access: READ,
    mutation: false,
    summary: 'Changes made through the API, latest first: who, action, target (kind, id, name at the time), changed fields before/after, details, address. Filters: time, person, action or area, target.',
    returns: '{ rows: OperationLogEntry[], nextCursor? }',
  }),
  'logs.operationActors': method<OperationLogActor[]>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'The people (and the engine\'s jobs, accountId 0) who appear in the operation log, for its filter by person.',
    returns: 'OperationLogActor[]',
  }),
  'logs.exportLogin': method<DownloadTicket>()({
    input: loginLogFilter.extend(exportOptions),
    access: READ,
    mutation: false,
    summary: 'The login log under a filter as an Excel (.xlsx) or CSV file, with a header block (period, zone, filters, who).',
    returns: 'DownloadTicket',
  }),
  'logs.exportOperation': method<DownloadTicket>()({
    input: operationLogFilter.extend(exportOptions),
    access: READ,
    mutation: false,
    summary: 'The operation log under a filter as an Excel (.xlsx) or CSV file, with a header block (period, zone, filters, who).',
    returns: 'DownloadTicket',
  }),
} as const;
