/**
 * Batch files of user accounts and extensions (.xlsx or .csv): import all or nothing with a row-level report, export
 * of a list's filter in the layout the import reads back, and an empty template that explains its columns.
 */
import { z } from 'zod';
import { method, READ, WRITE, READ_OWN } from './contract';
import { id, instant, timeZone } from './common';
import { exportLanguage, type DownloadTicket } from './downloads';

/** Largest import accepted (the file as base64 in JSON): 100,000 accounts fit with room to spare. */
export const ACCOUNT_IMPORT_MAX_BODY = 48 * 1024 * 1024;

export interface AccountImportResult {
  fileName: string;
  /** Data rows in the file. */
  rows: number;
  created: number;
  updated: number;
  /** Extensions given to users (created, or taken from another owner). */
  extensionsAssigned: number;
  /** PINs set (each hashed with scrypt). */
  pinsSet: number;
  millis: number;
}

export interface ExtensionImportResult {
  fileName: string;
  rows: number;
  created: number;
  updated: number;
  millis: number;
}

const importFile = {
  fileName: z.string().trim().min(1).max(255),
  /** The .xlsx or .csv file, base64 (an empty file is refused with a problem report, like any other bad file). */
  content: z.string(),
};

const fileFormat = z.enum(['xlsx', 'csv']).default('xlsx');
const text = (max: number) => z.string().trim().max(max);

const refusal =
  'All or nothing: a file with problems is refused with 400 and `details: { problems: [{ row, column, problem }], problemCount }` ' +
  '(row = spreadsheet row, null for the whole file).';

export const accountFileMethods = {
  'userAccounts.import': method<AccountImportResult>()({
    input: z.object(importFile),
    access: WRITE,
    mutation: true,
    async: true,
    maxBodyBytes: ACCOUNT_IMPORT_MAX_BODY,
    summary:
      'Import user accounts from .xlsx or .csv, headings and yes/no in English or Chinese (columns Enterprise (name or ' +
      'code), Name; optional Code, Device, Extensions, Card number, PIN, Own balance, Rate group, Credit limit, Low ' +
      'balance, Freeze when exhausted, Notes). A row naming an existing user of its enterprise updates it; a column the ' +
      `file lacks keeps stored values; an empty PIN keeps the stored PIN. ${refusal}`,
    returns: '{ fileName, rows, created, updated, extensionsAssigned, pinsSet, millis }',
  }),
  'userAccounts.export': method<DownloadTicket>()({
    input: z.object({
      q: text(100).optional(),
      status: z.enum(['active', 'frozen']).optional(),
      enterpriseId: id.optional(),
      format: fileFormat,
      /** For times and the "exported at" line. */
      timeZone: timeZone.default('UTC'),
      language: exportLanguage,
    }),
    access: READ,
    mutation: false,
    summary: 'Export the user accounts of the filter (as userAccounts.list) in the layout userAccounts.import reads back, with balance and status.',
    returns: 'DownloadTicket',
  }),
  'userAccounts.template': method<DownloadTicket>()({
    input: z.object({ format: fileFormat, language: exportLanguage }),
    access: READ,
    mutation: false,
    summary: 'An empty user-account import file: what each column holds, then the headings, in `language` (userAccounts.import reads either).',
    returns: 'DownloadTicket',
  }),
  'extensions.import': method<ExtensionImportResult>()({
    input: z.object({
      ...importFile,
      /** For files without a Device column. */
      deviceId: id.optional(),
    }),
    access: WRITE,
    mutation: true,
    async: true,
    maxBodyBytes: ACCOUNT_IMPORT_MAX_BODY,
    summary:
      'Import extensions from .xlsx or .csv, headings in English or Chinese (columns Device (name or id; or `deviceId`), ' +
      'Number; optional Name, User, Enterprise (to tell users of the same name apart)). A row naming an existing ' +
      `extension of its device updates it. ${refusal}`,
    returns: '{ fileName, rows, created, updated, millis }',
  }),
  'extensions.export': method<DownloadTicket>()({
    input: z.object({
      deviceId: id.optional(),
      userAccountId: id.optional(),
      q: text(50).optional(),
      unassigned: z.boolean().optional(),
      format: fileFormat,
      timeZone: timeZone.default('UTC'),
      language: exportLanguage,
    }),
    access: READ,
    mutation: false,
    summary: 'Export the extensions of the filter (as extensions.list) in the layout extensions.import reads back.',
    returns: 'DownloadTicket',
  }),
  'recharges.export': method<DownloadTicket>()({
    input: z.object({
      from: instant.optional(),
      to: instant.optional(),
      accountId: id.optional(),
      enterpriseId: id.optional(),
      kinds: z.array(z.enum(['recharge', 'refund', 'adjustment'])).optional(),
      operator: text(64).optional(),
      format: fileFormat,
      timeZone: timeZone.default('UTC'),
      language: exportLanguage,
    }),
    access: READ_OWN,
    mutation: false,
    summary: 'Export the recharges, refunds and adjustments of the filter (as recharges.list), latest first, with operator and reason.',
    returns: 'DownloadTicket',
  }),
  'extensions.template': method<DownloadTicket>()({
    input: z.object({ format: fileFormat, language: exportLanguage }),
    access: READ,
    mutation: false,
    summary: 'An empty extension import file: what each column holds, then the headings, in `language` (extensions.import reads either).',
    returns: 'DownloadTicket',
  }),
} as const;
