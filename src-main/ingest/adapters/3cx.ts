/**
 * 3CX CDR output (sent over TCP by 3CX, or written to files): one call per line in the field order chosen in
 * 3CX's CDR settings, with an optional header line naming them (mapped by name when present). Times are UTC
 * (`2026.03.02 01:15:02`); `duration` is the talk time as `HH:MM:SS`. The `*-type` fields say what each party is:
 * `Line` is a trunk, `Extension`, `Queue`, `IVR`... are inside the PBX.
 */
import type { CallDirection, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  clip,
  clockDurationField,
  completeCallTimes,
  directionFromNumbers,
  finishCdr,
} from './normalize';
import { ColumnLayout, DelimitedLineParser, fieldAt } from './record-parsers';
import { parseWallClock } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** The full field list in 3CX's order: used when the stream has no header line. */
export const THREECX_DEFAULT_COLUMNS = [
  'historyid', 'callid', 'duration', 'time-start', 'time-answered', 'time-end', 'reason-terminated', 'from-no', 'to-no',
  'from-dn', 'to-dn', 'dial-no', 'reason-changed', 'final-number', 'final-dn', 'bill-code', 'bill-rate', 'bill-cost',
  'bill-name', 'chain', 'from-type', 'to-type', 'final-type', 'from-dispname', 'to-dispname', 'final-dispname',
  'missed-queue-calls',
];

interface ColumnIndexes {
  historyId: number;
  callId: number;
  duration: number;
  start: number;
  answered: number;
  end: number;
  reasonTerminated: number;
  fromNo: number;
  toNo: number;
  fromDn: number;
  toDn: number;
  dialNo: number;
  finalNumber: number;
  finalDn: number;
  billCode: number;
  fromType: number;
  toType: number;
  finalType: number;
  fromName: number;
}

function indexesOf(layout: ColumnLayout): ColumnIndexes {
  return {
    historyId: layout.indexOf('historyid'),
    callId: layout.indexOf('callid'),
    duration: layout.indexOf('duration'),
    start: layout.indexOf('time-start'),
    answered: layout.indexOf('time-answered'),
    end: layout.indexOf('time-end'),
    reasonTerminated: layout.indexOf('reason-terminated'),
    fromNo: layout.indexOf('from-no'),
    toNo: layout.indexOf('to-no'),
    fromDn: layout.indexOf('from-dn'),
    toDn: layout.indexOf('to-dn'),
    dialNo: layout.indexOf('dial-no'),
    finalNumber: layout.indexOf('final-number'),
    finalDn: layout.indexOf('final-dn'),
    billCode: layout.indexOf('bill-code'),
    fromType: layout.indexOf('from-type'),
    toType: layout.indexOf('to-type'),
    finalType: layout.indexOf('final-type'),
    fromName: layout.indexOf('from-dispname'),
  };
}

function utcTime(field: string, text: string): number {
  const ms = parseWallClock(text.trim());
  if (Number.isNaN(ms)) throw new FieldError(field, `'${clip(text)}' is not a date and time (YYYY.MM.DD HH:MM:SS)`);
  return ms; // 3CX writes UTC: the wall clock is the instant
}

const isLine = (type: string) => type.toLowerCase() === 'line';

function directionOf(fromType: string, toType: string, finalType: string, caller: string, callee: string): CallDirection {
  if (fromType === '' || toType === '') return directionFromNumbers(caller, callee);
  const fromOutside = isLine(fromType);
  const toOutside = isLine(toType) || isLine(finalType);
  if (fromOutside && !toOutside) return 'inbound';
  if (!fromOutside && toOutside) return 'outbound';
  if (!fromOutside && !toOutside) return 'internal';
  return 'unknown'; // trunk to trunk (forwarded outside)
}

class ThreeCxParser extends DelimitedLineParser {
  private layout = new ColumnLayout(THREECX_DEFAULT_COLUMNS);
  private columns = indexesOf(this.layout);

  constructor(device: DeviceContext) {
    super('3cx', device);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    const c = this.columns;
    const startText = fieldAt(fields, c.start);
    if (Number.isNaN(parseWallClock(startText.trim()))) {
      const names = new Set(fields.map((f) => f.trim().toLowerCase()));
      if (names.has('historyid') || names.has('time-start')) {
        this.layout = new ColumnLayout(fields.map((f) => f.trim()));
        this.columns = indexesOf(this.layout);
        out.skip(position, 'header line');
        return;
      }
    }
    if (fields.length <= c.start) {
      out.reject(raw, position, `expected ${this.layout.names.length} columns, found ${fields.length}`);
      return;
    }
    const get = (index: number) => fieldAt(fields, index).trim();
    const answeredText = get(c.answered);
    const endText = get(c.end);
    const talkText = get(c.duration);
    const callTimes = completeCallTimes({
      startMs: utcTime('time-start', startText),
      answerMs: answeredText === '' ? null : utcTime('time-answered', answeredText),
      endMs: endText === '' ? undefined : utcTime('time-end', endText),
      billsec: answeredText === '' ? 0 : talkText === '' ? undefined : clockDurationField('duration', talkText),
    });
    const caller = get(c.fromNo);
    const callee = get(c.dialNo) || get(c.toNo);
    const fromType = get(c.fromType);
    const toType = get(c.toType);
    const finalType = get(c.finalType);
    const reason = get(c.reasonTerminated);
    const historyId = get(c.historyId);
    const callId = get(c.callId);
    out.cdrs.push(
      finishCdr(
        {
          nativeId: historyId || callId || null,
          ...callTimes,
          caller,
          callerName: get(c.fromName),
          callee,
          originalCallee: get(c.toNo),
          finalCallee: get(c.finalNumber),
          direction: directionOf(fromType, toType, finalType, caller, callee),
          trunkIn: isLine(fromType) ? get(c.fromDn) : undefined,
          trunkOut: isLine(toType) ? get(c.toDn) : isLine(finalType) ? get(c.finalDn) : undefined,
          disposition: answeredText !== '' ? 'answered' : dispositionFromReason(reason),
          cause: reason,
          accountCode: get(c.billCode),
          raw,
          position,
          hashExtras: [historyId, callId],
        },
        this.device,
        this.format,
      ),
    );
  }
}

/** An unanswered call's `reason-terminated`. */
function dispositionFromReason(reason: string) {
  const text = reason.toLowerCase();
  if (text.includes('busy')) return 'busy' as const;
  if (/fail|error|reject|unavailable|not.?found/.test(text)) return 'failed' as const;
  return 'no_answer' as const;
}

export const threeCxAdapter: CdrAdapter = {
  format: '3cx',
  framing: 'line',
  description: '3CX CDR lines (all fields in 3CX order, header optional; times UTC)',
  createParser: (device) => new ThreeCxParser(device),
};
