/**
 * CDR records: search (latest first, keyset pages), one CDR with its "why this price", and the export of a search
 * as .xlsx or .csv. Rejected records (unreadable input) are not CDRs: they have no caller, callee or price and are
 * listed by `cdrs.rejects`; `cdrs.search` takes the statuses a CDR can have (rated, unrated, pending).
 */
import { z } from 'zod';
import { method, READ_OWN } from './contract';
import { id, instant, money, timeZone, type IsoTime, type Ok } from './common';
import type { DownloadTicket } from './downloads';
import type { NumberClassification, QuoteIntervalCharge } from './rating';
import { CALL_TYPES, type CallType } from '../domain/numbers/classify-call';
import type { ExplainStep } from '../domain/numbers/explain-step';
import { keyed } from './messages';
import type { ReasonProblem } from './reasons';

export const CDR_STATUSES = ['rated', 'unrated', 'pending'] as const;
export type CdrStatus = (typeof CDR_STATUSES)[number];
export const CDR_DISPOSITIONS = ['answered', 'no_answer', 'busy', 'failed', 'unknown'] as const;
export type CdrDisposition = (typeof CDR_DISPOSITIONS)[number];

/** Digits, `*`, `#`, `+` and the like: a number prefix as typed in a filter. */
const numberPrefix = z.string().trim().min(1).max(40);

/** The filters of the CDR view; the export takes the same ones. */
export const cdrFilterFields = {
  /** Calls that started at or after. */
  from: instant.optional(),
  /** Calls that started before. */
  to: instant.optional(),
  deviceId: id.optional(),
  enterpriseId: id.optional(),
  userAccountId: id.optional(),
  gatewayId: id.optional(),
  /** Prefix of the calling number. */
  caller: numberPrefix.optional(),
  /** Prefix of the called number as dialled. */
  callee: numberPrefix.optional(),
  callType: z.enum(CALL_TYPES).optional(),
  disposition: z.enum(CDR_DISPOSITIONS).optional(),
  status: z.enum(CDR_STATUSES).optional(),
  /** Cost at least / at most (rated CDRs only), e.g. "10.00". */
  costMin: money.optional(),
  costMax: money.optional(),
};

const cdrFilter = z.object(cdrFilterFields);
export type CdrFilter = z.output<typeof cdrFilter>;

/** Most rows `count: true` counts; beyond it `total` is this number and `totalCapped` is true. */
export const CDR_COUNT_CAP = 100_000;

export const cdrSearchInput = cdrFilter.extend({
  /** Latest first (default) or oldest first; the cursor continues in the order it was given for. */
  order: z.enum(['desc', 'asc']).default('desc'),
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
  /** Also count the matching CDRs (up to CDR_COUNT_CAP): costs a read of every match, so only on request. */
  count: z.boolean().default(false),
});

/** One CDR as the records table shows it. */
export interface CdrRow {
  id: number;
  deviceId: number;
  deviceName: string;
  start: IsoTime;
  answer: IsoTime | null;
  end: IsoTime;
  /** Seconds from start to end, and answered seconds. */
  duration: number;
  billsec: number;
  caller: string;
  callerName: string;
  /** As dialled, and after route prefix rules and classification (null until rated). */
  callee: string;
  normalized: string | null;
  direction: 'outbound' | 'inbound' | 'internal' | 'unknown';
  disposition: CdrDisposition;
  callType: CallType | null;
  region: string | null;
  country: string | null;
  status: CdrStatus;
  /** Why an unrated CDR is not charged. */
  statusReason: ExplainStep | null;
  /** "0.6300"; null unless rated. */
  cost: string | null;
  billedSeconds: number | null;
  rateId: number | null;
  rateName: string | null;
  enterpriseId: number | null;
  enterpriseName: string | null;
  userAccountId: number | null;
  userAccountName: string | null;
  gatewayId: number | null;
  gatewayName: string | null;
}

export interface CdrSearchResult {
  rows: CdrRow[];
  nextCursor?: string;
  /** With `count: true`: how many CDRs match (at most CDR_COUNT_CAP). */
  total?: number;
  /** True when there are more than `total` matches. */
  totalCapped?: boolean;
}

export interface CdrLedgerEntry {
  id: number;
  at: IsoTime;
  kind: 'charge' | 'rerate';
  /** Signed: a charge is negative. */
  amount: string;
  accountId: number;
  accountName: string;
  chargedAccountId: number | null;
  operator: string;
  reason: string;
}

/** Who pays for the call as the accounts are configured now, and why. */
export interface CdrPayerView {
  accountId: number;
  accountName: string;
  kind: 'enterprise' | 'user' | 'gateway';
  enterpriseId: number;
  enterpriseName: string;
  rateGroupId: number;
  rateGroupName: string;
  why: ExplainStep;
}

/**
 * "Why this price", computed when asked with the configuration of that moment (accounts, numbering plan, rates):
 * the CDR does not store it. `matchesStored` says whether it gives what was stored when the CDR was charged;
 * `differences` lists what changed since (e.g. a rate was edited and the CDR not rerated).
 */
export interface CdrExplanation {
  computedAt: IsoTime;
  payer: CdrPayerView | null;
  /** Why no account pays (when `payer` is null), or why the call cannot be priced. */
  reason: ExplainStep | null;
  classification: NumberClassification | null;
  rate: { id: number; name: string; callType: string; prefix: string } | null;
  rated: boolean;
  intervals: QuoteIntervalCharge[];
  chargedSeconds: number;
  billedSeconds: number;
  connectFee: string;
  cost: string;
  currency: string | null;
  matchesStored: boolean;
  differences: ('status' | 'callType' | 'normalized' | 'rate' | 'cost' | 'billedSeconds' | 'account')[];
}

export interface CdrDetail extends CdrRow {
  format: string;
  nativeId: string | null;
  dedupKey: string;
  originalCallee: string | null;
  finalCallee: string | null;
  trunkIn: string | null;
  trunkOut: string | null;
  /** How the direction was decided (Asterisk: device settings or a guess), read again from the raw record; null: the format says it. */
  directionReason: string | null;
  /** `directionReason` to show, part by part (`direction.*` keys of the engine catalogue); empty when it is null. */
  directionProblems: ReasonProblem[];
  cause: string | null;
  accountCode: string | null;
  /** The record as received (several lines when the call spans records). */
  raw: string;
  joinedRecords: number;
  source: { kind: 'tcp' | 'http' | 'sftp' | 'import'; name: string; line: number | null; offset: number | null; index: number | null };
  receivedAt: IsoTime;
  ratedAt: IsoTime | null;
  ratedRateGroupId: number | null;
  /** What was stored when the CDR was charged (or left unrated). */
  stored: { status: CdrStatus; reason: ExplainStep | null; cost: string | null; callType: CallType | null };
  explanation: CdrExplanation;
  ledger: CdrLedgerEntry[];
  /** For a call the PBX reported in several records (legs): this record's part and the call's other records. */
  leg: CdrLegView | null;
}

/** One record of a call reported in several (FreeSWITCH A/B/loopback legs, UCM main/sub-CDRs, CUCM recordings). */
export interface CdrLegView {
  /** null: the record stands for the call by itself (it named no other leg). */
  role: 'a' | 'b' | 'loopback' | 'main' | 'sub' | 'recording' | null;
  callId: string;
  /** Whether this record is the one charged for the call; a linked leg is stored and never charged. */
  billed: boolean;
  /** The other stored records of the same call, the charged one first. */
  others: { id: number; role: CdrLegView['role']; billed: boolean; start: IsoTime; caller: string; callee: string; billsec: number; status: CdrStatus }[];
}

/** Progress of an export the caller started with an `exportId` (the exporting session only). */
export interface ExportProgress {
  exportId: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  rows: number;
  /** 0..1, estimated from how far the export has gone through the period. */
  fraction: number;
  message?: string;
}

const exportId = z.string().regex(/^[\w-]{1,64}$/, keyed('field.exportId', 'letters, digits, - and _ only (at most 64)'));

export const cdrExportInput = cdrFilter.extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  /** Times in the file are wall-clock times of this zone. */
  timeZone: timeZone.default('UTC'),
  /** Chosen by the client to follow `exports.progress` events and to cancel. */
  exportId: exportId.optional(),
  /** Language of the headings and texts in the file. */
  language: z.enum(['en', 'zh-CN']).default('en'),
  /** Rows per sheet, headings included, before the export continues on the next (default and most: what Excel allows). */
  rowsPerSheet: z.number().int().min(20).max(1_048_576).optional(),
});

export const cdrMethods = {
  'cdrs.search': method<CdrSearchResult>()({
    input: cdrSearchInput,
    access: READ_OWN,
    mutation: false,
    summary:
      'CDRs latest first (start, id; `order: "asc"` for oldest first) with filters: period, device, enterprise, user, gateway, caller / callee prefix, ' +
      'call type, disposition, status (rated / unrated / pending; rejected records: cdrs.rejects), cost range. Keyset ' +
      'pages (`nextCursor`); `count: true` adds `total` (capped at 100,000, then `totalCapped`).',
    returns: '{ rows: CdrRow[], nextCursor?, total?, totalCapped? }',
  }),
  'cdrs.get': method<CdrDetail>()({
    input: z.object({ id }),
    access: READ_OWN,
    mutation: false,
    summary:
      'One CDR with its raw record and source, its ledger entries, and "why this price" (payer, normalization, call ' +
      'type, rate, billed seconds per interval, cost) computed now, marked where it differs from what was stored.',
    returns: 'CdrDetail',
  }),
  'exports.cdrs': method<DownloadTicket>()({
    input: cdrExportInput,
    access: READ_OWN,
    mutation: false,
    summary:
      'The CDRs of a filter as .xlsx (streamed; continues on further sheets past 1,048,576 rows) or .csv, with a ' +
      'header block (period, zone, filters, who, when), daily subtotals and totals. Progress: `exports.progress` ' +
      'events for `exportId`; `exports.cancel` stops it.',
    returns: 'DownloadTicket',
  }),
  'exports.cancel': method<Ok>()({
    input: z.object({ exportId }),
    access: READ_OWN,
    mutation: false,
    summary: 'Stop an export this account started (by its exportId); the call that started it fails with 409 "cancelled".',
    returns: '{ ok: true }',
  }),
} as const;
