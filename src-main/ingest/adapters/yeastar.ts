/**
 * Yeastar call records pushed as JSON (HTTP, resent until answered with 200, or TCP, one object per line):
 * - S-series API v1/v2 `NewCdr` events, with Yeastar's own spellings (`callduraction`, `talkduraction`,
 *   `dsttrcunkname`; the cloud edition writes `desttrunkname` and `cdrid`);
 * - P-series event 30012 (`{"type":30012,"sn":...,"msg":"{...}"}`: the record is a JSON string inside the JSON,
 *   with snake_case names `call_id`, `time_start`, `call_duration`...).
 * `timestart` is device-local; there is no answer time, so it is start + (duration - talk time).
 * `pincode` is the card number of card-number billing.
 *
 * Records kept by a collector or downloaded from the PBX as CSV come with a header line naming the fields (the
 * API's names, `call_id`-style names of a database export, or the download's `Time,Call From,Call To,...`): the
 * header is skipped as a header line, and the lines after it are read by those names. `NULL` is an empty field.
 */
import type { CallDirection, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import { splitDelimitedLine } from './csv-line';
import { isDatabaseNull, nameKey } from './field-values';
import {
  clip,
  clockDurationField,
  completeCallTimes,
  DeviceTimeReader,
  directionFromNumbers,
  dispositionFromStatus,
  finishCdr,
  parseCallerId,
  secondsField,
  textOf,
} from './normalize';
import { describeJson, isBlank, isJsonObject, JsonRecordParser, stripBom, type JsonObject } from './record-parsers';
import { parseWallClock } from './time';
import { FieldError, ParseOutcome, type CdrAdapter, type SourceRecord } from './types';

/** P-series "call end details" event. */
const P_SERIES_CDR_EVENT = 30012;

/** Each field's spellings, compared as keys (see nameKey): the API's, and the CDR download's column names. */
const ALIASES = {
  callId: ['callid', 'cdrid', 'id'],
  uid: ['uid'],
  start: ['timestart', 'time'],
  caller: ['callfrom'],
  callee: ['callto'],
  duration: ['callduraction', 'callduration'],
  billsec: ['talkduraction', 'talkduration'],
  trunkIn: ['srctrunkname', 'srctrcunkname', 'sourcetrunk'],
  trunkOut: ['dsttrcunkname', 'dsttrunkname', 'desttrunkname', 'destinationtrunk'],
  pin: ['pincode'],
  status: ['status'],
  type: ['type', 'communicationtype'],
  did: ['didnumber', 'didddi', 'did'],
} as const;

const KNOWN_KEYS = new Set<string>(Object.values(ALIASES).flat());
/** A line naming at least this many Yeastar fields (and holding no time) is a header line. */
const HEADER_MIN_NAMES = 3;

function compactKeys(item: JsonObject): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const key of Object.keys(item)) result.set(nameKey(key), item[key]);
  return result;
}

function pick(values: Map<string, unknown>, names: readonly string[]): string {
  for (const name of names) {
    const text = textOf(values.get(name));
    if (text !== '' && !isDatabaseNull(text)) return text;
  }
  return '';
}

/** Seconds as the API sends them, or H:MM:SS as a download may show them. */
function durationField(field: string, text: string): number {
  return text.includes(':') ? clockDurationField(field, text) : secondsField(field, text);
}

/** Names of Yeastar fields and no time: the header line of a collector's or the PBX's CSV. */
function isHeaderLine(fields: readonly string[]): boolean {
  let names = 0;
  for (const field of fields) {
    if (!Number.isNaN(parseWallClock(field.trim()))) return false;
    if (KNOWN_KEYS.has(nameKey(field))) names++;
  }
  return names >= HEADER_MIN_NAMES;
}

function directionOf(type: string, caller: string, callee: string): CallDirection {
  switch (type.toLowerCase()) {
    case 'inbound':
      return 'inbound';
    case 'outbound':
      return 'outbound';
    case 'internal':
      return 'internal';
    default:
      return directionFromNumbers(caller, callee);
  }
}

class YeastarParser extends JsonRecordParser {
  private readonly times: DeviceTimeReader;
  /** The names of the last CSV header line: the CSV lines after it are records by these names. */
  private csvNames: string[] | null = null;

  constructor(device: DeviceContext) {
    super('yeastar', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  override push(record: SourceRecord, out = new ParseOutcome()): ParseOutcome {
    const text = stripBom(record.text);
    const first = text.trimStart()[0];
    if (isBlank(text) || first === '{' || first === '[') return super.push(record, out);
    const split = splitDelimitedLine(text, ',');
    if (split.ok && isHeaderLine(split.fields)) {
      this.csvNames = split.fields.map((f) => f.trim());
      out.skip(record.position, 'header line');
      return out;
    }
    if (this.csvNames === null) return super.push(record, out); // not JSON, and no header to read it by
    if (!split.ok) {
      out.reject(text, record.position, split.problem);
      return out;
    }
    if (split.fields.length !== this.csvNames.length) {
      out.reject(text, record.position, `expected ${this.csvNames.length} columns (as the header line names), found ${split.fields.length}`);
      return out;
    }
    const item: JsonObject = {};
    this.csvNames.forEach((name, i) => {
      item[name] = split.fields[i];
    });
    try {
      this.readObject(item, text, record.position, out);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      out.reject(text, record.position, error.message);
    }
    return out;
  }

  protected readObject(item: JsonObject, raw: string, position: RecordPosition, out: ParseOutcome): void {
    let record = item;
    if ('msg' in item && typeof item['type'] === 'number') {
      if (item['type'] !== P_SERIES_CDR_EVENT) {
        out.skip(position, `P-series event ${item['type']} is not a call record`);
        return;
      }
      const message = unwrapMessage(item['msg']);
      if (typeof message === 'string') {
        out.reject(raw, position, message);
        return;
      }
      record = message;
    }
    const values = compactKeys(record);
    const event = textOf(values.get('event') ?? values.get('action'));
    if (event !== '' && event.toLowerCase() !== 'newcdr') {
      out.skip(position, `event ${clip(event)} is not a call record`);
      return;
    }
    const startText = pick(values, ALIASES.start);
    if (startText === '') throw new FieldError('timestart', 'missing');
    const durationText = pick(values, ALIASES.duration);
    const billsecText = pick(values, ALIASES.billsec);
    const startWallMs = this.times.wallClock('timestart', startText);
    const callTimes = completeCallTimes({
      startMs: this.times.fromWallClock('timestart', startWallMs),
      duration: durationText === '' ? undefined : durationField('callduraction', durationText),
      billsec: billsecText === '' ? 0 : durationField('talkduraction', billsecText),
    });
    // The download writes a party as `Name<1001>`; the API sends the bare number.
    const from = parseCallerId(pick(values, ALIASES.caller));
    const to = parseCallerId(pick(values, ALIASES.callee));
    const caller = from.number;
    const callee = to.number;
    const callId = pick(values, ALIASES.callId);
    const uid = pick(values, ALIASES.uid);
    const status = pick(values, ALIASES.status);
    out.cdrs.push(
      finishCdr(
        {
          nativeId: callId !== '' ? callId : null,
          ...callTimes,
          startWallMs,
          caller,
          callerName: from.name,
          callee,
          originalCallee: pick(values, ALIASES.did),
          direction: directionOf(pick(values, ALIASES.type), caller, callee),
          trunkIn: pick(values, ALIASES.trunkIn),
          trunkOut: pick(values, ALIASES.trunkOut),
          // VOICEMAIL and other statuses: answered when there was talk time.
          disposition: dispositionFromStatus(status) ?? (callTimes.billsec > 0 ? 'answered' : 'no_answer'),
          cause: status,
          pin: pick(values, ALIASES.pin),
          raw,
          position,
          // The call id is shared by the legs of a transferred call: the key is the id plus a hash of the fields.
          hashExtras: [uid],
        },
        this.device,
        this.format,
      ),
    );
  }
}

/** The P-series `msg`: an object, or (usually) a JSON string holding one. */
function unwrapMessage(message: unknown): JsonObject | string {
  if (isJsonObject(message)) return message;
  if (typeof message !== 'string') return `field msg: expected the call details as JSON, found ${describeJson(message)}`;
  try {
    const parsed: unknown = JSON.parse(message);
    return isJsonObject(parsed) ? parsed : `field msg: expected a JSON object, found ${describeJson(parsed)}`;
  } catch (error) {
    return `field msg: not JSON (${clip((error as Error).message, 100)})`;
  }
}

export const yeastarAdapter: CdrAdapter = {
  format: 'yeastar',
  framing: 'json',
  description: 'Yeastar NewCdr JSON (S-series API v1/v2) and P-series event 30012',
  createParser: (device) => new YeastarParser(device),
};
