/**
 * Reads the rows of an uploaded spreadsheet (.xlsx with exceljs' streaming reader, .csv with csv-parse) as text cells
 * with their row numbers as a spreadsheet program shows them, so an import can say "row 1234, column Prefix".
 * CSV files saved by a Chinese Excel are often GB18030 rather than UTF-8: both are read.
 */
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';

export interface SheetRow {
  /** Sheet name for .xlsx (null for .csv). */
  sheet: string | null;
  /** 1-based row number in its sheet (CSV: line number). */
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

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: a Chinese Windows Excel writes CSV in GB18030 (which includes GBK).
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The delimiter used most on the first lines: comma, semicolon or tab. */
function sniffDelimiter(text: string): string {
  const sample = text.slice(0, 4096).split(/\r?\n/).slice(0, 10).join('\n');
  const counts = [',', ';', '\t'].map((d) => [d, sample.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

async function* csvRows(bytes: Buffer): AsyncGenerator<SheetRow[]> {
  const text = decodeText(bytes);
  const parser = Readable.from([text]).pipe(
    parseCsv({ bom: true, delimiter: sniffDelimiter(text), relax_column_count: true, relax_quotes: true, info: true, skip_empty_lines: false }),
  );
  let batch: SheetRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      batch.push({ sheet: null, row: info.lines, cells: record });
      if (batch.length >= 2000) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    throw new NotASpreadsheetError(`the CSV text cannot be read: ${(err as Error).message}`);
  }
  if (batch.length) yield batch;
}

type CellValue = ExcelJS.CellValue;

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name?: string }).name ?? null;
      let batch: SheetRow[] = [];
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as CellValue[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        batch.push({ sheet: name, row: row.number, cells });
        if (batch.length >= 2000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
  } catch (err) {
    if (err instanceof NotASpreadsheetError) throw err;
    throw new NotASpreadsheetError(`the .xlsx workbook cannot be read: ${(err as Error).message}`);
  }
}

/** The rows of the file, in batches. Throws NotASpreadsheetError for content that is not a readable .xlsx or .csv. */
export function spreadsheetRows(fileName: string, bytes: Buffer): AsyncGenerator<SheetRow[]> {
  return spreadsheetFormat(fileName, bytes) === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes);
}
