/**
 * Yeastar call records pushed as JSON (HTTP, resent until answered with 200, or TCP, one object per line):
 * - S-series API v1/v2 `NewCdr` events, with Yeastar's own spellings (`callduraction`, `talkduraction`,
 *   `dsttrcunkname`; the cloud edition writes `desttrunkname` and `cdrid`);
 * - P-series event 30012 (`{"type":30012,"sn":...,"msg":"{...}"}`: the record is a JSON string inside the JSON,
 *   with snake_case names `call_id`, `time_start`, `call_duration`...).
 * `timestart` is device-local; there is no answer time, so it is start + (duration - talk time).
 * `pincode` is the card number of card-number billing.
 */
import type { CallDirection, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  clip,
  completeCallTimes,
  DeviceTimeReader,
  directionFromNumbers,
  dispositionFromStatus,
  finishCdr,
  secondsField,
  textOf,
} from './normalize';
import { describeJson, isJsonObject, JsonRecordParser, type JsonObject } from './record-parsers';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** P-series "call end details" event. */
const P_SERIES_CDR_EVENT = 30012;

/** Each field's spellings, compared after lower-casing and removing underscores. */
const ALIASES = {
  callId: ['callid', 'cdrid'],
  uid: ['uid'],
  start: ['timestart'],
  caller: ['callfrom'],
  callee: ['callto'],
  duration: ['callduraction', 'callduration'],
  billsec: ['talkduraction', 'talkduration'],
  trunkIn: ['srctrunkname', 'srctrcunkname'],
  trunkOut: ['dsttrcunkname', 'dsttrunkname', 'desttrunkname'],
  pin: ['pincode'],
  status: ['status'],
  type: ['type'],
  did: ['didnumber'],
} as const;

function compactKeys(item: JsonObject): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const key of Object.keys(item)) result.set(key.toLowerCase().replace(/_/g, ''), item[key]);
  return result;
}

function pick(values: Map<string, unknown>, names: readonly string[]): string {
  for (const name of names) {
    const text = textOf(values.get(name));
    if (text !== '') return text;
  }
  return '';
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

  constructor(device: DeviceContext) {
    super('yeastar', device);
    this.times = new DeviceTimeReader(device.timeZone);
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
      duration: durationText === '' ? undefined : secondsField('callduraction', durationText),
      billsec: billsecText === '' ? 0 : secondsField('talkduraction', billsecText),
    });
    const caller = pick(values, ALIASES.caller);
    const callee = pick(values, ALIASES.callee);
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
          callerName: '',
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
