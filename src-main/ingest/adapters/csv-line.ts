/**
 * Splits one line of delimited text into fields (RFC 4180 quoting: `"` around a field, `""` for a quote inside).
 *
 * Why not csv-parse here: lines are already framed by the stream reader, and csv-parse costs about 10 µs per line
 * when driven one line at a time (about 17,000 lines/s through `csv-parse/sync`, under 90,000 lines/s through its
 * streaming API), while ingestion must sustain more than 100,000 records/s end to end. This splitter is tested
 * against csv-parse on generated input (csv-line.test.ts), so the library remains the reference for well-formed CSV.
 *
 * Lenient where PBXs are: a quoted section followed by more text before the delimiter (Grandstream's
 * `"Li Wei" <8001>`, `"Zhang, Min" <8002>`) keeps the field's text as written, quotes included, so callers can read
 * it as a caller id; an unquoted field may hold quotes in pairs (`say "hi"`).
 *
 * Strict where a line is damaged: a quote that is never closed (an odd number of quotes in a field, or a quoted
 * section left open) would shift every later column, and a NUL byte is never CDR text (a file cut by a crash, a
 * disk block of zeros): both make the line a problem naming the column, never fields.
 */

export type SplitLineResult = { ok: true; fields: string[] } | { ok: false; problem: string };

export interface SplitLineOptions {
  /**
   * Reads an unquoted `NULL` or `\N` as an empty field: database exports (FreePBX/MySQL) write them for empty
   * columns, while a quoted `"NULL"` stays text.
   */
  unquotedNullIsEmpty?: boolean;
}

const QUOTE = 34; // "

export function splitDelimitedLine(line: string, delimiter = ',', options: SplitLineOptions = {}): SplitLineResult {
  const result = splitFields(line, delimiter, options.unquotedNullIsEmpty === true);
  if (result.ok && line.indexOf('\u0000') !== -1) {
    const column = result.fields.findIndex((field) => field.indexOf('\u0000') !== -1);
    return { ok: false, problem: `column ${column + 1}: holds a NUL byte (the line is damaged)` };
  }
  return result;
}

function splitFields(line: string, delimiter: string, nullIsEmpty: boolean): SplitLineResult {
  const fields: string[] = [];
  const delimiterCode = delimiter.charCodeAt(0);
  const length = line.length;
  let position = 0;
  // Index of the next quote at or after `position` (-1: none left): most lines need one search in all.
  let nextQuote = line.indexOf('"');
  for (;;) {
    if (position < length && line.charCodeAt(position) === QUOTE) {
      const fieldStart = position;
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const closing = line.indexOf('"', cursor);
        if (closing === -1) {
          return { ok: false, problem: `column ${fields.length + 1}: quoted field is not closed before the end of the line` };
        }
        value += line.slice(cursor, closing);
        if (line.charCodeAt(closing + 1) === QUOTE) {
          value += '"';
          cursor = closing + 2;
          continue;
        }
        cursor = closing + 1;
        break;
      }
      if (cursor >= length) {
        fields.push(value);
        return { ok: true, fields };
      }
      if (line.charCodeAt(cursor) === delimiterCode) {
        fields.push(value);
        position = cursor + 1;
        nextQuote = line.indexOf('"', position);
        continue;
      }
      // Text after the closing quote: keep the field as written up to the next delimiter. A quote there must
      // have its pair before that delimiter, else the line is damaged here (not where the columns stop adding up).
      const end = line.indexOf(delimiter, cursor);
      if (quotesBetween(line, cursor, end === -1 ? length : end) % 2 === 1) {
        return { ok: false, problem: `column ${fields.length + 1}: unbalanced quote after the quoted text` };
      }
      fields.push(line.slice(fieldStart, end === -1 ? length : end));
      if (end === -1) return { ok: true, fields };
      position = end + 1;
      nextQuote = line.indexOf('"', position);
      continue;
    }
    const delimiterAt = line.indexOf(delimiter, position);
    const end = delimiterAt === -1 ? length : delimiterAt;
    if (nextQuote !== -1 && nextQuote < end) {
      if (quotesBetween(line, nextQuote, end) % 2 === 1) {
        return { ok: false, problem: `column ${fields.length + 1}: unbalanced quote inside an unquoted field` };
      }
      nextQuote = line.indexOf('"', end);
    }
    const field = line.slice(position, end);
    fields.push(nullIsEmpty && (field === 'NULL' || field === '\\N') ? '' : field);
    if (delimiterAt === -1) return { ok: true, fields };
    position = end + 1;
  }
}

function quotesBetween(line: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (line.charCodeAt(i) === QUOTE) count++;
  return count;
}
