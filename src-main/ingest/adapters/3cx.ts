/**
 * 3CX CDR output (sent over TCP by 3CX, or written to files): one call per line in the field order chosen in
 * 3CX's CDR settings. 3CX starts each line with `Call ` (`Call 9744,00000171DEE41BB3_2501,...`); that word is not
 * part of the first field. Times are UTC (`2020/05/04 10:53:43`, `2026.03.02 01:15:02`); `duration` is the talk
 * time as `HH:MM:SS`. Extensions are written `Ext.114` in from-no, to-no and final-number; they are stored as the
 * dialable `114` (the raw line keeps what 3CX wrote), so that a call is charged to the extension's user.
 *
 * The columns are found, in this order of preference, from a header line naming them (3CX's names, with `-`, `_`
 * or neither), from the device's format option `fields` (3CX's names in the order set in 3CX, for a stream without
 * a header), or else 3CX's stock list: 27 fields since v15, 26 before (no missed-queue-calls). A line with another
 * column count is a reject: a shifted column must not become a call.
 */
import type { DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import { dialableNumber, directionOf3cx } from './3cx-direction';
import { fieldValue, nameKey } from './field-values';
import { clip, clockDurationField, completeCallTimes, finishCdr } from './normalize';
import { DelimitedLineParser, fieldAt } from './record-parsers';
import { parseWallClock } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** The full field list in 3CX's order: used when the stream has no header line. */
export const THREECX_DEFAULT_COLUMNS = [
  'historyid', 'callid', 'duration', 'time-start', 'time-answered', 'time-end', 'reason-terminated', 'from-no', 'to-no',
  'from-dn', 'to-dn', 'dial-no', 'reason-changed', 'final-number', 'final-dn', 'bill-code', 'bill-rate', 'bill-cost',
  'bill-name', 'chain', 'from-type', 'to-type', 'final-type', 'from-dispname', 'to-dispname', 'final-dispname',
  'missed-queue-calls',
] as const;

/** v14 wrote the stock list without its last field. */
const STOCK_COLUMN_COUNTS = [THREECX_DEFAULT_COLUMNS.length - 1, THREECX_DEFAULT_COLUMNS.length];
const KNOWN_KEYS = new Set<string>(THREECX_DEFAULT_COLUMNS.map(nameKey));
/** A line naming at least this many 3CX fields (and holding no time) is a header line. */
const HEADER_MIN_NAMES = 3;
const LINE_PREFIX = 'Call ';

interface Layout {
  /** Column of each 3CX field by its key (`timestart`). */
  index: Map<string, number>;
  columnCounts: readonly number[];
  /** Says where the count comes from, for the reject reason. */
  countSource: string;
}

function layoutOf(names: readonly string[], countSource: string, columnCounts = [names.length]): Layout {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    const key = nameKey(name);
    if (!index.has(key)) index.set(key, i);
  });
  return { index, columnCounts, countSource };
}

const STOCK_LAYOUT = layoutOf(THREECX_DEFAULT_COLUMNS, "3CX's stock field list", STOCK_COLUMN_COUNTS);

/** The layout of the device's `fields` option, null without one, or what is wrong with it. */
function optionsLayout(device: DeviceContext): Layout | string | null {
  const fields = (device.formatOptions as { fields?: unknown } | undefined)?.fields;
  if (fields === undefined) return null;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f): f is string => typeof f === 'string')) {
    return 'device format options: fields must list 3CX field names in the order set in 3CX';
  }
  const unknown = fields.find((f) => !KNOWN_KEYS.has(nameKey(f)));
  if (unknown !== undefined) return `device format options: fields: '${clip(unknown)}' is not a 3CX CDR field`;
  if (!fields.some((f) => nameKey(f) === 'timestart')) return 'device format options: fields must include time-start';
  return layoutOf(fields, 'the device option fields');
}

function utcTime(field: string, text: string): number {
  const ms = parseWallClock(text);
  if (Number.isNaN(ms)) throw new FieldError(field, `'${clip(text)}' is not a date and time (YYYY.MM.DD HH:MM:SS)`);
  return ms; // 3CX writes UTC: the wall clock is the instant
}

function countsText(counts: readonly number[]): string {
  return counts.length === 1 ? String(counts[0]) : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]}`;
}

class ThreeCxParser extends DelimitedLineParser {
  private readonly configured: Layout | string | null;
  private layout: Layout;
  /** Why the last header line cannot be used: every record until a good header is rejected with it. */
  private headerProblem: string | null = null;

  constructor(device: DeviceContext) {
    super('3cx', device);
    this.configured = optionsLayout(device);
    this.layout = this.configured !== null && typeof this.configured !== 'string' ? this.configured : STOCK_LAYOUT;
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (typeof this.configured === 'string') {
      out.reject(raw, position, this.configured);
      return;
    }
    if (fields[0]!.startsWith(LINE_PREFIX)) fields[0] = fields[0]!.slice(LINE_PREFIX.length);
    const startIndex = this.layout.index.get('timestart') ?? -1;
    const startText = fieldValue(fieldAt(fields, startIndex));
    if (Number.isNaN(parseWallClock(startText)) && isHeaderLine(fields)) {
      this.readHeader(fields, raw, position, out);
      return;
    }
    if (this.headerProblem !== null) {
      out.reject(raw, position, this.headerProblem);
      return;
    }
    const { columnCounts, countSource } = this.layout;
    if (!columnCounts.includes(fields.length)) {
      out.reject(raw, position, `expected ${countsText(columnCounts)} columns (${countSource}), found ${fields.length}`);
      return;
    }
    this.readCall(fields, startText, raw, position, out);
  }

  private readHeader(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    const layout = layoutOf(fields, 'as the header line names them');
    if (!layout.index.has('timestart')) {
      this.headerProblem = 'the header line names no time-start column';
      out.reject(raw, position, this.headerProblem);
      return;
    }
    this.layout = layout;
    this.headerProblem = null;
    out.skip(position, 'header line');
  }

  private readCall(fields: string[], startText: string, raw: string, position: RecordPosition, out: ParseOutcome): void {
    const { index } = this.layout;
    const get = (key: string) => fieldValue(fieldAt(fields, index.get(key) ?? -1));
    const answeredText = get('timeanswered');
    const endText = get('timeend');
    const talkText = get('duration');
    // Read even when unanswered (3CX writes 00:00:00 then): a duration of the wrong kind is a reject, not a call.
    const talk = talkText === '' ? undefined : clockDurationField('duration', talkText);
    const callTimes = completeCallTimes({
      startMs: utcTime('time-start', startText),
      answerMs: answeredText === '' ? null : utcTime('time-answered', answeredText),
      endMs: endText === '' ? undefined : utcTime('time-end', endText),
      billsec: answeredText === '' ? 0 : talk,
    });
    const fromNo = get('fromno');
    const toNo = get('tono');
    const parties = { fromType: get('fromtype'), toType: get('totype'), finalType: get('finaltype'), fromNo, toNo };
    // An extension caller's from-dn is its number too; a trunk's from-dn is the trunk, never the caller.
    const caller = dialableNumber(fromNo);
    const callee = dialableNumber(get('dialno')) || dialableNumber(toNo);
    const { direction, from, outVia } = directionOf3cx(parties, caller, callee);
    const reason = get('reasonterminated');
    const historyId = get('historyid');
    const callId = get('callid');
    out.cdrs.push(
      finishCdr(
        {
          nativeId: historyId || callId || null,
          ...callTimes,
          caller: caller || (from === 'inside' ? get('fromdn') : ''),
          callerName: get('fromdispname'),
          callee,
          originalCallee: dialableNumber(toNo),
          finalCallee: dialableNumber(get('finalnumber')),
          direction,
          trunkIn: from === 'outside' ? trunkDn(get('fromdn'), caller) : undefined,
          trunkOut: outVia === 'to' ? trunkDn(get('todn'), callee) : outVia === 'final' ? trunkDn(get('finaldn'), callee) : undefined,
          disposition: answeredText !== '' ? 'answered' : dispositionFromReason(reason),
          cause: reason,
          accountCode: get('billcode'),
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

/** A line naming 3CX fields and holding no time: the device's or a collector's header line. */
function isHeaderLine(fields: readonly string[]): boolean {
  let names = 0;
  for (const field of fields) {
    const text = field.trim();
    if (!Number.isNaN(parseWallClock(text))) return false;
    if (KNOWN_KEYS.has(nameKey(text))) names++;
  }
  return names >= HEADER_MIN_NAMES;
}

/**
 * A trunk's DN (`10000`). Where no trunk was reached 3CX writes a pseudo-DN (`EndCall`) or, for a call that failed
 * before a line was seized, the number itself.
 */
function trunkDn(dn: string, number: string): string | undefined {
  return /^\d+$/.test(dn) && dn !== number ? dn : undefined;
}

/** An unanswered call's `reason-terminated` (v14–v16 `TargetBusy`, `Failed_Cancelled`; v20 `cancelled`, `no_route`). */
function dispositionFromReason(reason: string) {
  const text = reason.toLowerCase();
  if (text.includes('busy')) return 'busy' as const;
  if (text.includes('cancel')) return 'no_answer' as const;
  if (/fail|error|reject|unavailable|not.?found|no.?route/.test(text)) return 'failed' as const;
  return 'no_answer' as const;
}

export const threeCxAdapter: CdrAdapter = {
  format: '3cx',
  framing: 'line',
  description: '3CX CDR lines (3CX stock field order, a header line, or the device option fields; times UTC)',
  createParser: (device) => new ThreeCxParser(device),
};
