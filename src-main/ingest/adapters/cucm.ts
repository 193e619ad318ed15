/**
 * Cisco CUCM CDR flat files (`cdr_<cluster>_<node>_<yyyymmddhhmm>_<seq>`): a line of column names, a line of
 * column types, then one record per line. Real files have about 133 columns in an order that changes across
 * releases, so every column is found by name. Times are Unix epochs (UTC); `dateTimeConnect` 0 means the call
 * was never connected; `duration` is the connected time. A file whose name starts with `_` is still being written.
 */
import type { CallDirection, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
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
}

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
  };
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

  constructor(device: DeviceContext) {
    super('cucm', device);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    const first = fields[0]!.trim();
    if (first === 'cdrRecordType' || fields.includes('globalCallID_callId')) {
      const layout = new ColumnLayout(fields.map((f) => f.trim()));
      const missing = REQUIRED.filter((name) => !layout.has(name));
      if (missing.length > 0) {
        this.columns = null;
        out.reject(raw, position, `header line lacks the columns ${missing.join(', ')}`);
        return;
      }
      this.columns = columnsOf(layout);
      this.columnCount = fields.length;
      out.skip(position, 'header line (column names)');
      return;
    }
    if (TYPE_RE.test(first) && fields.every((f) => TYPE_RE.test(f.trim()))) {
      out.skip(position, 'header line (column types)');
      return;
    }
    const c = this.columns;
    if (!c) {
      out.reject(raw, position, 'no header line before this record: CUCM columns are found by name');
      return;
    }
    if (fields.length < this.columnCount) {
      out.reject(raw, position, `expected ${this.columnCount} columns as in the header, found ${fields.length}`);
      return;
    }
    const get = (index: number) => fieldAt(fields, index).trim();
    const recordType = get(c.recordType);
    if (recordType !== '' && recordType !== '1') {
      out.skip(position, `cdrRecordType ${recordType} is not a call record (1)`);
      return;
    }
    const connectText = get(c.connect);
    const connected = connectText !== '' && connectText !== '0';
    const disconnectText = get(c.disconnect);
    const durationText = get(c.duration);
    const callTimes = completeCallTimes({
      startMs: epochField('dateTimeOrigination', get(c.origination)),
      answerMs: connected ? epochField('dateTimeConnect', connectText) : null,
      endMs: disconnectText === '' || disconnectText === '0' ? undefined : epochField('dateTimeDisconnect', disconnectText),
      billsec: !connected ? 0 : durationText === '' ? undefined : secondsField('duration', durationText),
    });
    const origCause = causeField('origCause_value', get(c.origCause));
    const destCause = causeField('destCause_value', get(c.destCause));
    const releaseCause = destCause !== 0 ? destCause : origCause;
    const caller = get(c.calling);
    const callee = get(c.originalCalled);
    const origDevice = get(c.origDevice);
    const destDevice = get(c.destDevice);
    const callId = `${get(c.callManagerId)}:${get(c.callId)}`;
    const pkid = get(c.pkid);
    out.cdrs.push(
      finishCdr(
        {
          nativeId: callId,
          // One global call id covers every leg of a transferred or conferenced call; pkid tells the records apart.
          dedupKey: pkid !== '' ? `${callId}:${pkid}` : undefined,
          ...callTimes,
          caller,
          callerName: '',
          callee,
          originalCallee: callee,
          finalCallee: get(c.finalCalled),
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
      ),
    );
  }
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
