/**
 * Reads the rows of an uploaded spreadsheet (.xlsx: xlsx-rows.ts; .csv: framed here, split by the RFC 4180 splitter) as text cells
 * with their row numbers as a spreadsheet program shows them, so an import can say "row 1234, column Prefix".
 * CSV files saved by a Chinese Excel are often GB18030 rather than UTF-8: both are read.
 */
import { isUtf8 } from 'node:buffer';
import { splitDelimitedLine } from '../ingest/adapters/csv-line';
import { XlsxReadError, xlsxRows } from './xlsx-rows';

export interface SheetRow {
  /** Sheet name for .xlsx (null for .csv). */
  sheet: string | null;
  /** 1-based row number as a spreadsheet program shows it (CSV: the record's number). */
  row: number;
  cells: string[];
}

/** A file that is not a spreadsheet this import reads; the message says what it is and what to do. */
export class NotASpreadsheetError extends Error {}

export type SpreadsheetFormat = 'xlsx' | 'csv';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Decides the format from the content (and the name), refusing what cannot be a spreadsheet. */
export function spreadsheetFormat(fileName: string, bytes: Buffer): SpreadsheetFormat {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (bytes.length === 0) throw new NotASpreadsheetError('the file is empty');
  if (startsWith(bytes, ZIP_MAGIC)) {
    if (extension && extension !== 'xlsx') throw new NotASpreadsheetError(`"${fileName}" is a zip archive, not an .xlsx workbook or a .csv file`);
    return 'xlsx';
  }
  if (startsWith(bytes, OLE_MAGIC) || extension === 'xls') {
    throw new NotASpreadsheetError('old-style .xls workbooks cannot be read: save the file as .xlsx or .csv and import that');
  }
  if (extension === 'xlsx') throw new NotASpreadsheetError(`"${fileName}" is not an .xlsx workbook (its content is not a zip archive)`);
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new NotASpreadsheetError(`"${fileName}" is not a spreadsheet: its content is binary, neither .xlsx nor .csv text`);
  return 'csv';
}

/** Bytes decoded at a time: the text never exists as one 50 MB string. */
const CSV_CHUNK_BYTES = 64 * 1024;

/** UTF-8, or GB18030 (which includes GBK): what a Chinese Windows Excel writes when it saves CSV. */
function csvEncoding(bytes: Buffer): 'utf-8' | 'gb18030' {
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/** The text in chunks, decoded across chunk boundaries (a character cut in two is completed by the next chunk). */
function* textChunks(bytes: Buffer, encoding: string): Generator<string> {
  const decoder = new TextDecoder(encoding);
  for (let at = 0; at < bytes.length; at += CSV_CHUNK_BYTES) {
    const text = decoder.decode(bytes.subarray(at, at + CSV_CHUNK_BYTES), { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The delimiter used most on the first lines: comma, semicolon or tab. */
function sniffDelimiter(text: string): string {
  const sample = text.split(/\r?\n/).slice(0, 10).join('\n');
  const counts = [',', ';', '\t'].map((d) => [d, sample.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

/**
 * The records of CSV text: lines, joined where a quoted cell spans line breaks (an odd number of quotes so far). Framed
 * here and split by the ingest's RFC 4180 splitter, because csv-parse's streaming API costs about 20 µs a record
 * (a 500,000-row import spent 10 s in it); that splitter is tested against csv-parse.
 */
function* csvRecords(chunks: Iterable<string>): Generator<string> {
  let rest = '';
  let open = '';
  let openQuotes = false;
  for (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end + 1);
      start = end + 1;
      for (let q = line.indexOf('"'); q !== -1; q = line.indexOf('"', q + 1)) openQuotes = !openQuotes;
      if (openQuotes) {
        open += line;
        continue;
      }
      const record = open + line;
      open = '';
      yield record.endsWith('\r\n') ? record.slice(0, -2) : record.slice(0, -1);
    }
    rest = text.slice(start);
  }
  for (let q = rest.indexOf('"'); q !== -1; q = rest.indexOf('"', q + 1)) openQuotes = !openQuotes;
  if (openQuotes) throw new NotASpreadsheetError('a quoted cell is not closed before the end of the file');
  if (open || rest) yield open + rest;
}

async function* csvRows(bytes: Buffer): AsyncGenerator<SheetRow[]> {
  const encoding = csvEncoding(bytes);
  const delimiter = sniffDelimiter(new TextDecoder(encoding).decode(bytes.subarray(0, 4096)));
  let batch: SheetRow[] = [];
  // The record number is the row a spreadsheet program shows (a quoted cell over several lines stays one row).
  let row = 0;
  for (const record of csvRecords(textChunks(bytes, encoding))) {
    row++;
    const split = splitDelimitedLine(record, delimiter);
    if (!split.ok) throw new NotASpreadsheetError(`row ${row} cannot be read: ${split.problem}`);
    batch.push({ sheet: null, row, cells: split.fields });
    if (batch.length >= 2000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function* workbookRows(bytes: Buffer): AsyncGenerator<SheetRow[]> {
  try {
    for await (const batch of xlsxRows(bytes)) yield batch;
  } catch (err) {
    if (err instanceof XlsxReadError) throw new NotASpreadsheetError(err.message);
    throw err;
  }
}

/** The rows of the file, in batches. Throws NotASpreadsheetError for content that is not a readable .xlsx or .csv. */
export function spreadsheetRows(fileName: string, bytes: Buffer): AsyncGenerator<SheetRow[]> {
  return spreadsheetFormat(fileName, bytes) === 'xlsx' ? workbookRows(bytes) : csvRows(bytes);
}
