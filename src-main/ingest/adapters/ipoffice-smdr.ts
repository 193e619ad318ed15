/**
 * Avaya IP Office SMDR (sent over TCP): comma-separated, no header, device-local times. Fields in order:
 * call start, connected time (HH:MM:SS, ring/hold/park excluded), ring time (s), caller, direction (I/O),
 * called number, dialled number, account, is internal (0/1), call id, continuation (1 = more records follow for this
 * call), party 1 device and name, party 2 device and name, hold time, park time, auth valid, auth code, ...
 *
 * A transferred call spans several records sharing a call id, each with the same start time; the parser holds
 * them until the record with continuation 0 arrives (or flush) and emits one call with their connected times summed.
 *
 * Records have 30 fields, 34 since R9.1 (server addresses and call ids of both parties), 35 since R11 (the record's
 * time); the samples of this project stop at park time (17). Any other count is a reject: a shifted column must not
 * become a call. Collectors that log SMDR to files often start each file with a header line of their own
 * (`Call Start,Connected Time,...` or `DATETIME,DURATION,RING,...`): it is skipped as a header line.
 */
import type { CallDirection, DeviceContext, NormalizedCdr, RecordPosition } from '../../../src-shared/domain/cdr';
import { fieldValue, nameKey } from './field-values';
import { clip, clockDurationField, DeviceTimeReader, finishCdr, secondsField } from './normalize';
import { DelimitedLineParser, fieldAt } from './record-parsers';
import { parseWallClock } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** Column counts of the SMDR layouts (see above). */
const COLUMN_COUNTS = [17, 30, 34, 35];
/** Names collectors give the first eleven columns, as keys (see nameKey). */
const HEADER_NAMES = new Set([
  'callstart', 'datetime', 'connectedtime', 'duration', 'ringtime', 'ring', 'caller', 'direction', 'dir',
  'calldirection', 'callednumber', 'called', 'diallednumber', 'dialednumber', 'dialled', 'dialed', 'account', 'acc',
  'isinternal', 'internal', 'ext', 'callid', 'continuation', 'cont',
]);
/** A line naming at least this many SMDR columns (and holding no time) is a header line. */
const HEADER_MIN_NAMES = 3;
/** A call whose last record never comes must not grow memory forever: the oldest is emitted as it is. */
const MAX_HELD_CALLS = 10_000;

interface SmdrRecord {
  startMs: number;
  /** The start as the IP Office wrote it (its wall clock), for the dedup key. */
  startWallMs: number;
  connectedSeconds: number;
  ringSeconds: number;
  caller: string;
  direction: string;
  called: string;
  dialled: string;
  account: string;
  isInternal: boolean;
  callId: string;
  continues: boolean;
  party1Device: string;
  party1Name: string;
  party2Device: string;
  holdSeconds: number;
  parkSeconds: number;
  authCode: string;
  raw: string;
  position: RecordPosition;
}

function optionalSeconds(field: string, text: string): number {
  return text.trim() === '' ? 0 : secondsField(field, text);
}

/** A 0/1 flag (is internal, continuation). */
function flagField(field: string, text: string): boolean {
  if (text !== '0' && text !== '1') throw new FieldError(field, `'${clip(text)}' is not 0 or 1`);
  return text === '1';
}

const FLAG: [RegExp, string] = [/^[01]$/, '0 or 1'];
const AMOUNT: [RegExp, string] = [/^\d+(\.\d+)?$/, 'an amount'];
const COUNT: [RegExp, string] = [/^\d+$/, 'a whole number'];
const IPV4: [RegExp, string] = [/^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address'];

/** Kinds of the columns after park time that hold one (text columns such as auth code and currency left out). */
const TRAILING_KINDS: [number, string, [RegExp, string]][] = [
  [17, 'auth valid', FLAG],
  [20, 'call charge', AMOUNT],
  [22, 'amount at last user change', AMOUNT],
  [23, 'call units', COUNT],
  [24, 'units at last user change', COUNT],
  [25, 'cost per unit', AMOUNT],
  [26, 'mark up', AMOUNT],
  [30, 'calling party server address', IPV4],
  [31, 'caller unique call id', COUNT],
  [32, 'called party server address', IPV4],
  [33, 'called unique call id', COUNT],
];

/**
 * The columns after park time, which this adapter does not store, must still hold what their kind allows: a line
 * whose columns slid (a field lost or doubled) fails here instead of becoming a call.
 */
function checkTrailingColumns(get: (index: number) => string, columns: number): void {
  for (const [index, field, [kind, kindName]] of TRAILING_KINDS) {
    if (index >= columns) break;
    const text = get(index);
    if (text !== '' && !kind.test(text)) throw new FieldError(field, `'${clip(text)}' is not ${kindName}`);
  }
  if (columns >= 35 && get(34) !== '' && Number.isNaN(parseWallClock(get(34)))) {
    throw new FieldError('record time', `'${clip(get(34))}' is not a date and time`);
  }
}

/** The device's or a collector's header line: names of SMDR columns and no time. */
function isHeaderLine(fields: readonly string[]): boolean {
  let names = 0;
  for (const field of fields.slice(0, 11)) {
    const text = field.trim();
    if (!Number.isNaN(parseWallClock(text))) return false;
    if (HEADER_NAMES.has(nameKey(text))) names++;
  }
  return names >= HEADER_MIN_NAMES;
}

class IpOfficeSmdrParser extends DelimitedLineParser {
  private readonly times: DeviceTimeReader;
  /** Records of calls still open, by call id, in order of their first record. */
  private readonly held = new Map<string, SmdrRecord[]>();

  constructor(device: DeviceContext) {
    super('ipoffice-smdr', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  override flush(into?: ParseOutcome): ParseOutcome {
    const out = super.flush(into);
    for (const records of this.held.values()) out.cdrs.push(this.joinCall(records));
    this.held.clear();
    return out;
  }

  override heldFrom(): RecordPosition | null {
    for (const records of this.held.values()) return records[0]!.position;
    return null;
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (Number.isNaN(parseWallClock(fields[0]!.trim())) && isHeaderLine(fields)) {
      out.skip(position, 'header line');
      return;
    }
    if (!COLUMN_COUNTS.includes(fields.length)) {
      out.reject(raw, position, `expected 30, 34 or 35 columns (17 in the short layout), found ${fields.length}`);
      return;
    }
    const get = (index: number) => fieldValue(fieldAt(fields, index));
    const direction = get(4).toUpperCase();
    if (direction !== 'I' && direction !== 'O') throw new FieldError('direction', `'${clip(get(4))}' is not I or O`);
    const callId = get(9);
    if (!/^\d+$/.test(callId)) throw new FieldError('call id', `'${clip(callId)}' is not a number`);
    checkTrailingColumns(get, fields.length);
    const startWallMs = this.times.wallClock('call start', get(0));
    const record: SmdrRecord = {
      startMs: this.times.fromWallClock('call start', startWallMs),
      startWallMs,
      connectedSeconds: clockDurationField('connected time', get(1)),
      ringSeconds: optionalSeconds('ring time', get(2)),
      caller: get(3),
      direction,
      called: get(5),
      dialled: get(6),
      account: get(7),
      isInternal: flagField('is internal', get(8)),
      callId,
      continues: flagField('continuation', get(10)),
      party1Device: get(11),
      party1Name: get(12),
      party2Device: get(13),
      holdSeconds: optionalSeconds('hold time', get(15)),
      parkSeconds: optionalSeconds('park time', get(16)),
      authCode: get(18),
      raw,
      position,
    };
    const earlier = this.held.get(record.callId);
    if (record.continues) {
      if (earlier) earlier.push(record);
      else this.hold(record, out);
      return;
    }
    if (earlier) this.held.delete(record.callId);
    out.cdrs.push(this.joinCall(earlier ? [...earlier, record] : [record]));
  }

  private hold(record: SmdrRecord, out: ParseOutcome): void {
    if (this.held.size >= MAX_HELD_CALLS) {
      const [oldestId, oldest] = this.held.entries().next().value!;
      this.held.delete(oldestId);
      out.cdrs.push(this.joinCall(oldest));
    }
    this.held.set(record.callId, [record]);
  }

  private joinCall(records: SmdrRecord[]): NormalizedCdr {
    const first = records[0]!;
    const last = records[records.length - 1]!;
    let billsec = 0;
    let elapsedSeconds = 0;
    for (const r of records) {
      billsec += r.connectedSeconds;
      elapsedSeconds += r.ringSeconds + r.connectedSeconds + r.holdSeconds + r.parkSeconds;
    }
    const direction: CallDirection = first.isInternal ? 'internal' : first.direction === 'O' ? 'outbound' : 'inbound';
    const trunk = [first.party1Device, first.party2Device].find((device) => device.startsWith('T'));
    return finishCdr(
      {
        nativeId: first.callId,
        // Call ids restart when the IP Office restarts: the start time (its wall clock, as written) keeps them apart.
        dedupKey: `${first.callId}:${first.startWallMs}`,
        startMs: first.startMs,
        startWallMs: first.startWallMs,
        answerMs: billsec > 0 ? first.startMs + first.ringSeconds * 1000 : null,
        endMs: first.startMs + elapsedSeconds * 1000,
        duration: elapsedSeconds,
        billsec,
        caller: first.caller,
        callerName: direction === 'inbound' ? '' : first.party1Name,
        callee: first.dialled || first.called,
        originalCallee: first.called,
        finalCallee: records.length > 1 ? last.called : undefined,
        direction,
        trunkIn: direction === 'inbound' ? trunk : undefined,
        trunkOut: direction === 'outbound' ? trunk : undefined,
        disposition: billsec > 0 ? 'answered' : 'no_answer',
        accountCode: first.account,
        pin: first.authCode,
        raw: records.map((r) => r.raw).join('\n'),
        position: first.position,
        ...(records.length > 1 ? { joinedRecords: records.length } : {}),
      },
      this.device,
      this.format,
    );
  }
}

export const ipOfficeSmdrAdapter: CdrAdapter = {
  format: 'ipoffice-smdr',
  framing: 'line',
  description: 'Avaya IP Office SMDR (records of one call joined by call id)',
  createParser: (device) => new IpOfficeSmdrParser(device),
};
