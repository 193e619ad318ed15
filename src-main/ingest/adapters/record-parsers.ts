/**
 * Skeletons for the two kinds of adapters: delimited lines (a CSV line -> fields -> record) and JSON records
 * (a line or body -> one object or an array of objects -> records). Each turns field errors into rejects, so one
 * bad record never stops the rest.
 */
import type { CdrFormat, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import { splitDelimitedLine, type SplitLineOptions } from './csv-line';
import { clip } from './normalize';
import {
  FieldError,
  ParseOutcome,
  type CdrFraming,
  type CdrParser,
  type SourceRecord,
} from './types';

const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(BOM.length) : text;
}

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 13 && code !== 0xfeff) return false;
  }
  return true;
}

/** A header line's column names -> index lookup (case-insensitive). */
export class ColumnLayout {
  private readonly indexByName = new Map<string, number>();

  constructor(readonly names: readonly string[]) {
    names.forEach((name, index) => {
      const key = name.trim().toLowerCase();
      if (!this.indexByName.has(key)) this.indexByName.set(key, index);
    });
  }

  /** Index of the first of the names present, or -1. */
  indexOf(...names: string[]): number {
    for (const name of names) {
      const index = this.indexByName.get(name.toLowerCase());
      if (index !== undefined) return index;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.indexByName.has(name.toLowerCase());
  }
}

/** The field at an index, or '' when the column is absent from the layout or the line. */
export function fieldAt(fields: readonly string[], index: number): string {
  return index >= 0 && index < fields.length ? fields[index]! : '';
}

export abstract class DelimitedLineParser implements CdrParser {
  readonly framing: CdrFraming = 'line';
  /** How lines are split (a subclass may read database exports' unquoted NULL as empty). */
  protected splitOptions: SplitLineOptions = {};

  constructor(
    readonly format: CdrFormat,
    protected readonly device: DeviceContext,
    protected readonly delimiter = ',',
  ) {}

  push(record: SourceRecord, out = new ParseOutcome()): ParseOutcome {
    const text = record.text.charCodeAt(0) === 0xfeff ? stripBom(record.text) : record.text;
    if (isBlank(text)) {
      out.skip(record.position, 'blank line');
      return out;
    }
    const split = splitDelimitedLine(text, this.delimiter, this.splitOptions);
    if (!split.ok) {
      out.reject(text, record.position, split.problem);
      return out;
    }
    try {
      this.readFields(split.fields, text, record.position, out);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      out.reject(text, record.position, error.message);
    }
    return out;
  }

  flush(into = new ParseOutcome()): ParseOutcome {
    return into;
  }

  heldFrom(): RecordPosition | null {
    return null;
  }

  /** Adds exactly one cdr, reject or skip to `out` (or throws FieldError). */
  protected abstract readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where a NUL byte sits in JSON text that does not parse (column, and the key whose value holds it): JSON never holds
 * the character raw, so the record was damaged (a file cut by a crash, a disk block of zeros). Null without one.
 */
function nulByteInJson(text: string): string | null {
  const at = text.indexOf('\u0000');
  if (at === -1) return null;
  const key = /"([^"\\]{1,60})"\s*:\s*"[^"]*$/.exec(text.slice(0, at))?.[1];
  return `NUL byte at column ${at + 1}${key === undefined ? '' : ` (in "${key}")`}: the record is damaged`;
}

export abstract class JsonRecordParser implements CdrParser {
  readonly framing: CdrFraming = 'json';

  constructor(
    readonly format: CdrFormat,
    protected readonly device: DeviceContext,
  ) {}

  push(record: SourceRecord, out = new ParseOutcome()): ParseOutcome {
    const text = stripBom(record.text);
    if (isBlank(text)) {
      out.skip(record.position, 'blank line');
      return out;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      out.reject(text, record.position, nulByteInJson(text) ?? `not JSON (${clip((error as Error).message, 120)})`);
      return out;
    }
    const items = this.recordsOf(value);
    if (typeof items === 'string') {
      out.reject(text, record.position, items);
      return out;
    }
    const several = items.length !== 1 || Array.isArray(value);
    items.forEach((item, index) => {
      const position = several ? { ...record.position, index } : record.position;
      const raw = several ? JSON.stringify(item) : text;
      if (!isJsonObject(item)) {
        out.reject(raw, position, `expected a JSON object, found ${describeJson(item)}`);
        return;
      }
      try {
        this.readObject(item, raw, position, out);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        out.reject(raw, position, error.message);
      }
    });
    if (items.length === 0) out.skip(record.position, 'JSON body holds no records');
    return out;
  }

  flush(into = new ParseOutcome()): ParseOutcome {
    return into;
  }

  heldFrom(): RecordPosition | null {
    return null;
  }

  /** The call records inside a parsed value, or a problem. Default: an object, or an array of objects. */
  protected recordsOf(value: unknown): unknown[] | string {
    if (Array.isArray(value)) return value;
    if (isJsonObject(value)) return [value];
    return `expected a JSON object or array, found ${describeJson(value)}`;
  }

  /** Adds exactly one cdr, reject or skip to `out` (or throws FieldError). */
  protected abstract readObject(item: JsonObject, raw: string, position: RecordPosition, out: ParseOutcome): void;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Looks a key up case-insensitively among aliases; JSON from PBX templates varies in case and spelling. */
export function lowerCaseKeys(item: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(item)) result[key.toLowerCase()] = item[key];
  return result;
}
