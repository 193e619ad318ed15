/**
 * The catalogue of reject reasons: every sentence the adapters and the ingest pipeline write about a record they could
 * not read, as a key of the `engine` i18n namespace with its parameters. The English sentence stays what it was (tests,
 * logs and support read it); the key and parameters are taken from it here, in one place, so that a clerk reads the
 * reason in the UI language. A sentence no entry knows becomes `reject.other` (the English shown as the detail); the
 * corpus and fuzz inputs are checked to never end there.
 */
import type { ReasonProblem } from '../../src-shared/api/reasons';

type Params = Record<string, string | number>;

interface Entry {
  key: string;
  /** Matched against the sentence after its position ("line 7: ") and field ("field start: ") prefixes. */
  pattern: RegExp;
}

/**
 * Problems of one field ("field billsec: …"): the field's name in the record goes to the `cdrField` parameter (the
 * device's own name for it, shown as written; `field` is the contract's field paths, which the UI translates).
 */
const FIELD_ENTRIES: Entry[] = [
  { key: 'reject.field.missing', pattern: /^(?:is )?(?:empty|missing)\b/ },
  { key: 'reject.field.notSeconds', pattern: /^'(?<value>[^]*)' is not a whole number of seconds$/ },
  { key: 'reject.field.notWholeNumber', pattern: /^'(?<value>[^]*)' is not a whole number$/ },
  { key: 'reject.field.notNumber', pattern: /^'(?<value>[^]*)' is not a number$/ },
  { key: 'reject.field.notSecondsNumber', pattern: /^'(?<value>[^]*)' is not a number of seconds$/ },
  { key: 'reject.field.notMillisecondsNumber', pattern: /^'(?<value>[^]*)' is not a number of milliseconds$/ },
  { key: 'reject.field.notDateTimeFormat', pattern: /^'(?<value>[^]*)' is not a date and time \((?<format>[^)]*)\)$/ },
  { key: 'reject.field.notDateTime', pattern: /^'(?<value>[^]*)' is not a date and time$/ },
  { key: 'reject.field.notDateFormat', pattern: /^'(?<value>[^]*)' does not match the date format '(?<format>[^]*)'$/ },
  { key: 'reject.field.notUnixTime', pattern: /^'(?<value>[^]*)' is not a Unix time in seconds$/ },
  { key: 'reject.field.notDuration', pattern: /^'(?<value>[^]*)' is not a duration \(HH:MM:SS\)$/ },
  { key: 'reject.field.notDisposition', pattern: /^'(?<value>[^]*)' is not an Asterisk disposition\b/ },
  { key: 'reject.field.notAmaFlag', pattern: /^'(?<value>[^]*)' is not an AMA flag\b/ },
  { key: 'reject.field.notChannelUuid', pattern: /^'(?<value>[^]*)' is not a channel uuid$/ },
  { key: 'reject.field.notHangupCause', pattern: /^'(?<value>[^]*)' is not a hangup cause name$/ },
  { key: 'reject.field.notCauseCode', pattern: /^'(?<value>[^]*)' is not a Q\.850 cause code$/ },
  { key: 'reject.field.notFlag', pattern: /^'(?<value>[^]*)' is not 0 or 1$/ },
  { key: 'reject.field.notDirection', pattern: /^'(?<value>[^]*)' is not I or O$/ },
  { key: 'reject.field.notAmount', pattern: /^'(?<value>[^]*)' is not an amount$/ },
  { key: 'reject.field.notIpAddress', pattern: /^'(?<value>[^]*)' is not an IPv4 address$/ },
  { key: 'reject.field.localTime', pattern: /^cannot read local time: device (?<detail>[^]*)$/ },
  { key: 'reject.field.beforeStart', pattern: /^(?<time>\S+) is before the start (?<start>\S+)$/ },
  { key: 'reject.field.longerThanCall', pattern: /^(?<billsec>\d+) s is longer than the whole call \((?<duration>\d+) s\)$/ },
  { key: 'reject.field.nul', pattern: /^holds a NUL byte\b/ },
  { key: 'reject.field.notJsonObject', pattern: /^expected a JSON object, found (?<found>[^]*)$/ },
  { key: 'reject.field.notJsonDetails', pattern: /^expected the call details as JSON, found (?<found>[^]*)$/ },
  { key: 'reject.field.notJson', pattern: /^not JSON \((?<detail>[^]*)\)$/ },
];

/** Problems of a whole record or line. */
const RECORD_ENTRIES: Entry[] = [
  { key: 'reject.line.tooLong', pattern: /^line is (?<bytes>\d+) bytes long, more than the (?<max>\d+) bytes accepted; only its start is kept$/ },
  { key: 'reject.body.tooLarge', pattern: /^body is (?<bytes>\d+) bytes, more than the (?<max>\d+) bytes accepted$/ },
  { key: 'reject.line.connectionClosed', pattern: /^the connection closed in the middle of this line\b/ },
  { key: 'reject.notStored', pattern: /^could not be stored \((?<detail>[^]*)\); reprocess it once the cause is fixed$/ },
  { key: 'reject.tooOld', pattern: /^the call started (?<start>\S+), before (?<horizon>\S+): CDRs of that time were archived and purged\b/ },
  { key: 'reject.adapterError', pattern: /^could not be read \((?<format>\S+) adapter error: (?<detail>[^]*)\)$/ },
  { key: 'reject.heldRecords', pattern: /^held records could not be emitted \((?<format>\S+) adapter error: (?<detail>[^]*)\)$/ },
  { key: 'reject.deviceOptions', pattern: /^device format options: (?<detail>[^]*)$/ },
  // Delimited lines.
  { key: 'reject.csv.nul', pattern: /^column (?<column>\d+): holds a NUL byte\b/ },
  { key: 'reject.csv.quoteNotClosed', pattern: /^column (?<column>\d+): quoted field is not closed before the end of the line$/ },
  { key: 'reject.csv.quoteAfterQuoted', pattern: /^column (?<column>\d+): unbalanced quote after the quoted text$/ },
  { key: 'reject.csv.quoteInUnquoted', pattern: /^column (?<column>\d+): unbalanced quote inside an unquoted field$/ },
  // Column counts.
  { key: 'reject.columns.atLeast', pattern: /^expected (?:at least )?(?<expected>\d+)(?: or more)? columns, found (?<found>\d+)$/ },
  { key: 'reject.columns.exact', pattern: /^expected (?<expected>\d+) columns, found (?<found>\d+)$/ },
  { key: 'reject.columns.asHeader', pattern: /^expected (?<expected>[\d, or]+?) columns (?:as in the header(?: line)?|\(as the header line names(?: them)?\)), found (?<found>\d+)$/ },
  { key: 'reject.columns.asColumnMap', pattern: /^expected (?<expected>\d+) columns as in the device's column map, found (?<found>\d+)$/ },
  { key: 'reject.columns.asFirstRecord', pattern: /^expected (?<expected>\d+) columns \(as the first record has\), found (?<found>\d+)$/ },
  { key: 'reject.columns.stock', pattern: /^expected (?<expected>[\d, or]+?) columns \(3CX's stock field list\), found (?<found>\d+)$/ },
  { key: 'reject.columns.freeswitchTemplates', pattern: /^expected (?<example>\d+) columns \(example template\) or (?<default>\d+) \(default template\), found (?<found>\d+)$/ },
  { key: 'reject.columns.ipOffice', pattern: /^expected 30, 34 or 35 columns \(17 in the short layout\), found (?<found>\d+)$/ },
  { key: 'reject.columns.asteriskLayouts', pattern: /^expected 16 to 21 columns \(Master\.csv\) or 19 \(cdr_custom's stock mapping\), found (?<found>\d+)\b/ },
  { key: 'reject.columns.asteriskStockDisposition', pattern: /^the disposition is in column 14 as in cdr_custom's stock mapping, which has 19 columns, found (?<found>\d+)\b/ },
  // Header lines.
  { key: 'reject.header.missing', pattern: /^no header line before this record\b/ },
  { key: 'reject.header.lacksColumns', pattern: /^(?:the )?header line lacks the (?:mapped )?columns (?<columns>[^]*)$/ },
  { key: 'reject.header.noStartColumn', pattern: /^the header line names no time-start column$/ },
  // JSON and XML.
  { key: 'reject.json.nul', pattern: /^NUL byte at column (?<column>\d+)(?: \(in "(?<name>[^"]*)"\))?: the record is damaged$/ },
  { key: 'reject.json.invalid', pattern: /^not JSON \((?<detail>[^]*)\)$/ },
  { key: 'reject.json.notObject', pattern: /^expected a JSON object, found (?<found>[^]*)$/ },
  { key: 'reject.json.notObjectOrArray', pattern: /^expected a JSON object or array, found (?<found>[^]*)$/ },
  { key: 'reject.json.noVariables', pattern: /^expected a JSON object with variables$/ },
  { key: 'reject.document.nul', pattern: /^NUL byte at line (?<docLine>\d+), column (?<column>\d+)(?: \(in (?<name>[^)]*)\))?: the (?<kind>XML|JSON) document is damaged$/ },
  { key: 'reject.document.notDocument', pattern: /^expected (?:an|a) (?<kind>XML|JSON) document or a cdr= form field, found '(?<found>[^]*)'$/ },
  { key: 'reject.document.badCdrField', pattern: /^the cdr= field holds neither url-encoded nor base64 (?<kind>XML|JSON)$/ },
  { key: 'reject.xml.invalid', pattern: /^not well-formed XML \((?<detail>[^]*)\)$/ },
  { key: 'reject.xml.noCdr', pattern: /^XML has no <cdr> element$/ },
];

/** What a reject whose sentence no entry knows (or an old row stored before keys) shows: a general sentence. */
export const GENERIC_REJECT_KEY = 'reject.other';
/** The key of a field problem no field entry knows (the field is still named). */
const GENERIC_FIELD_KEY = 'reject.field.other';

/** Every key a reject can carry: the i18n catalogue (both engine.json files) must hold each. */
export const REJECT_REASON_KEYS: readonly string[] = [
  ...FIELD_ENTRIES.map((e) => e.key),
  ...RECORD_ENTRIES.map((e) => e.key),
  GENERIC_FIELD_KEY,
  GENERIC_REJECT_KEY,
];

const POSITION = /^(?:line (?<line>\d+)(?:, record (?<record>\d+))?|record (?<index>\d+)): /;
/** Grandstream names the sub-CDR a field problem is in: "sub_cdr_2: field start: missing". */
const PART = /^(?<part>[\w-]+): (?=field )/;
const FIELD = /^field (?<field>.+?): (?<rest>[^]*)$/;

/** Parameters from a match's named groups: digits become numbers, except values quoted from the record. */
function paramsOf(groups: Record<string, string | undefined> | undefined, into: Params): Params {
  for (const [name, value] of Object.entries(groups ?? {})) {
    if (value === undefined) continue;
    if (/^\d{1,15}$/.test(value) && name !== 'value') into[name] = Number(value);
    // "20, 21 or 22" columns: the list without the English word.
    else into[name] = name === 'expected' ? value.replace(/,? or /g, ', ') : value;
  }
  return into;
}

function match(entries: Entry[], text: string, params: Params): string | null {
  for (const entry of entries) {
    const m = entry.pattern.exec(text);
    if (m) {
      paramsOf(m.groups, params);
      return entry.key;
    }
  }
  return null;
}

/** The reason of a reject as a key and parameters (position: `line`, `record`; field problems: `cdrField`). */
export function rejectProblem(reason: string): ReasonProblem {
  const params: Params = {};
  let rest = reason;
  const at = POSITION.exec(rest);
  if (at) {
    const { line, record, index } = at.groups!;
    if (line !== undefined) params['line'] = Number(line);
    if (record !== undefined || index !== undefined) params['record'] = Number(record ?? index);
    rest = rest.slice(at[0].length);
  }
  const part = PART.exec(rest);
  if (part) {
    params['part'] = part.groups!['part']!;
    rest = rest.slice(part[0].length);
  }
  const field = FIELD.exec(rest);
  if (field) {
    params['cdrField'] = field.groups!['field']!;
    const key = match(FIELD_ENTRIES, field.groups!['rest']!, params) ?? GENERIC_FIELD_KEY;
    return { key, params, text: reason };
  }
  const key = match(RECORD_ENTRIES, rest, params);
  return key ? { key, params, text: reason } : { key: GENERIC_REJECT_KEY, params, text: reason };
}

/** A stored reject's problem: its key and parameters as stored, or the general sentence for a row stored before keys. */
export function storedRejectProblem(reason: string, key: string | null, params: string | null): ReasonProblem {
  if (key === null) return { key: GENERIC_REJECT_KEY, params: {}, text: reason };
  return { key, params: params ? (JSON.parse(params) as Params) : {}, text: reason };
}
