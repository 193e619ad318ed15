/**
 * Cisco CUCM CDR flat files (`cdr_<cluster>_<node>_<yyyymmddhhmm>_<seq>`): a line of column names, a line of
 * column types, then one record per line. Real files have about 133 columns in an order that changes across
 * releases, so every column is found by name. Times are Unix epochs (UTC); `dateTimeConnect` 0 means the call
 * was never connected; `duration` is the connected time. A file whose name starts with `_` is still being written.
 *
 * Recording and monitoring calls (a phone's built-in bridge calling the recorder) are CDRs of their own: they are
 * stored as legs linked to the recorded call and never charged. CUCM marks them with the OnBehalfOf codes 27
 * (Recording) and 28 (Monitoring), seen in `joinOnBehalfOf` and `origCalledPartyRedirectOnBehalfOf` of real files
 * (and in the termination OnBehalfOf fields); their `origConversationId` is a leg identifier of the recorded call.
 * A device may also list its recorder's numbers (`formatOptions.recorderNumbers`) for recorders CUCM does not mark.
 *
 * Transfers and conferences are not legs in that sense, and every record of them is charged. Cisco's CDR definition
 * (CallManager 4.2(3), "Transfer Without Consultation" / "Transfer with Consultation" / "Conference Calls") has a
 * consultative transfer written as three CDRs: the original call A-B and the consultation call A-C, both ended by
 * the split (OnBehalfOf 10), and the call B-C that the join made (joinOnBehalfOf 10), with durations 120, 30 and
 * 350 s: each covers its own stretch of talk and "no CDR reflects the time that a call is on hold". A leg that lives
 * on (B's, C's) keeps its leg identifier in the later record, but no second of talk is in two records, so none of
 * them is a copy of another that would be charged twice. Each is charged to its own caller for its own time.
 */
import type { CallDirection, CallLeg, DeviceContext, NormalizedCdr, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  completeCallTimes,
  directionFromNumbers,
  dispositionFromQ850,
  epochField,
  finishCdr,
  secondsField,
} from './normalize';
import { ColumnLayout, DelimitedLineParser, fieldAt } from './record-parsers';
import { parseWholeNumber } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** CUCM writes `_name` while a file is open and renames it when complete: leave such files for the next poll. */
export function isCucmFileInProgress(fileName: string): boolean {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base.startsWith('_');
}

const TYPE_RE = /^(INTEGER|VARCHAR\(\d+\)|UNIQUEIDENTIFIER|CHAR\(\d+\)|BIGINT|SMALLINT|DATETIME|TEXT)$/i;
/** Device name prefixes of phones and soft clients; anything else on a call leg is a trunk or gateway. */
const PHONE_RE = /^(SEP|CSF|BOT|TCT|TAB)/i;

const REQUIRED = ['globalCallID_callId', 'dateTimeOrigination', 'callingPartyNumber', 'originalCalledPartyNumber'];

interface CucmColumns {
  recordType: number;
  callManagerId: number;
  callId: number;
  origination: number;
  connect: number;
  disconnect: number;
  duration: number;
  pkid: number;
  calling: number;
  originalCalled: number;
  finalCalled: number;
  origDevice: number;
  destDevice: number;
  origCause: number;
  destCause: number;
  authCodeDescription: number;
  authorizationCode: number;
  clientMatterCode: number;
  origLeg: number;
  destLeg: number;
  origConversation: number;
  /** The OnBehalfOf fields that say a call was made for recording or monitoring. */
  onBehalfOf: { name: string; index: number }[];
}

/** OnBehalfOf codes of the CUCM CDR guide: 27 Recording, 28 Monitoring. */
const RECORDING_ON_BEHALF_OF = new Set([27, 28]);
const ON_BEHALF_OF_COLUMNS = [
  'origCallTerminationOnBehalfOf',
  'destCallTerminationOnBehalfOf',
  'joinOnBehalfOf',
  'origCalledPartyRedirectOnBehalfOf',
  'lastRedirectRedirectOnBehalfOf',
];

function columnsOf(layout: ColumnLayout): CucmColumns {
  return {
    recordType: layout.indexOf('cdrRecordType'),
    callManagerId: layout.indexOf('globalCallID_callManagerId'),
    callId: layout.indexOf('globalCallID_callId'),
    origination: layout.indexOf('dateTimeOrigination'),
    connect: layout.indexOf('dateTimeConnect'),
    disconnect: layout.indexOf('dateTimeDisconnect'),
    duration: layout.indexOf('duration'),
    pkid: layout.indexOf('pkid'),
    calling: layout.indexOf('callingPartyNumber'),
    originalCalled: layout.indexOf('originalCalledPartyNumber'),
    finalCalled: layout.indexOf('finalCalledPartyNumber'),
    origDevice: layout.indexOf('origDeviceName'),
    destDevice: layout.indexOf('destDeviceName'),
    origCause: layout.indexOf('origCause_value'),
    destCause: layout.indexOf('destCause_value'),
    authCodeDescription: layout.indexOf('authCodeDescription'),
    authorizationCode: layout.indexOf('authorizationCodeValue'),
    clientMatterCode: layout.indexOf('clientMatterCode'),
    origLeg: layout.indexOf('origLegCallIdentifier'),
    // Real files name it `destLegIdentifier`; the CDR guides of some releases spell it `destLegCallIdentifier`.
    destLeg: layout.indexOf('destLegIdentifier', 'destLegCallIdentifier'),
    origConversation: layout.indexOf('origConversationId', 'origConversationID'),
    onBehalfOf: ON_BEHALF_OF_COLUMNS.map((name) => ({ name, index: layout.indexOf(name) })).filter((f) => f.index >= 0),
  };
}

/** The device's recorder numbers, or what is wrong with the setting. */
function recorderNumbersOf(device: DeviceContext): ReadonlySet<string> | string {
  const value = (device.formatOptions as { recorderNumbers?: unknown } | undefined)?.recorderNumbers;
  if (value === undefined || value === null) return new Set();
  if (Array.isArray(value) && value.every((n) => typeof n === 'string' && n.trim() !== '')) {
    return new Set(value.map((n: string) => n.trim()));
  }
  return 'device format options: recorderNumbers must be a list of numbers written as text';
}

function wholeNumberField(field: string, text: string): number {
  const value = parseWholeNumber(text);
  if (Number.isNaN(value)) throw new FieldError(field, `'${text.slice(0, 60)}' is not a whole number`);
  return value;
}

function directionOf(origDevice: string, destDevice: string, caller: string, callee: string): CallDirection {
  const origIsPhone = PHONE_RE.test(origDevice);
  const destIsPhone = PHONE_RE.test(destDevice);
  if (origDevice === '' || destDevice === '') return directionFromNumbers(caller, callee);
  if (origIsPhone && destIsPhone) return 'internal';
  if (origIsPhone) return 'outbound';
  if (destIsPhone) return 'inbound';
  return 'unknown';
}

class CucmParser extends DelimitedLineParser {
  private columns: CucmColumns | null = null;
  private columnCount = 0;
  private readonly recorderNumbers: ReadonlySet<string> | string;

  constructor(device: DeviceContext) {
    super('cucm', device);
    this.recorderNumbers = recorderNumbersOf(device);
  }

  /** A recording or monitoring call is a leg of the call it records; any other record is a call (with its id). */
  private legOf(c: CucmColumns, get: (index: number) => string, callManagerId: string, callId: string, numbers: string[]): CallLeg {
    const onBehalfOf = c.onBehalfOf.map(({ name, index }) => {
      const text = get(index);
      return text === '' ? 0 : wholeNumberField(name, text);
    });
    const recorders = this.recorderNumbers as ReadonlySet<string>;
    const recording = onBehalfOf.some((code) => RECORDING_ON_BEHALF_OF.has(code)) || numbers.some((n) => recorders.has(n));
    const conversation = get(c.origConversation);
    if (conversation !== '') wholeNumberField('origConversationId', conversation);
    if (recording) {
      const recorded = conversation !== '' && conversation !== '0' ? conversation : callId;
      return { role: 'recording', callId: `${callManagerId}:${recorded}`, billed: false };
    }
    const origLeg = get(c.origLeg);
    if (origLeg !== '') wholeNumberField('origLegCallIdentifier', origLeg);
    const call: CallLeg = { role: null, callId: `${callManagerId}:${origLeg !== '' ? origLeg : callId}`, billed: true };
    // A recording of the called side names the dest leg: the store finds this call by that id too (call-legs.ts).
    const destLeg = get(c.destLeg);
    if (destLeg !== '') wholeNumberField('destLegIdentifier', destLeg);
    if (destLeg !== '' && destLeg !== '0' && destLeg !== origLeg) call.otherLegId = `${callManagerId}:${destLeg}`;
    return call;
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (this.readHeader(fields, raw, position, out)) return;
    const c = this.columns;
    if (!c) {
      out.reject(raw, position, 'no header line before this record: CUCM columns are found by name');
      return;
    }
    if (typeof this.recorderNumbers === 'string') {
      out.reject(raw, position, this.recorderNumbers);
      return;
    }
    // Every record of a file has the header's columns: more or fewer means the line is not one record as written.
    if (fields.length !== this.columnCount) {
      out.reject(raw, position, `expected ${this.columnCount} columns as in the header, found ${fields.length}`);
      return;
    }
    const get = (index: number) => fieldAt(fields, index).trim();
    const recordType = get(c.recordType);
    if (recordType !== '' && recordType !== '1') {
      out.skip(position, `cdrRecordType ${recordType} is not a call record (1)`);
      return;
    }
    out.cdrs.push(this.callOf(c, get, raw, position));
  }

  /** A header line (column names, then column types) sets the columns; returns whether `fields` was one. */
  private readHeader(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): boolean {
    const first = fields[0]!.trim();
    if (first === 'cdrRecordType' || fields.includes('globalCallID_callId')) {
      const layout = new ColumnLayout(fields.map((f) => f.trim()));
      const missing = REQUIRED.filter((name) => !layout.has(name));
      if (missing.length > 0) {
        this.columns = null;
        out.reject(raw, position, `header line lacks the columns ${missing.join(', ')}`);
        return true;
      }
      this.columns = columnsOf(layout);
      this.columnCount = fields.length;
      out.skip(position, 'header line (column names)');
      return true;
    }
    if (TYPE_RE.test(first) && fields.every((f) => TYPE_RE.test(f.trim()))) {
      out.skip(position, 'header line (column types)');
      return true;
    }
    return false;
  }

  /** The call of a record of type 1, read by the header's columns. */
  private callOf(c: CucmColumns, get: (index: number) => string, raw: string, position: RecordPosition): NormalizedCdr {
    const connectText = get(c.connect);
    const connected = connectText !== '' && connectText !== '0';
    const disconnectText = get(c.disconnect);
    const durationText = get(c.duration);
    const callTimes = completeCallTimes({
      startMs: epochField('dateTimeOrigination', get(c.origination)),
      answerMs: connected ? epochField('dateTimeConnect', connectText) : null,
      endMs: disconnectText === '' || disconnectText === '0' ? undefined : epochField('dateTimeDisconnect', disconnectText),
      // Unconnected calls are never billed, but their duration must still be a number: `--` there is a damaged line.
      billsec: !connected ? unconnectedBillsec(durationText) : durationText === '' ? undefined : secondsField('duration', durationText),
    });
    const origCause = causeField('origCause_value', get(c.origCause));
    const destCause = causeField('destCause_value', get(c.destCause));
    const releaseCause = destCause !== 0 ? destCause : origCause;
    const caller = get(c.calling);
    const callee = get(c.originalCalled);
    const origDevice = get(c.origDevice);
    const destDevice = get(c.destDevice);
    const callManagerId = String(wholeNumberField('globalCallID_callManagerId', get(c.callManagerId) || '0'));
    const globalCallId = String(wholeNumberField('globalCallID_callId', get(c.callId)));
    const callId = `${get(c.callManagerId)}:${get(c.callId)}`;
    const pkid = get(c.pkid);
    const finalCallee = get(c.finalCalled);
    const leg = this.legOf(c, get, callManagerId, globalCallId, [callee, finalCallee]);
    const cdr = finishCdr(
      {
        nativeId: callId,
        // One global call id covers every leg of a transferred or conferenced call; pkid tells the records apart.
        dedupKey: pkid !== '' ? `${callId}:${pkid}` : undefined,
        ...callTimes,
        caller,
        callerName: '',
        callee,
        originalCallee: callee,
        finalCallee,
        direction: directionOf(origDevice, destDevice, caller, callee),
        trunkIn: origDevice !== '' && !PHONE_RE.test(origDevice) ? origDevice : undefined,
        trunkOut: destDevice !== '' && !PHONE_RE.test(destDevice) ? destDevice : undefined,
        disposition: connected ? 'answered' : dispositionFromQ850(releaseCause),
        cause: String(releaseCause),
        accountCode: get(c.clientMatterCode) || get(c.authCodeDescription),
        pin: get(c.authorizationCode),
        raw,
        position,
      },
      this.device,
      this.format,
    );
    cdr.leg = leg;
    return cdr;
  }
}

function unconnectedBillsec(durationText: string): 0 {
  if (durationText !== '') secondsField('duration', durationText);
  return 0;
}

function causeField(field: string, text: string): number {
  if (text === '') return 0;
  const value = parseWholeNumber(text);
  if (Number.isNaN(value)) throw new FieldError(field, `'${text}' is not a Q.850 cause code`);
  return value;
}

export const cucmAdapter: CdrAdapter = {
  format: 'cucm',
  framing: 'line',
  description: 'Cisco CUCM CDR flat files (two header lines; columns mapped by name; epochs in UTC)',
  createParser: (device) => new CucmParser(device),
};
