/**
 * Splits one line of delimited text into fields (RFC 4180 quoting: `"` around a field, `""` for a quote inside).
 *
 * Why not csv-parse here: lines are already framed by the stream reader, and csv-parse costs about 10 µs per line
 * when driven one line at a time (about 17,000 lines/s through `csv-parse/sync`, under 90,000 lines/s through its
 * streaming API), while ingestion must sustain more than 100,000 records/s end to end. This splitter is tested
 * against csv-parse on generated input (csv-line.test.ts), so the library remains the reference for well-formed CSV.
 *
 * Lenient where PBXs are: a quoted section followed by more text before the delimiter (Grandstream's
 * `"Li Wei" <8001>`) keeps the field's text as written, quotes included, so callers can read it as a caller id.
 */

export type SplitLineResult = { ok: true; fields: string[] } | { ok: false; problem: string };

const QUOTE = 34; // "

export function splitDelimitedLine(line: string, delimiter = ','): SplitLineResult {
  const fields: string[] = [];
  const delimiterCode = delimiter.charCodeAt(0);
  const length = line.length;
  let position = 0;
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
        continue;
      }
      // Text after the closing quote: keep the field as written up to the next delimiter outside quotes.
      const end = findDelimiterOutsideQuotes(line, cursor, delimiterCode);
      fields.push(line.slice(fieldStart, end === -1 ? length : end));
      if (end === -1) return { ok: true, fields };
      position = end + 1;
      continue;
    }
    const end = line.indexOf(delimiter, position);
    if (end === -1) {
      fields.push(line.slice(position));
      return { ok: true, fields };
    }
    fields.push(line.slice(position, end));
    position = end + 1;
  }
}

function findDelimiterOutsideQuotes(line: string, from: number, delimiterCode: number): number {
  let quoted = false;
  for (let i = from; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === QUOTE) quoted = !quoted;
    else if (code === delimiterCode && !quoted) return i;
  }
  return -1;
}
