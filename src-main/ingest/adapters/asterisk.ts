/**
 * Asterisk: cdr_csv `Master.csv` (asterisk-csv) and cdr_custom JSON lines (asterisk-json).
 *
 * cdr_csv writes 16 columns, then `uniqueid` if loguniqueid=yes, `userfield` if loguserfield=yes, then
 * `peeraccount, linkedid, sequence` if newcdrcolumns=yes; no header. Times are device-local (unless usegmtime=yes:
 * then give the device the zone UTC). An unanswered call has an empty answer time.
 */
import type { CdrFormat, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  completeCallTimes,
  DeviceTimeReader,
  directionFromChannels,
  dispositionFromStatus,
  finishCdr,
  parseCallerId,
  secondsField,
  textOf,
} from './normalize';
import {
  DelimitedLineParser,
  JsonRecordParser,
  lowerCaseKeys,
  type JsonObject,
} from './record-parsers';
import { parseEpochSeconds, parseWallClock } from './time';
import type { CdrAdapter, ParseOutcome } from './types';

/** The fields of an Asterisk CDR, as the CDR() dialplan function names them. */
export interface AsteriskCdrFields {
  accountcode: string;
  src: string;
  dst: string;
  dcontext: string;
  clid: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  start: string;
  answer: string;
  end: string;
  duration: string;
  billsec: string;
  disposition: string;
  amaflags: string;
  uniqueid: string;
  userfield: string;
  peeraccount: string;
  linkedid: string;
  sequence: string;
}

const BASE_COLUMNS = 16;
/** `1772414102.26`, or with a system name prefix `pbx1-1772414102.26`. */
const UNIQUEID_RE = /^(?:[\w.-]+-)?\d{9,11}\.\d+$/;

/** Names the extra columns after the 16 standard ones, from their count (and, for 17 and 20, their shape). */
function extraColumnNames(fields: string[]): (keyof AsteriskCdrFields)[] {
  const newColumns: (keyof AsteriskCdrFields)[] = ['peeraccount', 'linkedid', 'sequence'];
  const uniqueidOrUserfield = () => (UNIQUEID_RE.test(fields[BASE_COLUMNS]!) ? 'uniqueid' : 'userfield');
  switch (fields.length - BASE_COLUMNS) {
    case 1:
      return [uniqueidOrUserfield()];
    case 2:
      return ['uniqueid', 'userfield'];
    case 3:
      return newColumns;
    case 4:
      return [uniqueidOrUserfield(), ...newColumns];
    case 5:
      return ['uniqueid', 'userfield', ...newColumns];
    default:
      return []; // unknown layout: the 16 standard columns still hold the call
  }
}

const BASE_NAMES: (keyof AsteriskCdrFields)[] = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
];

function emptyFields(): AsteriskCdrFields {
  return {
    accountcode: '', src: '', dst: '', dcontext: '', clid: '', channel: '', dstchannel: '', lastapp: '',
    lastdata: '', start: '', answer: '', end: '', duration: '', billsec: '', disposition: '', amaflags: '',
    uniqueid: '', userfield: '', peeraccount: '', linkedid: '', sequence: '',
  };
}

/** Local `YYYY-MM-DD HH:MM:SS`, or epoch seconds as `${CDR(start,u)}` writes them. */
function asteriskTime(times: DeviceTimeReader, field: string, text: string): number {
  if (Number.isNaN(parseWallClock(text))) {
    const epochMs = parseEpochSeconds(text);
    if (!Number.isNaN(epochMs)) return epochMs;
  }
  return times.local(field, text);
}

/** Normalizes one Asterisk CDR (any layout) and adds it to `out`. */
export function addAsteriskCdr(
  record: AsteriskCdrFields,
  raw: string,
  position: RecordPosition,
  times: DeviceTimeReader,
  device: DeviceContext,
  format: CdrFormat,
  out: ParseOutcome,
): void {
  // Local text: its wall clock goes into the dedup key (epoch seconds are instants already).
  const startWall = parseWallClock(record.start);
  const startWallMs = Number.isNaN(startWall) ? undefined : startWall;
  const startMs = startWallMs === undefined ? asteriskTime(times, 'start', record.start) : times.fromWallClock('start', startWallMs);
  const answerMs = record.answer === '' ? null : asteriskTime(times, 'answer', record.answer);
  const endMs = record.end === '' ? undefined : asteriskTime(times, 'end', record.end);
  const duration = record.duration === '' ? undefined : secondsField('duration', record.duration);
  const billsec = record.billsec === '' ? undefined : secondsField('billsec', record.billsec);
  const callTimes = completeCallTimes({ startMs, answerMs, endMs, duration, billsec });
  const callerId = parseCallerId(record.clid);
  const caller = record.src !== '' ? record.src : callerId.number;
  const routing = directionFromChannels(record.channel, record.dstchannel, caller, record.dst);
  const uniqueid = record.uniqueid !== '' ? record.uniqueid : null;
  out.cdrs.push(
    finishCdr(
      {
        nativeId: uniqueid,
        // One channel can leave several CDRs with one uniqueid; newcdrcolumns numbers them.
        dedupKey: uniqueid !== null && record.sequence !== '' ? `${uniqueid}:${record.sequence}` : undefined,
        ...callTimes,
        startWallMs,
        caller,
        callerName: callerId.name,
        callee: record.dst,
        direction: routing.direction,
        trunkIn: routing.trunkIn,
        trunkOut: routing.trunkOut,
        disposition: dispositionFromStatus(record.disposition) ?? (callTimes.billsec > 0 ? 'answered' : 'unknown'),
        accountCode: record.accountcode,
        raw,
        position,
        // Without a sequence, several CDRs of one channel share the uniqueid: the key adds a hash of the fields.
        hashExtras: [record.channel, record.dstchannel, record.lastdata, record.userfield],
      },
      device,
      format,
    ),
  );
}

class AsteriskCsvParser extends DelimitedLineParser {
  private readonly times: DeviceTimeReader;

  constructor(device: DeviceContext) {
    super('asterisk-csv', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (fields.length < BASE_COLUMNS) {
      out.reject(raw, position, `expected ${BASE_COLUMNS} or more columns, found ${fields.length}`);
      return;
    }
    const record = emptyFields();
    for (let i = 0; i < BASE_COLUMNS; i++) record[BASE_NAMES[i]!] = fields[i]!;
    extraColumnNames(fields).forEach((name, i) => (record[name] = fields[BASE_COLUMNS + i]!));
    addAsteriskCdr(record, raw, position, this.times, this.device, this.format, out);
  }
}

/** Template names for the same CDR variable (cdr_custom templates are written by hand). */
const JSON_ALIASES: Partial<Record<keyof AsteriskCdrFields, string[]>> = {
  start: ['start', 'calldate', 'start_time', 'starttime'],
  answer: ['answer', 'answer_time', 'answertime'],
  end: ['end', 'end_time', 'endtime'],
  accountcode: ['accountcode', 'account_code'],
  uniqueid: ['uniqueid', 'unique_id'],
};

class AsteriskJsonParser extends JsonRecordParser {
  private readonly times: DeviceTimeReader;

  constructor(device: DeviceContext) {
    super('asterisk-json', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  protected readObject(item: JsonObject, raw: string, position: RecordPosition, out: ParseOutcome): void {
    const values = lowerCaseKeys(item);
    const record = emptyFields();
    for (const name of Object.keys(record) as (keyof AsteriskCdrFields)[]) {
      for (const alias of JSON_ALIASES[name] ?? [name]) {
        const text = textOf(values[alias]);
        if (text !== '') {
          record[name] = text;
          break;
        }
      }
    }
    if (record.start === '') {
      out.reject(raw, position, 'field start: missing (expected start or calldate)');
      return;
    }
    addAsteriskCdr(record, raw, position, this.times, this.device, this.format, out);
  }
}

export const asteriskCsvAdapter: CdrAdapter = {
  format: 'asterisk-csv',
  framing: 'line',
  description: 'Asterisk cdr_csv Master.csv (16 columns, with or without uniqueid, userfield, newcdrcolumns)',
  createParser: (device) => new AsteriskCsvParser(device),
};

export const asteriskJsonAdapter: CdrAdapter = {
  format: 'asterisk-json',
  framing: 'json',
  description: 'Asterisk cdr_custom JSON, one object per line, with CDR() variable names',
  createParser: (device) => new AsteriskJsonParser(device),
};
