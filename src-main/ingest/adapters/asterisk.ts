/**
 * Asterisk: CSV lines (asterisk-csv: cdr_csv `Master.csv`, cdr_custom's stock mapping, or another cdr_custom mapping
 * by the device's column map; see ./asterisk-layout.ts) and cdr_custom JSON lines (asterisk-json).
 *
 * Times are device-local (unless usegmtime=yes: then give the device the zone UTC) or epoch seconds
 * (`${CDR(start,u)}`, `start(int64)`). An unanswered call has an empty answer time. Direction comes from the device's
 * settings or a guess, with its reason (./asterisk-direction.ts).
 */
import {
  asteriskOptionsSchema,
  type AsteriskOptions,
  type CdrFormat,
  type DeviceContext,
  type RecordPosition,
} from '../../../src-shared/domain/cdr';
import { AsteriskDirection, extensionMatcher } from './asterisk-direction';
import {
  asteriskSeconds,
  checkColumnKinds,
  columnsByShape,
  columnsOfHeader,
  columnsOfMap,
  dispositionWord,
  emptyFields,
  recordOf,
  type AsteriskCdrFields,
  type AsteriskColumns,
} from './asterisk-layout';
import {
  completeCallTimes,
  DeviceTimeReader,
  dispositionFromStatus,
  finishCdr,
  parseCallerId,
  textOf,
} from './normalize';
import { DelimitedLineParser, JsonRecordParser, lowerCaseKeys, type JsonObject } from './record-parsers';
import { parseEpochSeconds, parseWallClock } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** Local `YYYY-MM-DD HH:MM:SS`, or epoch seconds as `${CDR(start,u)}` writes them. */
function asteriskTime(times: DeviceTimeReader, field: string, text: string): number {
  if (Number.isNaN(parseWallClock(text))) {
    const epochMs = parseEpochSeconds(text);
    if (!Number.isNaN(epochMs)) return epochMs;
  }
  return times.local(field, text);
}

/** What every Asterisk record of one device is read with. */
interface AsteriskReading {
  times: DeviceTimeReader;
  direction: AsteriskDirection;
  options: AsteriskOptions;
}

/** The device's Asterisk settings, checked once; a string says what is wrong with them. */
function readingOf(device: DeviceContext): AsteriskReading | string {
  const parsed = asteriskOptionsSchema.safeParse(device.formatOptions ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `device format options: ${issue.path.join('.') || 'options'}: ${issue.message}`;
  }
  const options = parsed.data;
  return {
    options,
    times: new DeviceTimeReader(device.timeZone),
    direction: new AsteriskDirection({
      trunkChannels: options.trunkChannels,
      inboundContexts: options.inboundContexts,
      extensionPattern: extensionMatcher(device.extensionPattern),
    }),
  };
}

function disposition(record: AsteriskCdrFields, billsec: number) {
  const word = dispositionWord(record.disposition);
  return (word === null ? null : dispositionFromStatus(word)) ?? (billsec > 0 ? 'answered' : 'unknown');
}

/** Normalizes one Asterisk CDR (any layout) and adds it to `out`. */
function addAsteriskCdr(
  record: AsteriskCdrFields,
  raw: string,
  position: RecordPosition,
  reading: AsteriskReading,
  device: DeviceContext,
  format: CdrFormat,
  out: ParseOutcome,
): void {
  const { times } = reading;
  // Local text: its wall clock goes into the dedup key (epoch seconds are instants already).
  const startWall = parseWallClock(record.start);
  const startWallMs = Number.isNaN(startWall) ? undefined : startWall;
  const startMs = startWallMs === undefined ? asteriskTime(times, 'start', record.start) : times.fromWallClock('start', startWallMs);
  const answerMs = record.answer === '' ? null : asteriskTime(times, 'answer', record.answer);
  const endMs = record.end === '' ? undefined : asteriskTime(times, 'end', record.end);
  const duration = record.duration === '' ? undefined : asteriskSeconds('duration', record.duration);
  const billsec = record.billsec === '' ? undefined : asteriskSeconds('billsec', record.billsec);
  const callTimes = completeCallTimes({ startMs, answerMs, endMs, duration, billsec });
  const callerId = parseCallerId(record.clid);
  const caller = record.src !== '' ? record.src : callerId.number;
  const routing = reading.direction.decide({
    channel: record.channel,
    dstchannel: record.dstchannel,
    dcontext: record.dcontext,
    caller,
    callee: record.dst,
  });
  const uniqueid = record.uniqueid !== '' ? record.uniqueid : null;
  const cdr = finishCdr(
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
      disposition: disposition(record, callTimes.billsec),
      accountCode: record.accountcode,
      raw,
      position,
      // Without a sequence, several CDRs of one channel share the uniqueid: the key adds a hash of the fields.
      hashExtras: [record.channel, record.dstchannel, record.lastdata, record.userfield],
    },
    device,
    format,
  );
  cdr.directionReason = routing.reason;
  out.cdrs.push(cdr);
}

class AsteriskCsvParser extends DelimitedLineParser {
  private readonly reading: AsteriskReading | string;
  /** The device's column map, if it has one. */
  private readonly mapped: AsteriskColumns | null;
  /** Columns named by a header line of this stream (a database export), when the device has no map. */
  private headerColumns: AsteriskColumns | null = null;

  constructor(device: DeviceContext) {
    const reading = readingOf(device);
    super('asterisk-csv', device, typeof reading === 'string' ? ',' : reading.options.delimiter);
    this.reading = reading;
    this.mapped = typeof reading !== 'string' && reading.options.columns ? columnsOfMap(reading.options.columns) : null;
    // FreePBX/MySQL exports write NULL for an empty column.
    this.splitOptions = { unquotedNullIsEmpty: true };
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (typeof this.reading === 'string') {
      out.reject(raw, position, this.reading);
      return;
    }
    const header = columnsOfHeader(fields);
    if (header !== null) {
      if (this.mapped === null) this.headerColumns = header;
      out.skip(position, 'header line (column names)');
      return;
    }
    const columns = this.columnsOf(fields);
    if (typeof columns === 'string') {
      out.reject(raw, position, columns);
      return;
    }
    const record = recordOf(fields, columns);
    checkColumnKinds(record, columns);
    addAsteriskCdr(record, raw, position, this.reading, this.device, this.format, out);
  }

  private columnsOf(fields: string[]): AsteriskColumns | string {
    const named = this.mapped ?? this.headerColumns;
    if (named === null) return columnsByShape(fields);
    if (fields.length !== named.length) {
      const by = this.mapped ? "the device's column map" : 'the header line';
      return `expected ${named.length} columns as in ${by}, found ${fields.length}`;
    }
    return named;
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
  private readonly reading: AsteriskReading | string;

  constructor(device: DeviceContext) {
    super('asterisk-json', device);
    this.reading = readingOf(device);
  }

  protected readObject(item: JsonObject, raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (typeof this.reading === 'string') {
      out.reject(raw, position, this.reading);
      return;
    }
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
    if (record.disposition !== '' && dispositionWord(record.disposition) === null) {
      throw new FieldError('disposition', `'${record.disposition.slice(0, 60)}' is not an Asterisk disposition (ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION)`);
    }
    addAsteriskCdr(record, raw, position, this.reading, this.device, this.format, out);
  }
}

export const asteriskCsvAdapter: CdrAdapter = {
  format: 'asterisk-csv',
  framing: 'line',
  description:
    "Asterisk CSV: cdr_csv Master.csv (16 to 21 columns) or cdr_custom's stock mapping (19 columns), recognised by their columns; another cdr_custom mapping by the device's column map",
  createParser: (device) => new AsteriskCsvParser(device),
};

export const asteriskJsonAdapter: CdrAdapter = {
  format: 'asterisk-json',
  framing: 'json',
  description: 'Asterisk cdr_custom JSON, one object per line, with CDR() variable names',
  createParser: (device) => new AsteriskJsonParser(device),
};
