import { z } from 'zod';
import { method, READ } from './contract';
import { instant, page, timeZone, type IsoTime, type Page } from './common';
import { exportLanguage, type DownloadTicket } from './downloads';
import { keyed } from './messages';

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
