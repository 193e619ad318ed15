import type {
  CdrFormat,
  CdrParseResult,
  CdrReject,
  DeviceContext,
  NormalizedCdr,
  RecordPosition,
  SkippedRecord,
} from '../../../src-shared/domain/cdr';

/** One unit of input: a line (line-framed formats) or a whole body (document formats). */
export interface SourceRecord {
  text: string;
  position: RecordPosition;
}

/**
 * How a format is cut into records:
 * - `line`: one record per line (CSV-like layouts);
 * - `json`: one JSON value per line in files and streams, or a whole HTTP body that is a single JSON document;
 * - `document`: a whole body or file is one record (it may hold several calls).
 */
export type CdrFraming = 'line' | 'json' | 'document';

/**
 * A parser for one stream (file, connection, body) of one device. Push records in order; call flush at the end.
 * Never throws on input: bad records come back as rejects.
 */
export interface CdrParser {
  readonly format: CdrFormat;
  readonly framing: CdrFraming;
  /** Reads one record; outcomes are added to `into` when given (saves an allocation per line), else to a new one. */
  push(record: SourceRecord, into?: ParseOutcome): ParseOutcome;
  /** Emits what is still held (incomplete multi-record calls). The parser can be pushed to again afterwards. */
  flush(into?: ParseOutcome): ParseOutcome;
  /** Position of the earliest record held back and not yet emitted (IP Office continuation records), if any. */
  heldFrom(): RecordPosition | null;
}

export interface CdrAdapter {
  readonly format: CdrFormat;
  readonly framing: CdrFraming;
  /** What the format is, for the device settings screen. */
  readonly description: string;
  createParser(device: DeviceContext): CdrParser;
}

/** Collects one step's outcome. */
export class ParseOutcome implements CdrParseResult {
  cdrs: NormalizedCdr[] = [];
  rejects: CdrReject[] = [];
  skipped: SkippedRecord[] = [];

  reject(raw: string, position: RecordPosition, problem: string): void {
    this.rejects.push({ raw, reason: `${describePosition(position)}${problem}`, position });
  }

  skip(position: RecordPosition, reason: string): void {
    this.skipped.push({ position, reason });
  }

  append(other: CdrParseResult): void {
    for (const c of other.cdrs) this.cdrs.push(c);
    for (const r of other.rejects) this.rejects.push(r);
    for (const s of other.skipped) this.skipped.push(s);
  }
}

/** "line 7: " / "record 2: " / "" (a whole body) — the prefix that says where a problem is. */
export function describePosition(position: RecordPosition): string {
  if (position.line !== undefined) {
    return position.index !== undefined ? `line ${position.line}, record ${position.index + 1}: ` : `line ${position.line}: `;
  }
  if (position.index !== undefined) return `record ${position.index + 1}: `;
  return ''; // a whole body: the record is the body itself
}

/** A problem with one field of a record; adapters throw it internally and turn it into a reject. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`field ${field}: ${problem}`);
  }
}
