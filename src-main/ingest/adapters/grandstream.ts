/**
 * Grandstream UCM `cdrapi` output: CSV (grandstream-csv, header line, mapped by name) and JSON (grandstream-json,
 * `{"cdr":[...]}` on UCM61xx, `{"cdr_root":[...]}` on later models where a multi-leg call is
 * `{"main_cdr":{...},"sub_cdr_1":{...},...}`: the main CDR is the call and is charged; each sub-CDR (a ring group
 * member, a transfer or queue leg) is stored as a leg linked to it (the call id: the item's or the main CDR's `cdr`,
 * else its `session` or `uniqueid`) and never charged. A sub-CDR that cannot be read makes the whole item a reject
 * (its main CDR is stored all the same; reprocessing the item finds it stored).
 * Field names are Asterisk's plus `AcctId`, `channel_ext`, `dstchannel_ext`; times are device-local.
 * `clid` comes unquoted in the CSV (`"Li Wei" <8001>`): the line splitter keeps such a field as written. So does
 * `lastdata`, the arguments of the last dialplan application (`SIP/5301,60,`): its commas add columns, which are
 * joined back into `lastdata` when every typed field after it is then of its kind (see `withLastdataJoined`).
 */
import type { CallDirection, DeviceContext, NormalizedCdr, RecordPosition } from '../../../src-shared/domain/cdr';
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
  ColumnLayout,
  DelimitedLineParser,
  fieldAt,
  isJsonObject,
  JsonRecordParser,
  lowerCaseKeys,
  type JsonObject,
} from './record-parsers';
import { parseWallClock } from './time';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

/** The cdrapi CSV header of UCM61xx/62xx firmware; used until a header line says otherwise. */
export const GRANDSTREAM_DEFAULT_COLUMNS = [
  'AcctId', 'accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start',
  'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'uniqueid', 'userfield', 'channel_ext',
  'dstchannel_ext', 'service',
];

/** Lower-cased field name -> text, however the record arrived. */
type GrandstreamRecord = (name: string) => string;

/** The `userfield` that UCM fills with the call's direction (values vary by firmware). */
function directionFromUserfield(userfield: string): CallDirection | null {
  switch (userfield.trim().toLowerCase()) {
    case 'out':
    case 'outbound':
      return 'outbound';
    case 'inbound':
      return 'inbound';
    case 'internal':
    case 'ext':
      return 'internal';
    default:
      return null; // "IN" is used for both inbound and internal calls: decided from the channels instead
  }
}

function readGrandstreamCdr(
  get: GrandstreamRecord,
  raw: string,
  position: RecordPosition,
  times: DeviceTimeReader,
  device: DeviceContext,
  format: 'grandstream-csv' | 'grandstream-json',
): NormalizedCdr {
  const startText = get('start');
  if (startText === '') throw new FieldError('start', 'missing');
  const endText = get('end');
  const durationText = get('duration');
  const billsecText = get('billsec');
  const startWallMs = times.wallClock('start', startText);
  const status = dispositionFromStatus(get('disposition'));
  const answerMs = times.localOrNull('answer', get('answer'));
  const callTimes = completeCallTimes({
    startMs: times.fromWallClock('start', startWallMs),
    // On a call it says was not answered, the UCM writes `answer` equal to `end` (real-time output): not an answer.
    answerMs: status !== null && status !== 'answered' ? null : answerMs,
    endMs: endText === '' ? undefined : times.local('end', endText),
    duration: durationText === '' ? undefined : secondsField('duration', durationText),
    billsec: billsecText === '' ? undefined : secondsField('billsec', billsecText),
  });
  const callerId = parseCallerId(get('clid'));
  const caller = get('src') || callerId.number;
  const callee = get('dst');
  const routing = directionFromChannels(get('channel'), get('dstchannel'), caller, callee);
  const stated = directionFromUserfield(get('userfield'));
  const uniqueid = get('uniqueid');
  const acctId = get('acctid');
  return finishCdr(
    {
      nativeId: uniqueid || acctId || null,
      // AcctId is the UCM's row id (unique per leg); uniqueid guards against a reset database reusing row ids.
      dedupKey: uniqueid && acctId ? `${uniqueid}:${acctId}` : undefined,
      ...callTimes,
      startWallMs,
      caller,
      callerName: callerId.name,
      callee,
      direction: routing.direction !== 'unknown' ? routing.direction : (stated ?? 'unknown'),
      trunkIn: get('src_trunk_name') || routing.trunkIn,
      trunkOut: get('dst_trunk_name') || routing.trunkOut,
      disposition: status ?? (callTimes.billsec > 0 ? 'answered' : 'unknown'),
      accountCode: get('accountcode'),
      raw,
      position,
      hashExtras: [get('channel'), get('dstchannel')],
    },
    device,
    format,
  );
}

function isHeaderLine(fields: string[]): boolean {
  const names = new Set(fields.map((f) => f.trim().toLowerCase()));
  return names.has('acctid') || (names.has('src') && names.has('dst') && names.has('start'));
}

/** What the typed columns of a cdrapi line hold; a column absent from the header is not checked. */
const COLUMN_KINDS: Record<string, (text: string) => boolean> = {
  lastapp: (t) => /^[A-Za-z][\w-]*$/.test(t) || t === '',
  start: (t) => !Number.isNaN(parseWallClock(t)),
  answer: (t) => t === '' || !Number.isNaN(parseWallClock(t)),
  end: (t) => t === '' || !Number.isNaN(parseWallClock(t)),
  duration: (t) => /^\d+$/.test(t),
  billsec: (t) => /^\d+$/.test(t),
  disposition: (t) => t === '' || dispositionFromStatus(t) !== null,
  uniqueid: (t) => t === '' || /^\d+\.\d+$/.test(t),
  acctid: (t) => t === '' || /^\d+$/.test(t),
};

/** An application's arguments are separated by commas; Queue() takes the most (ten), none of them a time. */
const MAX_LASTDATA_ARGUMENTS = 10;

/**
 * The UCM writes `lastdata` unquoted, so `Dial(SIP/5301,60,)` arrives as three columns. A line with more columns
 * than the header is read with its extra columns joined back into `lastdata`, but only when that makes every typed
 * column (AcctId, lastapp, start … billsec, disposition, uniqueid) hold what its kind says and the joined pieces
 * hold no date and time: a line that is cut, doubled or has columns added anywhere else stays a reject.
 */
function withLastdataJoined(fields: string[], layout: ColumnLayout): string[] | null {
  const at = layout.indexOf('lastdata');
  const extra = fields.length - layout.names.length;
  if (at === -1 || extra + 1 > MAX_LASTDATA_ARGUMENTS) return null;
  const pieces = fields.slice(at, at + extra + 1);
  if (pieces.some((piece) => !Number.isNaN(parseWallClock(piece.trim())))) return null;
  const joined = [...fields.slice(0, at), pieces.join(','), ...fields.slice(at + extra + 1)];
  for (const [name, isOfKind] of Object.entries(COLUMN_KINDS)) {
    const index = layout.indexOf(name);
    if (index !== -1 && !isOfKind(fieldAt(joined, index).trim())) return null;
  }
  return joined;
}

class GrandstreamCsvParser extends DelimitedLineParser {
  private readonly times: DeviceTimeReader;
  private layout = new ColumnLayout(GRANDSTREAM_DEFAULT_COLUMNS);

  constructor(device: DeviceContext) {
    super('grandstream-csv', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    const startIndex = this.layout.indexOf('start');
    if (Number.isNaN(parseWallClock(fieldAt(fields, startIndex).trim())) && isHeaderLine(fields)) {
      this.layout = new ColumnLayout(fields);
      out.skip(position, 'header line');
      return;
    }
    // Every line has the header's columns (the UCM quotes nothing but the caller id): another count means the line
    // is cut or two records ran together, and its fields cannot be trusted to be where the header says.
    const columns = fields.length > this.layout.names.length ? withLastdataJoined(fields, this.layout) : fields;
    if (columns === null || columns.length !== this.layout.names.length) {
      out.reject(raw, position, `expected ${this.layout.names.length} columns, found ${fields.length}`);
      return;
    }
    const layout = this.layout;
    const get: GrandstreamRecord = (name) => fieldAt(columns, layout.indexOf(name)).trim();
    out.cdrs.push(readGrandstreamCdr(get, raw, position, this.times, this.device, 'grandstream-csv'));
  }
}

class GrandstreamJsonParser extends JsonRecordParser {
  private readonly times: DeviceTimeReader;

  constructor(device: DeviceContext) {
    super('grandstream-json', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  protected override recordsOf(value: unknown): unknown[] | string {
    if (isJsonObject(value)) {
      const list = value['cdr_root'] ?? value['cdr'];
      if (Array.isArray(list)) return list;
      if (isJsonObject(list)) return [list];
    }
    return super.recordsOf(value);
  }

  protected readObject(item: JsonObject, raw: string, position: RecordPosition, out: ParseOutcome): void {
    const main = item['main_cdr'];
    if (!isJsonObject(main)) {
      out.cdrs.push(this.read(item, raw, position));
      return;
    }
    const mainValues = lowerCaseKeys(main);
    const mainCdr = this.read(withLegTimesAndRoute(mainValues, subCdrsOf(item)), raw, position);
    const callId =
      textOf(item['cdr']) || textOf(mainValues['cdr']) || textOf(mainValues['session']) || textOf(mainValues['uniqueid']) || mainCdr.dedupKey;
    mainCdr.leg = { role: 'main', callId, billed: true };
    out.cdrs.push(mainCdr);
    let problem: string | null = null;
    for (const [key, sub] of subCdrsOf(item)) {
      if (sub === null) continue; // some firmware lists empty slots: "sub_cdr_3": null
      try {
        if (!isJsonObject(sub)) throw new FieldError(key, `expected a JSON object, found ${typeof sub}`);
        const legCdr = this.read(sub, JSON.stringify(sub), position);
        legCdr.leg = { role: 'sub', callId, billed: false };
        out.cdrs.push(legCdr);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        problem ??= `${key}: ${error.message}`;
      }
    }
    if (problem !== null) out.reject(raw, position, problem);
  }

  private read(values: JsonObject, raw: string, position: RecordPosition): NormalizedCdr {
    const lower = lowerCaseKeys(values);
    const get: GrandstreamRecord = (name) => textOf(lower[name]);
    return readGrandstreamCdr(get, raw, position, this.times, this.device, 'grandstream-json');
  }
}

/**
 * A main CDR that leaves out its answer and end time (UCM63xx `cdrapi`: only start, duration and billsec, the sums of
 * its legs) takes them from its sub-CDRs: the first answer and the last end; its duration then runs from its start
 * to that end. Where it names no channel, trunk or direction, the legs' are the call's (the first that has one;
 * the destination channel of the last leg that reached one).
 */
function withLegTimesAndRoute(main: JsonObject, subs: [string, unknown][]): JsonObject {
  const legs = subs.map(([, sub]) => sub).filter(isJsonObject).map(lowerCaseKeys);
  if (legs.length === 0) return main;
  const filled: JsonObject = { ...main };
  const text = (values: JsonObject, name: string) => textOf(values[name]);
  const stamps = (name: string) =>
    legs.map((leg) => text(leg, name)).filter((t) => !Number.isNaN(parseWallClock(t))).sort((a, b) => parseWallClock(a) - parseWallClock(b));
  if (text(main, 'answer') === '' && text(main, 'end') === '') {
    const answers = stamps('answer');
    const ends = stamps('end');
    if (ends.length > 0) {
      filled['answer'] = answers[0] ?? '';
      filled['end'] = ends[ends.length - 1]!;
      filled['duration'] = '';
    }
  }
  for (const name of ['channel', 'userfield', 'src_trunk_name', 'dst_trunk_name']) {
    if (text(main, name) === '') filled[name] = legs.map((leg) => text(leg, name)).find((t) => t !== '') ?? '';
  }
  if (text(main, 'dstchannel') === '') filled['dstchannel'] = legs.map((leg) => text(leg, 'dstchannel')).filter((t) => t !== '').pop() ?? '';
  return filled;
}

/** The `sub_cdr_N` entries of a multi-leg call, in their number's order. */
function subCdrsOf(item: JsonObject): [string, unknown][] {
  return Object.keys(item)
    .map((key) => ({ key, n: /^sub_cdr_(\d+)$/i.exec(key)?.[1] }))
    .filter((k): k is { key: string; n: string } => k.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map(({ key }) => [key, item[key]]);
}

export const grandstreamCsvAdapter: CdrAdapter = {
  format: 'grandstream-csv',
  framing: 'line',
  description: 'Grandstream UCM cdrapi CSV (header line; columns mapped by name)',
  createParser: (device) => new GrandstreamCsvParser(device),
};

export const grandstreamJsonAdapter: CdrAdapter = {
  format: 'grandstream-json',
  framing: 'json',
  description: 'Grandstream UCM cdrapi JSON ({"cdr":[...]} or {"cdr_root":[...]} with main_cdr/sub_cdr)',
  createParser: (device) => new GrandstreamJsonParser(device),
};
