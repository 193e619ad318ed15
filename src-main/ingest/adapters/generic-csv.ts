/**
 * Generic delimited files: the device's format options say which column holds which field (by header name or
 * 0-based index), the delimiter, whether there is a header line, how dates are written, their zone and the unit of
 * durations (see genericCsvOptionsSchema). Bad options make every record a reject that says what to fix.
 *
 * When only `duration` is mapped (no billsec, no answer time), it is taken as the talk time: simple exports list
 * one duration, and it is the billed one.
 *
 * Every record must have as many columns as the header line names (without a header: as the first record of the
 * stream has); a record with another count is a reject, since a shifted column would put a number where a name was
 * mapped. `NULL` (database exports) is an empty field.
 */
import {
  genericCsvOptionsSchema,
  type CallDirection,
  type DeviceContext,
  type GenericCsvField,
  type GenericCsvOptions,
  type RecordPosition,
} from '../../../src-shared/domain/cdr';
import { compileDateFormat, type DateReader } from './date-format';
import {
  clip,
  clockDurationField,
  completeCallTimes,
  DeviceTimeReader,
  directionFromNumbers,
  dispositionFromStatus,
  finishCdr,
} from './normalize';
import { fieldValue } from './field-values';
import { ColumnLayout, DelimitedLineParser, fieldAt } from './record-parsers';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

type ColumnIndexes = Partial<Record<GenericCsvField, number>>;

interface GenericLayout {
  options: GenericCsvOptions;
  readDate: DateReader;
  times: DeviceTimeReader;
}

/** Checks the device's options once; a string says what is wrong with them. */
function layoutOf(device: DeviceContext): GenericLayout | string {
  const parsed = genericCsvOptionsSchema.safeParse(device.formatOptions ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `device format options: ${issue.path.join('.') || 'options'}: ${issue.message}`;
  }
  const options = parsed.data;
  const byName = Object.entries(options.columns).filter(([, column]) => typeof column === 'string');
  if (!options.header && byName.length > 0) {
    return `device format options: column ${byName[0]![0]} is mapped by name ('${byName[0]![1]}') but header is off`;
  }
  const readDate = compileDateFormat(options.dateFormat);
  if (typeof readDate === 'string') return `device format options: ${readDate}`;
  return { options, readDate, times: new DeviceTimeReader(options.timeZone ?? device.timeZone) };
}

function directionFromText(text: string): CallDirection | null {
  switch (text.trim().toLowerCase()) {
    case 'in': case 'i': case 'inbound': case 'incoming':
      return 'inbound';
    case 'out': case 'o': case 'outbound': case 'outgoing':
      return 'outbound';
    case 'internal': case 'int': case 'intern':
      return 'internal';
    default:
      return null;
  }
}

class GenericCsvParser extends DelimitedLineParser {
  private readonly layout: GenericLayout | string;
  private indexes: ColumnIndexes | null = null;
  private headerSeen = false;
  /** Columns of every record: the header's, or without a header the first record's. */
  private columnCount: number | null = null;
  /** Why the last header line could not be used: every record until a good header is rejected with it. */
  private headerProblem: string | null = null;

  constructor(device: DeviceContext) {
    const layout = layoutOf(device);
    super('generic-csv', device, typeof layout === 'string' ? ',' : layout.options.delimiter);
    this.layout = layout;
    const columns = typeof layout === 'string' ? {} : layout.options.columns;
    // Columns given by index need no header to be found.
    if (Object.values(columns).every((c) => typeof c === 'number')) this.indexes = { ...columns } as ColumnIndexes;
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    const layout = this.layout;
    if (typeof layout === 'string') {
      out.reject(raw, position, layout);
      return;
    }
    if (layout.options.header && this.isHeader(fields, position)) {
      const header = new ColumnLayout(fields.map((f) => f.trim()));
      const indexes: ColumnIndexes = {};
      const missing: string[] = [];
      for (const [field, column] of Object.entries(layout.options.columns) as [GenericCsvField, string | number][]) {
        const index = typeof column === 'number' ? column : header.indexOf(column);
        if (index === -1) missing.push(`'${column}'`);
        indexes[field] = index;
      }
      this.headerSeen = true;
      if (missing.length > 0) {
        this.indexes = null;
        this.headerProblem = `the header line lacks the mapped columns ${missing.join(', ')}`;
        out.reject(raw, position, this.headerProblem);
      } else {
        this.indexes = indexes;
        this.headerProblem = null;
        this.columnCount = fields.length;
        out.skip(position, 'header line');
      }
      return;
    }
    const indexes = this.indexes;
    if (!indexes) {
      out.reject(raw, position, this.headerProblem ?? 'no header line before this record: columns are mapped by header name');
      return;
    }
    const highest = Math.max(...Object.values(indexes));
    if (fields.length <= highest) {
      out.reject(raw, position, `expected at least ${highest + 1} columns, found ${fields.length}`);
      return;
    }
    if (this.columnCount !== null && fields.length !== this.columnCount) {
      const source = this.headerSeen ? 'as the header line names' : 'as the first record has';
      out.reject(raw, position, `expected ${this.columnCount} columns (${source}), found ${fields.length}`);
      return;
    }
    const get = (field: GenericCsvField) => (indexes[field] === undefined ? '' : fieldValue(fieldAt(fields, indexes[field])));
    this.addCdr(get, layout, raw, position, out);
    // Only a record that became a call sets the count: a broken first line must not make every good one a reject.
    this.columnCount ??= fields.length;
  }

  /** The first line of the input, or a line naming every column mapped by name (a header repeated mid-file). */
  private isHeader(fields: string[], position: RecordPosition): boolean {
    const columns = (this.layout as GenericLayout).options.columns;
    const firstLine = position.offset === 0 || (position.offset === undefined && position.line === 1);
    if (!this.headerSeen && firstLine) return true;
    const names = Object.values(columns).filter((c): c is string => typeof c === 'string');
    if (names.length === 0) return false;
    if (this.indexes !== null && typeof columns.start === 'string') {
      // Cheap test first: a data line has a date where the header has the start column's name.
      const startText = fieldAt(fields, this.indexes.start ?? -1).trim().toLowerCase();
      if (startText !== columns.start.toLowerCase()) return false;
    }
    const present = new Set(fields.map((f) => f.trim().toLowerCase()));
    return names.every((name) => present.has(name.toLowerCase()));
  }

  private addCdr(
    get: (field: GenericCsvField) => string,
    layout: GenericLayout,
    raw: string,
    position: RecordPosition,
    out: ParseOutcome,
  ): void {
    let startWallMs: number | undefined;
    const instant = (field: GenericCsvField): number | undefined => {
      const text = get(field);
      if (text === '') return undefined;
      const read = layout.readDate(text);
      if (read.kind === 'invalid') {
        throw new FieldError(field, `'${clip(text)}' does not match the date format '${layout.options.dateFormat}'`);
      }
      if (read.kind === 'instant') return read.utcMs;
      if (field === 'start') startWallMs = read.wallMs;
      return layout.times.fromWallClock(field, read.wallMs);
    };
    const seconds = (field: GenericCsvField): number | undefined => {
      const text = get(field);
      return text === '' ? undefined : durationOf(field, text, layout.options.durationUnit);
    };
    const startMs = instant('start');
    if (startMs === undefined) throw new FieldError('start', 'empty');
    const answerMapped = this.indexes?.answer !== undefined;
    const duration = seconds('duration');
    const billsecMapped = this.indexes?.billsec !== undefined;
    const callTimes = completeCallTimes({
      startMs,
      answerMs: answerMapped ? (instant('answer') ?? null) : undefined,
      endMs: instant('end'),
      duration,
      billsec: billsecMapped ? (seconds('billsec') ?? 0) : answerMapped ? undefined : duration,
    });
    const caller = get('caller');
    const callee = get('callee');
    const nativeId = get('nativeId');
    const status = get('disposition');
    out.cdrs.push(
      finishCdr(
        {
          nativeId: nativeId !== '' ? nativeId : null,
          ...callTimes,
          startWallMs,
          caller,
          callerName: get('callerName'),
          callee,
          originalCallee: get('originalCallee'),
          finalCallee: get('finalCallee'),
          direction: directionFromText(get('direction')) ?? directionFromNumbers(caller, callee),
          trunkIn: get('trunkIn'),
          trunkOut: get('trunkOut'),
          disposition: dispositionFromStatus(status) ?? (callTimes.billsec > 0 ? 'answered' : 'unknown'),
          cause: get('cause'),
          accountCode: get('accountCode'),
          pin: get('pin'),
          raw,
          position,
        },
        this.device,
        this.format,
      ),
    );
  }
}

function durationOf(field: string, text: string, unit: GenericCsvOptions['durationUnit']): number {
  if (unit === 'hms') return clockDurationField(field, text);
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) throw new FieldError(field, `'${clip(text)}' is not a number of ${unit === 'ms' ? 'milliseconds' : 'seconds'}`);
  return Math.round(unit === 'ms' ? value / 1000 : value);
}

export const genericCsvAdapter: CdrAdapter = {
  format: 'generic-csv',
  framing: 'line',
  description: 'Generic delimited file; column mapping, delimiter, header, date format, zone and duration unit per device',
  createParser: (device) => new GenericCsvParser(device),
};
