/**
 * Which Asterisk CSV layout a line is in, and what kind of text each typed field must hold.
 *
 * - cdr_csv `Master.csv`: 16 columns, then `uniqueid` if loguniqueid=yes, `userfield` if loguserfield=yes, then
 *   `peeraccount, linkedid, sequence` if newcdrcolumns=yes: 16 to 21 columns, disposition in column 15.
 * - cdr_custom with the mapping of Asterisk's own `cdr_custom.conf` sample (configs/samples/cdr_custom.conf.sample):
 *   clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
 *   disposition, amaflags, accountcode, uniqueid, userfield, sequence: 19 columns, disposition in column 14. Its
 *   high-resolution variant writes `${CDR(duration,f)}`: seconds with a fraction.
 * - any other cdr_custom mapping: the device's column map, or a header line naming the columns (database exports).
 * A line that fits none of these, or whose typed fields hold something else, is a reject: read as a call, a shifted
 * line would put a time where a number belongs, or nothing where the caller belongs, and could be charged.
 */
import { ASTERISK_CDR_FIELDS, type AsteriskCdrField } from '../../../src-shared/domain/cdr';
import { clip } from './normalize';
import { FieldError } from './types';

export type AsteriskCdrFields = Record<AsteriskCdrField, string>;

/** A column's CDR() variable, or null for a column read into nothing (a user variable, a literal). */
export type AsteriskColumns = readonly (AsteriskCdrField | null)[];

export function emptyFields(): AsteriskCdrFields {
  return {
    accountcode: '', src: '', dst: '', dcontext: '', clid: '', channel: '', dstchannel: '', lastapp: '',
    lastdata: '', start: '', answer: '', end: '', duration: '', billsec: '', disposition: '', amaflags: '',
    uniqueid: '', userfield: '', peeraccount: '', linkedid: '', sequence: '',
  };
}

const MASTER_BASE: AsteriskColumns = [
  'accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer',
  'end', 'duration', 'billsec', 'disposition', 'amaflags',
];
const MASTER_MIN = 16;
const MASTER_MAX = 21;

export const CDR_CUSTOM_STOCK: AsteriskColumns = [
  'clid', 'src', 'dst', 'dcontext', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer', 'end',
  'duration', 'billsec', 'disposition', 'amaflags', 'accountcode', 'uniqueid', 'userfield', 'sequence',
];
const STOCK_DISPOSITION_COLUMN = 13;
const MASTER_DISPOSITION_COLUMN = 14;

/** `1772414102.26`, or with a system name prefix `pbx1-1772414102.26`. */
const UNIQUEID_RE = /^(?:[\w.-]+-)?\d{9,11}\.\d+$/;

const NEW_COLUMNS: AsteriskColumns = ['peeraccount', 'linkedid', 'sequence'];
/** Master.csv layouts by the number of columns past the 16 (built once: this runs for every line). */
const MASTER_EXTRAS: Record<number, AsteriskColumns> = {
  2: [...MASTER_BASE, 'uniqueid', 'userfield'],
  3: [...MASTER_BASE, ...NEW_COLUMNS],
  5: [...MASTER_BASE, 'uniqueid', 'userfield', ...NEW_COLUMNS],
};
const WITH_UNIQUEID = [[...MASTER_BASE, 'uniqueid'], [...MASTER_BASE, 'uniqueid', ...NEW_COLUMNS]] as const;
const WITH_USERFIELD = [[...MASTER_BASE, 'userfield'], [...MASTER_BASE, 'userfield', ...NEW_COLUMNS]] as const;

/** Master.csv columns by their count (and, for 17 and 20, the shape of the 17th). */
function masterColumns(fields: readonly string[]): AsteriskColumns {
  const extra = fields.length - MASTER_MIN;
  if (extra === 1 || extra === 4) {
    const choice = UNIQUEID_RE.test(fields[MASTER_MIN]!) ? WITH_UNIQUEID : WITH_USERFIELD;
    return choice[extra === 1 ? 0 : 1];
  }
  return MASTER_EXTRAS[extra] ?? MASTER_BASE;
}

/** The columns of a line without a column map: Master.csv or the stock cdr_custom mapping, or why neither. */
export function columnsByShape(fields: readonly string[]): AsteriskColumns | string {
  const count = fields.length;
  if (count < MASTER_MIN) return `expected ${MASTER_MIN} or more columns, found ${count}`;
  if (count > MASTER_MAX) {
    return `expected 16 to 21 columns (Master.csv) or 19 (cdr_custom's stock mapping), found ${count}; set the device's column map for another cdr_custom mapping`;
  }
  const stockShaped = isDisposition(fields[STOCK_DISPOSITION_COLUMN]!);
  if (count === CDR_CUSTOM_STOCK.length && stockShaped) return CDR_CUSTOM_STOCK;
  if (stockShaped && !isDisposition(fields[MASTER_DISPOSITION_COLUMN]!)) {
    return `the disposition is in column 14 as in cdr_custom's stock mapping, which has 19 columns, found ${count}; set the device's column map for another cdr_custom mapping`;
  }
  return masterColumns(fields);
}

/** Column names as written in a header line (a database export, a collector); 'calldate' is the start. */
export function columnsOfHeader(fields: readonly string[]): AsteriskColumns | null {
  // Cheap test first: this runs for every line, and data lines have no field that reads 'src'.
  if (!fields.some((f) => f.length === 3 && f.toLowerCase() === 'src')) return null;
  const names = fields.map((f) => f.trim().toLowerCase());
  if (!names.includes('src') || !names.includes('dst') || !(names.includes('start') || names.includes('calldate'))) return null;
  if (!names.every((n) => /^[a-z_][\w-]*$/.test(n))) return null;
  return names.map((n) => (n === 'calldate' ? 'start' : isCdrField(n) ? n : null));
}

export function isCdrField(name: string): name is AsteriskCdrField {
  return (ASTERISK_CDR_FIELDS as readonly string[]).includes(name);
}

/** The device's column map: '' and user variables read into nothing. */
export function columnsOfMap(names: readonly string[]): AsteriskColumns {
  return names.map((n) => (n === 'calldate' ? 'start' : isCdrField(n) ? n : null));
}

/** Fills a record from a line by its columns. */
export function recordOf(fields: readonly string[], columns: AsteriskColumns): AsteriskCdrFields {
  const record = emptyFields();
  columns.forEach((name, i) => {
    if (name !== null) record[name] = fields[i]!;
  });
  return record;
}

const DISPOSITION_WORDS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION', 'UNKNOWN']);
/** `disposition(int64)` in an advanced mapping: Asterisk's enum ast_cdr_disposition. */
const DISPOSITION_CODES: Record<string, string> = { '0': 'NO ANSWER', '1': 'NO ANSWER', '2': 'FAILED', '4': 'BUSY', '8': 'ANSWERED', '16': 'CONGESTION' };
const AMAFLAGS = new Set(['OMIT', 'BILLING', 'DOCUMENTATION', 'DEFAULT', 'UNKNOWN', '0', '1', '2', '3', '']);

export function isDisposition(text: string): boolean {
  return DISPOSITION_WORDS.has(text);
}

/** The disposition word of a text Asterisk writes (a word, or an int64 code), or null when it is none. */
export function dispositionWord(text: string): string | null {
  const word = text.trim().toUpperCase();
  if (DISPOSITION_WORDS.has(word)) return word;
  return DISPOSITION_CODES[word] ?? null;
}

const SECONDS_RE = /^\d{1,12}(?:\.\d{1,6})?$/;

/** Whole seconds, or seconds with a fraction (`${CDR(billsec,f)}`), cut to whole seconds as Asterisk's own billsec is. */
export function asteriskSeconds(field: string, text: string): number {
  const trimmed = text.trim();
  if (!SECONDS_RE.test(trimmed)) throw new FieldError(field, `'${clip(text)}' is not a whole number of seconds`);
  return Math.floor(Number(trimmed));
}

/** The names in each layout, looked up per line (layouts are few and long-lived: the shapes above, a map, a header). */
const namesOf = new WeakMap<AsteriskColumns, Set<AsteriskCdrField | null>>();

/**
 * Checks what only a CSV line can get wrong (a JSON record names its fields): each typed column the layout has
 * holds its kind. Times are checked where they are read.
 */
export function checkColumnKinds(record: AsteriskCdrFields, columns: AsteriskColumns): void {
  let names = namesOf.get(columns);
  if (names === undefined) namesOf.set(columns, (names = new Set(columns.filter((n) => n !== null))));
  const has = (name: AsteriskCdrField) => names.has(name);
  if (record.start.trim() === '') throw new FieldError('start', 'is empty');
  if (has('end') && record.end.trim() === '') throw new FieldError('end', 'is empty');
  for (const name of ['duration', 'billsec'] as const) {
    if (has(name) && record[name].trim() === '') throw new FieldError(name, 'is empty');
  }
  if (has('disposition') && dispositionWord(record.disposition) === null) {
    throw new FieldError('disposition', `'${clip(record.disposition)}' is not an Asterisk disposition (ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION)`);
  }
  if (has('amaflags') && !AMAFLAGS.has(record.amaflags.trim().toUpperCase())) {
    throw new FieldError('amaflags', `'${clip(record.amaflags)}' is not an AMA flag (DOCUMENTATION, BILLING, OMIT)`);
  }
  if (record.sequence !== '' && !/^\d{1,12}$/.test(record.sequence.trim())) {
    throw new FieldError('sequence', `'${clip(record.sequence)}' is not a whole number`);
  }
}
