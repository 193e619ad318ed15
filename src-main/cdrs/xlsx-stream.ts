/**
 * A fast row path on top of exceljs's streaming workbook writer, for exports of millions of rows.
 *
 * exceljs (stream.xlsx.WorkbookWriter) builds the package: workbook, styles, sheets, frozen headings, column widths,
 * the zip. Its per-cell path (a Row and Cell object per value, a style lookup that renders XML per cell) manages
 * about 15,000 rows/s at 17 columns here, so data rows are rendered by this file straight into the sheet's stream as
 * SpreadsheetML `<row>` elements, with style ids taken from exceljs's style table once per kind. The sheet's first row
 * goes through exceljs so that it writes the column definitions and opens `<sheetData>`; every later row is ours.
 *
 * exceljs does not wait for the zip to take what a sheet wrote, so `drain()` waits while too much is pending: memory
 * stays flat whatever the size of the export.
 */
import type ExcelJS from 'exceljs';
import { excelJs } from '../lazy-modules';
import type { Writable } from 'node:stream';

export type XlsxKind = 'text' | 'integer' | 'time' | 'duration' | 'money';

/** Number formats: money with 2 decimals, durations h:mm:ss (hours beyond 24 kept), wall-clock date and time. */
const NUM_FMT: Record<XlsxKind, string | undefined> = {
  text: undefined,
  integer: '0',
  time: 'yyyy-mm-dd hh:mm:ss',
  duration: '[h]:mm:ss',
  money: '#,##0.00',
};

const MAX_PENDING_BYTES = 8 * 1024 * 1024;

// Characters XML 1.0 cannot hold at all, and the ones it must escape.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const NEEDS_WORK = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function xmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rows are gathered into one string of about this size before they go to the sheet's stream. */
const WRITE_CHUNK_CHARS = 256 * 1024;

/** Column letters: 0 -> "A", 25 -> "Z", 26 -> "AA". */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Internal parts of exceljs's streaming writers this file relies on (exceljs 4.x). */
interface StreamBufInternals {
  write(data: string): unknown;
  buffers: { length?: number; toBuffer?: () => Buffer }[];
  pipes: Writable[];
}
interface PipeInternals extends Writable {
  _writableState?: { length: number };
}
interface StylesInternals {
  addStyleModel(model: Partial<ExcelJS.Style>, cellType?: number): number;
}

export interface XlsxSheetOptions {
  name: string;
  widths: number[];
  /** Rows frozen at the top (the headings stay visible while scrolling). */
  frozenRows: number;
}

/** One sheet being written: rows are appended in order; `rowNumber` is the next row's number (1-based). */
export class XlsxSheet {
  rowNumber = 1;
  private readonly letters: string[];
  /** `rowNumber` as text, made once per row for the cell references. */
  private rowText = '1';
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(
    private readonly sheet: ExcelJS.Worksheet,
    private readonly stream: StreamBufInternals,
    columns: number,
  ) {
    this.letters = Array.from({ length: columns }, (_, i) => columnLetters(i));
  }

  /** A row through exceljs (the first one of a sheet must be: it writes the columns and opens the data). */
  addStyledRow(values: (string | number | null)[], font?: Partial<ExcelJS.Font>, fill?: boolean): void {
    const row = this.sheet.addRow(values);
    if (font) row.font = font;
    if (fill) {
      row.eachCell((cell) => {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE9ECEF' } };
        cell.border = { bottom: { style: 'thin' } };
      });
    }
    this.flush();
    row.commit();
    this.rowNumber++;
    this.rowText = String(this.rowNumber);
  }

  /** Starts a fast row; add its cells left to right with the cell methods, then `endRow()`. */
  startRow(): string {
    return `<row r="${this.rowText}">`;
  }

  textCell(xml: string, column: number, text: string, style = 0): string {
    if (text === '') return xml;
    const s = style ? ` s="${style}"` : '';
    // t="str" with the text as the value: how exceljs itself writes strings without a shared-strings table (shorter
    // than an inline <is> element, which matters at a million rows).
    return `${xml}<c r="${this.letters[column]}${this.rowText}"${s} t="str"><v>${xmlText(text)}</v></c>`;
  }

  numberCell(xml: string, column: number, value: number, style: number): string {
    return `${xml}<c r="${this.letters[column]}${this.rowText}" s="${style}"><v>${value}</v></c>`;
  }

  endRow(xml: string): void {
    const row = `${xml}</row>`;
    this.pending.push(row);
    this.pendingChars += row.length;
    if (this.pendingChars >= WRITE_CHUNK_CHARS) this.flush();
    this.rowNumber++;
    this.rowText = String(this.rowNumber);
  }

  /** Hands the gathered rows to the sheet's stream. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Bytes written but not yet taken by the zip. */
  pendingBytes(): number {
    let n = 0;
    for (const b of this.stream.buffers) n += typeof b.length === 'number' ? b.length : 0;
    // archiver wraps the sheet's stream in a PassThrough of readable-stream 2, which has no `writableLength`.
    for (const p of this.stream.pipes as PipeInternals[]) n += p.writableLength ?? p._writableState?.length ?? 0;
    return n;
  }

  /** Waits until the zip has taken most of what was written (call between chunks of rows). */
  async drain(): Promise<void> {
    this.flush();
    while (this.pendingBytes() > MAX_PENDING_BYTES) {
      // The zip takes 64 KiB buffers as its deflate gets through them: look again shortly.
      await delay(3);
    }
  }

  commit(): void {
    this.flush();
    this.sheet.commit();
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A workbook written to `file` as it goes; `styleId(kind, bold)` gives the style of a number kind. */
export class XlsxWorkbook {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly styleIds = new Map<string, number>();

  constructor(file: string) {
    // Level 1 deflate: several times faster than the default for about a fifth larger files (mostly digits).
    this.workbook = new (excelJs().stream.xlsx.WorkbookWriter)({
      filename: file,
      useStyles: true,
      useSharedStrings: false,
      zip: { zlib: { level: 1 } },
    } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
  }

  styleId(kind: XlsxKind, bold = false): number {
    const key = `${kind}:${bold}`;
    let id = this.styleIds.get(key);
    if (id === undefined) {
      const styles = (this.workbook as unknown as { styles: StylesInternals }).styles;
      const model: Partial<ExcelJS.Style> = {};
      const numFmt = NUM_FMT[kind];
      if (numFmt) model.numFmt = numFmt;
      if (bold) model.font = { bold: true };
      id = Object.keys(model).length ? styles.addStyleModel(model) : 0;
      this.styleIds.set(key, id);
    }
    return id;
  }

  addSheet(o: XlsxSheetOptions): XlsxSheet {
    const sheet = this.workbook.addWorksheet(o.name, { views: [{ state: 'frozen', ySplit: o.frozenRows }] });
    sheet.columns = o.widths.map((width) => ({ width }));
    const stream = (sheet as unknown as { stream: StreamBufInternals }).stream;
    return new XlsxSheet(sheet, stream, o.widths.length);
  }

  async commit(): Promise<void> {
    await this.workbook.commit();
  }
}
