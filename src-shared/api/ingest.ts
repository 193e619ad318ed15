/**
 * CDR ingestion: manual file import, rejected records (list, reprocess, dismiss) and the live ingest status.
 * The billing interface itself (TCP listener, `POST /cdr/<format>`) is for devices, not part of this contract:
 * see docs/billing-interface.md.
 */
import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { actionReason, id, instant, page, type IsoTime, type Page } from './common';
import type { ReasonProblem } from './reasons';
import { keyed } from './messages';

export const INGEST_SOURCE_KINDS = ['tcp', 'http', 'sftp', 'import'] as const;
export type IngestSourceKind = (typeof INGEST_SOURCE_KINDS)[number];
export const REJECT_STATUSES = ['open', 'reprocessed', 'dismissed'] as const;
export type RejectStatus = (typeof REJECT_STATUSES)[number];

/** What happened to the records of one batch, import, push or poll. received = stored + duplicates + rejected. */
export interface IngestCounts {
  /** Call records received (CDRs and unreadable records; not header or blank lines). */
  received: number;
  /** New CDRs stored. */
  stored: number;
  /** Records already stored before (as a CDR or as a reject): nothing changed. */
  duplicates: number;
  /** New unreadable records, kept with their reason. */
  rejected: number;
  /** Lines that are not call records by design (headers, blank lines, other events). */
  skipped: number;
}

export interface CdrRejectRow {
  id: number;
  deviceId: number;
  deviceName: string;
  receivedAt: IsoTime;
  sourceKind: IngestSourceKind;
  /** Connection id and remote address, file path, or file name. */
  sourceName: string;
  sourceLine: number | null;
  sourceOffset: number | null;
  sourceIndex: number | null;
  raw: string;
  /** False when the raw text is only the start of an over-long line (cannot be reprocessed). */
  rawComplete: boolean;
  /** The reason in English, as stored (for support). */
  reason: string;
  /** The reason to show: a key of the `engine` catalogue (`reject.*`) with its parameters; `text` is `reason`. */
  problem: ReasonProblem;
  status: RejectStatus;
  resolvedAt: IsoTime | null;
  /** What the last reprocess or dismissal said. */
  resolution: string | null;
  /** `resolution` to show (`reject.resolution.*`), null when there is none. */
  resolutionProblem: ReasonProblem | null;
  /** The CDR the record became (or duplicated) when reprocessed. */
  cdrId: number | null;
}

export interface CdrImportResult extends IngestCounts {
  importId: string;
  deviceId: number;
  fileName: string;
  bytes: number;
  /** CDRs of this import the charging pipeline rated / could not rate (0 while no charging is installed). */
  rated: number;
  unrated: number;
  /** The first rejects of this import (new or already known), in file order. */
  rejects: CdrRejectRow[];
  /** How many rejects this import met in all (new and already known): rejected + knownRejects. */
  rejectsTotal: number;
  /**
   * Of the duplicates, the unreadable records already kept as rejects (by an earlier import of the same file): so
   * received = stored + (duplicates - knownRejects) calls met again + rejected + knownRejects.
   */
  knownRejects: number;
  /** Of the skipped lines, the header lines read (the device's or a collector's column names). */
  headerLines: number;
}

export interface ReprocessOutcome {
  rejectId: number;
  outcome: 'stored' | 'duplicate' | 'rejected' | 'skipped' | 'not_reprocessable';
  /** The CDR the record became or duplicates. */
  cdrId?: number;
  /** Why it still fails, or why it cannot be reprocessed. */
  reason?: string;
  /** `reason` to show (`reject.*`). */
  problem?: ReasonProblem;
}

export interface ReprocessResult {
  /** Rejects looked at. */
  total: number;
  /** Became new CDRs. */
  stored: number;
  /** Parse now, but the call was already stored. */
  duplicates: number;
  /** Still unreadable (reason updated). */
  stillRejected: number;
  /** Not reprocessable (truncated records, or not a call record once read again). */
  unchanged: number;
  /** Per reject, at most the first 200. */
  outcomes: ReprocessOutcome[];
  /** With `deviceId` (or `all`): the device's (every) unrated CDRs, rated and charged again with current settings. */
  unrated?: { examined: number; rated: number; stillUnrated: number };
}

export interface IngestError {
  at: IsoTime;
  message: string;
}

export interface IngestPollResult {
  at: IsoTime;
  ok: boolean;
  error?: string;
  files: number;
}

export interface DeviceIngestStatus {
  deviceId: number;
  name: string;
  /** Open billing-interface connections (remote address:port, since). */
  connections: { remote: string; since: IsoTime }[];
  lastCdrAt: IsoTime | null;
  lastPoll: IngestPollResult | null;
  /** The most recent errors, latest first (kept since the engine started). */
  errors: IngestError[];
  errorCount: number;
  /** Today (the workstation's zone). */
  today: IngestCounts;
}

export interface TcpListenerState {
  state: 'listening' | 'stopped' | 'disabled' | 'failed';
  host: string;
  port: number;
  error?: string;
}

export interface IngestStatusSnapshot {
  at: IsoTime;
  /** The day `today` counts refer to (YYYY-MM-DD, the workstation's zone). */
  day: string;
  listener: TcpListenerState;
  devices: DeviceIngestStatus[];
}

/** Largest import body: the file in base64 (about 48 MiB of CDRs). Larger files: split them or let SFTP pull them. */
export const IMPORT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export const cdrImportInput = z.object({
  deviceId: id,
  fileName: z.string().trim().min(1).max(255),
  /** The file's bytes, base64-encoded. */
  content: z.string().max(IMPORT_MAX_BODY_BYTES).regex(/^[A-Za-z0-9+/]*={0,2}$/, keyed('field.base64', 'must be base64')),
  /** Chosen by the client to match `cdrs.importProgress` events to this call. */
  importId: z.string().regex(/^[\w-]{1,64}$/).optional(),
});

export const rejectFilterInput = z.object({
  deviceId: id.optional(),
  status: z.enum(REJECT_STATUSES).optional(),
  sourceKind: z.enum(INGEST_SOURCE_KINDS).optional(),
  /** Exact source name (e.g. the file name of an import). */
  sourceName: z.string().max(1024).optional(),
  /** Received at or after. */
  from: instant.optional(),
  /** Received before. */
  to: instant.optional(),
  ...page,
});

export const reprocessInput = z
  .object({
    /** Selected rejects. */
    ids: z.array(id).min(1).max(10_000).optional(),
    /** Or: every open reject of this device. */
    deviceId: id.optional(),
    /** Or: every open reject of every device. */
    all: z.literal(true).optional(),
  })
  .refine((v) => [v.ids, v.deviceId, v.all].filter((x) => x !== undefined).length === 1, {
    message: 'give one of ids, deviceId or all',
    params: { key: 'field.rejectSelection' },
    path: ['ids'],
  });

export const dismissInput = z.object({
  ids: z.array(id).min(1).max(10_000),
  reason: actionReason,
});

export const ingestMethods = {
  'cdrs.import': method<CdrImportResult>()({
    input: cdrImportInput,
    access: WRITE,
    mutation: true,
    async: true,
    maxBodyBytes: IMPORT_MAX_BODY_BYTES + 64 * 1024,
    summary:
      'Import a CDR file for a device (read with the device format and settings). Every record is stored once: ' +
      'calls already stored count as duplicates, unreadable records become rejects. Progress: `cdrs.importProgress` events.',
    returns: '{ importId, deviceId, fileName, bytes, received, stored, duplicates, rejected, skipped, headerLines, rated, unrated, rejects: CdrRejectRow[], rejectsTotal }',
  }),
  'cdrs.rejects': method<Page<CdrRejectRow>>()({
    input: rejectFilterInput,
    access: READ,
    mutation: false,
    summary: 'Unreadable records with their reason and source position, latest first; filters device, status, source and time received.',
    returns: '{ rows: CdrRejectRow[], nextCursor?, total? }',
  }),
  'cdrs.reprocess': method<ReprocessResult>()({
    input: reprocessInput,
    access: WRITE,
    mutation: true,
    async: true,
    summary:
      "Read rejects again with the device's current format and settings (selected ids, all open rejects of a device, or all open rejects); " +
      'a record that now reads becomes a CDR (or a duplicate of a stored one) and the reject is marked reprocessed. ' +
      "For a whole device (or all), its unrated CDRs are also rated and charged again (as cdrs.chargeUnrated does).",
    returns: '{ total, stored, duplicates, stillRejected, unchanged, outcomes: [{ rejectId, outcome, cdrId?, reason? }], unrated?: { examined, rated, stillUnrated } }',
  }),
  'cdrs.dismissRejects': method<{ dismissed: number }>()({
    input: dismissInput,
    access: WRITE,
    mutation: true,
    summary: 'Mark open rejects as dismissed (kept, no longer listed as open), with a reason.',
    returns: '{ dismissed }',
  }),
  'ingest.status': method<IngestStatusSnapshot>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: "The billing interface listener and each device's ingest status: connections, last CDR, last poll, errors, today's counts.",
    returns: 'IngestStatusSnapshot',
  }),
} as const;

export type IngestMethodName = keyof typeof ingestMethods;
