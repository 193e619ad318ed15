/**
 * Call detail records as the rest of the system sees them, whatever PBX and layout they came from.
 * Instants are UTC epoch milliseconds; the device's IANA time zone is used only to read local-time layouts.
 */
import { z } from 'zod';
import { keyed } from '../api/messages';

/** Format ids: the device's `format` and the `<format>` of `POST /cdr/<format>`. */
export const CDR_FORMATS = [
  'asterisk-csv',
  'asterisk-json',
  'freeswitch-csv',
  'freeswitch-xml',
  'freeswitch-json',
  'yeastar',
  'grandstream-csv',
  'grandstream-json',
  '3cx',
  'cucm',
  'ipoffice-smdr',
  'generic-csv',
] as const;
export type CdrFormat = (typeof CDR_FORMATS)[number];

export function isCdrFormat(value: string): value is CdrFormat {
  return (CDR_FORMATS as readonly string[]).includes(value);
}

/** As far as the PBX tells; the rating layer makes the final call type from the numbers. */
export type CallDirection = 'outbound' | 'inbound' | 'internal' | 'unknown';
export type CallDisposition = 'answered' | 'no_answer' | 'busy' | 'failed' | 'unknown';

/** Where a record sits in what was received: line-framed input has `line` and `offset`; bodies have `index`. */
export interface RecordPosition {
  /** 1-based line number in the file or connection. */
  line?: number;
  /** Byte offset of the record's first byte in the file or connection. */
  offset?: number;
  /** 0-based index of the record inside a body that holds several (a JSON array, a multi-record document). */
  index?: number;
}

export interface NormalizedCdr {
  deviceId: string;
  format: CdrFormat;
  /** The PBX's own id for the record, where the format has one. */
  nativeId: string | null;
  /** Unique per device: built from the native id where there is one, else `sha256:` + hash of the normalized fields. */
  dedupKey: string;
  startMs: number;
  /** null when the call was never answered. */
  answerMs: number | null;
  endMs: number;
  /** Whole seconds from start to end. */
  duration: number;
  /** Whole seconds from answer to end (0 when unanswered). */
  billsec: number;
  caller: string;
  callerName: string;
  /** The number as dialled (before any route prefix rule). */
  callee: string;
  originalCallee?: string;
  finalCallee?: string;
  direction: CallDirection;
  /** How the direction was decided, where the format leaves it to a guess (Asterisk: device settings or channel shapes). */
  directionReason?: string;
  trunkIn?: string;
  trunkOut?: string;
  disposition: CallDisposition;
  /** The PBX's hangup or release cause, as given. */
  cause?: string;
  accountCode?: string;
  /** Card number or PIN entered for the call (card-number billing). */
  pin?: string;
  /** The record as received (several lines joined by "\n" when a call spans records). */
  raw: string;
  position: RecordPosition;
  /** How many received records were joined into this one (IP Office SMDR continuation records); absent means 1. */
  joinedRecords?: number;
  /** Where the PBX reports one call in several records (legs): this record's part. Absent: the record is the call. */
  leg?: CallLeg;
}

/**
 * The part a record plays in a call the PBX reports in several records: FreeSWITCH A and B legs (`legs="ab"`) and
 * loopback legs, a Grandstream UCM main CDR and its sub-CDRs, a CUCM recording or monitoring call.
 */
export const CALL_LEG_ROLES = ['a', 'b', 'loopback', 'main', 'sub', 'recording'] as const;
export type CallLegRole = (typeof CALL_LEG_ROLES)[number];

export interface CallLeg {
  /** This record's part; null: the record names no other leg (it is the call, unless another record names it). */
  role: CallLegRole | null;
  /** Shared by the records of one call (FreeSWITCH: the A leg's uuid; UCM: the main CDR's id; CUCM: a leg id of the call). */
  callId: string;
  /** Whether this record is the one charged for the call (the device's billed-leg setting applied); false: never charged. */
  billed: boolean;
  /**
   * The id of another leg this record names without that leg naming it back (a FreeSWITCH CSV A leg's `bleg_uuid`):
   * the record with that id as its call id is this call's other leg, whichever of the two arrives first.
   */
  otherLegId?: string;
}

/** Which leg of a FreeSWITCH call is charged (device setting `formatOptions.billedLeg`); the other legs are linked. */
export const BILLED_LEGS = ['a', 'b'] as const;
export type BilledLeg = (typeof BILLED_LEGS)[number];

/** A record that could not be read: kept with what was wrong and where, re-processable after a fix. */
export interface CdrReject {
  raw: string;
  reason: string;
  position: RecordPosition;
}

/** Input that is not a call record by design (header lines, column-type lines, blank lines): counted, not stored. */
export interface SkippedRecord {
  position: RecordPosition;
  reason: string;
}

/** What one adapter step produced. Every record pushed ends up in exactly one list (or is held, see the parser). */
export interface CdrParseResult {
  cdrs: NormalizedCdr[];
  rejects: CdrReject[];
  skipped: SkippedRecord[];
}

/** Fields of a NormalizedCdr a generic delimited file can map a column to. */
export const GENERIC_CSV_FIELDS = [
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'caller',
  'callerName',
  'callee',
  'originalCallee',
  'finalCallee',
  'direction',
  'trunkIn',
  'trunkOut',
  'disposition',
  'cause',
  'accountCode',
  'pin',
  'nativeId',
] as const;
export type GenericCsvField = (typeof GENERIC_CSV_FIELDS)[number];

/** Per-device layout of a generic delimited file. Validate device settings with this schema. */
export const genericCsvOptionsSchema = z
  .object({
    /** Column of each field: a header name (needs `header: true`) or a 0-based index. */
    columns: z.partialRecord(z.enum(GENERIC_CSV_FIELDS), z.union([z.string().min(1), z.number().int().min(0)])),
    /** One character; `\t` for tab-separated files. */
    delimiter: z.string().length(1).default(','),
    /** Whether the file starts with a header line naming the columns. */
    header: z.boolean().default(true),
    /**
     * How dates are written: tokens YYYY YY MM M DD D HH H mm m ss s SSS (anything else is literal), or `epoch`
     * (seconds), `epoch-ms`, `iso` (ISO 8601; an offset or Z in the text wins over the time zone).
     */
    dateFormat: z.string().min(1).default('YYYY-MM-DD HH:mm:ss'),
    /** IANA zone of the dates in the file when it differs from the device's. */
    timeZone: z.string().min(1).optional(),
    /** Unit of duration and billsec: seconds, milliseconds, or `hms` (H:MM:SS or MM:SS). */
    durationUnit: z.enum(['s', 'ms', 'hms']).default('s'),
  })
  .refine((o) => o.columns.start !== undefined && o.columns.caller !== undefined && o.columns.callee !== undefined, {
    message: 'columns must map at least start, caller and callee',
    params: { key: 'field.csvColumns' },
    path: ['columns'],
  });
export type GenericCsvOptions = z.output<typeof genericCsvOptionsSchema>;
export type GenericCsvOptionsInput = z.input<typeof genericCsvOptionsSchema>;

/** What an adapter knows about the device whose records it reads. */
export interface DeviceContext {
  deviceId: string;
  /** IANA zone of the device's local-time fields, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Format-specific settings, as FORMAT_OPTIONS_SCHEMAS checks them when the device is saved. */
  formatOptions?: GenericCsvOptionsInput | AsteriskOptionsInput | Record<string, unknown>;
  /** The device's extension numbers as a regular expression matched whole (e.g. `8\d{3}`), if set. */
  extensionPattern?: string;
}

/** The CDR() variables Asterisk's CDR backends write; a column map may name others (user variables), kept raw only. */
export const ASTERISK_CDR_FIELDS = [
  'accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer',
  'end', 'duration', 'billsec', 'disposition', 'amaflags', 'uniqueid', 'userfield', 'peeraccount', 'linkedid', 'sequence',
] as const;
export type AsteriskCdrField = (typeof ASTERISK_CDR_FIELDS)[number];

const NAME_LIST_ITEM = /^[^\s,]+$/;

/**
 * Per-device settings of `asterisk-csv` and `asterisk-json`. Without them, Master.csv (cdr_csv) and the stock
 * cdr_custom mapping are told apart by the shape of their columns, and direction is guessed from channel names and
 * contexts; these settings decide it instead.
 */
export const asteriskOptionsSchema = z.strictObject({
  /**
   * A cdr_custom mapping other than the stock one (asterisk-csv only): the CDR() variable of each column in order,
   * as in the mapping (`clid`, `src`, `start`...); '' for a column to leave out. Lines must have exactly this many.
   */
  columns: z
    .array(z.string().trim().max(64).regex(/^(?:[A-Za-z_][\w-]*)?$/, keyed('field.cdrVariable', 'must be a CDR() variable name (letters, digits, _ and -) or empty')))
    .min(3)
    .max(100)
    .refine((names) => names.includes('start') && names.includes('dst') && (names.includes('src') || names.includes('clid')), {
      message: 'must name at least start, dst, and src or clid',
      params: { key: 'field.cdrColumnsRequired' },
    })
    .refine((names) => new Set(names.filter((n) => n !== '')).size === names.filter((n) => n !== '').length, {
      message: 'names a column twice',
      params: { key: 'field.columnTwice' },
    })
    .optional(),
  /** Field separator of a cdr_custom advanced mapping (`separator_character`); one character. */
  delimiter: z.string().length(1).default(','),
  /**
   * Channels that are trunks: `SIP/211553` or `211553` (any technology) match that peer's channels; `*` stands for
   * any text (`PJSIP/trunk-*`, `DAHDI/*`). When set, a channel matching none is an extension.
   */
  trunkChannels: z.array(z.string().trim().min(1).max(120).regex(NAME_LIST_ITEM, keyed('field.channelPattern', 'one channel pattern per entry, without spaces or commas'))).max(100).default([]),
  /** Dialplan contexts where calls from outside enter (`from-trunk`, `from-pstn`, `from-did-*`): their calls are inbound. */
  inboundContexts: z.array(z.string().trim().min(1).max(80).regex(NAME_LIST_ITEM, keyed('field.contextName', 'one context per entry, without spaces or commas'))).max(100).default([]),
});
export type AsteriskOptions = z.output<typeof asteriskOptionsSchema>;
export type AsteriskOptionsInput = z.input<typeof asteriskOptionsSchema>;

/** Settings of `freeswitch-csv`, `freeswitch-xml` and `freeswitch-json`: which leg of a call is charged. */
export const freeswitchOptionsSchema = z.strictObject({
  /** `a` (the default): the calling channel; `b`: the called channel. The other legs are stored linked, never charged. */
  billedLeg: z.string().regex(/^[abAB]$/, keyed('field.billedLeg', "must be 'a' (the calling leg, the default) or 'b' (the called leg)")).optional(),
});

/** Settings of `cucm`: calls to these numbers are recording legs of the call they record, never charged. */
export const cucmOptionsSchema = z.strictObject({
  recorderNumbers: z
    .array(z.string().trim().max(50).regex(/^\+?[0-9*#]+$/, keyed('field.directoryNumber', 'must be a directory number (digits, * and #, an optional leading +)')))
    .max(100)
    .optional(),
});

/** 3CX's CDR field names in its stock order (27 since v15; v14 wrote the first 26). */
export const THREECX_CDR_FIELDS = [
  'historyid', 'callid', 'duration', 'time-start', 'time-answered', 'time-end', 'reason-terminated', 'from-no', 'to-no',
  'from-dn', 'to-dn', 'dial-no', 'reason-changed', 'final-number', 'final-dn', 'bill-code', 'bill-rate', 'bill-cost',
  'bill-name', 'chain', 'from-type', 'to-type', 'final-type', 'from-dispname', 'to-dispname', 'final-dispname',
  'missed-queue-calls',
] as const;

/** A 3CX field name as the adapter compares it: `Time_Start`, `time-start` and `timestart` are one field. */
const threeCxKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const THREECX_KEYS = new Set<string>(THREECX_CDR_FIELDS.map(threeCxKey));

/** Settings of `3cx`: the field order set in 3CX, for a stream without a header line that is not the stock order. */
export const threeCxOptionsSchema = z.strictObject({
  fields: z
    .array(
      z.string().superRefine((name, ctx) => {
        if (THREECX_KEYS.has(threeCxKey(name))) return;
        // The wrong name travels as a param, so the clerk's language names it too.
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(name)} is not a 3CX CDR field (historyid, callid, time-start, from-no, ...)`,
          params: { key: 'field.threeCxField', name },
        });
      }),
    )
    .min(1)
    .max(THREECX_CDR_FIELDS.length)
    .refine((names) => names.some((name) => threeCxKey(name) === 'timestart'), { message: 'must include time-start', params: { key: 'field.threeCxTimeStart' } })
    .optional(),
});

/** Formats that take no settings: any key given is a mistake (a setting meant for another format). */
const noOptionsSchema = z.strictObject({});

/** The schema of each format's device settings (`formatOptions`), checked when a device is saved. */
export const FORMAT_OPTIONS_SCHEMAS: Record<CdrFormat, z.ZodType> = {
  'asterisk-csv': asteriskOptionsSchema,
  'asterisk-json': asteriskOptionsSchema,
  'freeswitch-csv': freeswitchOptionsSchema,
  'freeswitch-xml': freeswitchOptionsSchema,
  'freeswitch-json': freeswitchOptionsSchema,
  yeastar: noOptionsSchema,
  'grandstream-csv': noOptionsSchema,
  'grandstream-json': noOptionsSchema,
  '3cx': threeCxOptionsSchema,
  cucm: cucmOptionsSchema,
  'ipoffice-smdr': noOptionsSchema,
  'generic-csv': genericCsvOptionsSchema,
};
