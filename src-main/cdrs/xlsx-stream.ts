/**
 * A fast row path on top of exceljs's streaming workbook writer, for exports of millions of rows.
 *
 * exceljs (stream.xlsx.WorkbookWriter) builds the package: workbook, styles, sheets, frozen headings, column widths,
 * the zip. Its per-cell path (a Row and Cell object per value, a style lookup that renders XML per cell) manages
 * 20,000-30,000 rows/s at 17 columns here (bench/export.bench.ts), so data rows are written by this file straight
 * into the sheet's stream as the bytes of SpreadsheetML `<row>` elements, with style ids taken from exceljs's style
 * table once per kind. The sheet's first row
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

/**
 * exceljs hands a sheet's bytes to the zip in batches of 64 KiB, and zlib deflates each on libuv's thread pool only
 * when this thread comes back to take the last one's output: at that size the deflate hardly runs beside the rows
 * being written. Batches of 1 MiB (with an output buffer to match) give it longer runs on its own, and fewer turns
 * through the zip's streams here.
 */
const SHEET_BATCH_BYTES = 1024 * 1024;
const DEFLATE_CHUNK_BYTES = 1024 * 1024;

// Characters XML 1.0 cannot hold at all, and the ones it must escape.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const NEEDS_WORK = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function xmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Row bytes are gathered into a buffer of this size before they go to the sheet's stream. */
const WRITE_CHUNK_BYTES = 256 * 1024;

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
  write(data: string | Buffer): unknown;
  /** Size of the batches it hands to the zip (read when it starts another one). */
  bufSize: number;
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

const ascii = (text: string) => Buffer.from(text, 'latin1');
const ROW_OPEN = ascii('<row r="');
const TAG_END = ascii('">');
const ROW_CLOSE = ascii('</row>');
const CELL_CLOSE = ascii('</v></c>');

/**
 * One sheet being written: rows are appended in order; `rowNumber` is the next row's number (1-based). A fast row is
 * `startRow()`, its cells left to right, `endRow()`. Its XML is written as bytes straight into a buffer: at a million
 * rows of 17 cells, building it as strings (joined, then encoded) cost more than reading the rows from the database.
 */
export class XlsxSheet {
  rowNumber = 1;
  /** `<c r="B` of each column: the cell reference without its row number. */
  private readonly cellHeads: Buffer[];
  /** What follows a cell's reference up to its value, by style id (numbers) and by style id for text (`t="str"`). */
  private readonly numberMiddles: Buffer[] = [];
  private readonly textMiddles: Buffer[] = [];
  /** The digits of `rowNumber`, written once per cell reference. */
  private readonly rowDigits = new Uint8Array(16);
  private rowDigitCount = 1;
  private buf = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  private pos = 0;

  constructor(
    private readonly sheet: ExcelJS.Worksheet,
    private readonly stream: StreamBufInternals,
    columns: number,
  ) {
    this.cellHeads = Array.from({ length: columns }, (_, i) => ascii(`<c r="${columnLetters(i)}`));
    this.setRowDigits();
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
    this.setRowDigits();
  }

  /** Starts a fast row; add its cells left to right with the cell methods, then `endRow()`. */
  startRow(): void {
    this.room(64);
    this.put(ROW_OPEN);
    this.putRowDigits();
    this.put(TAG_END);
  }

  textCell(column: number, text: string, style = 0): void {
    if (text === '') return;
    // t="str" with the text as the value: how exceljs itself writes strings without a shared-strings table (shorter
    // than an inline <is> element, which matters at a million rows).
    const middle = (this.textMiddles[style] ??= ascii(`"${style ? ` s="${style}"` : ''} t="str"><v>`));
    this.cellStart(column, middle);
    this.putText(text);
    this.put(CELL_CLOSE);
  }

  /** A number cell; `value` may be given as its text already (String(n): callers cache repeated values). */
  numberCell(column: number, value: number | string, style: number): void {
    const middle = (this.numberMiddles[style] ??= ascii(`" s="${style}"><v>`));
    this.cellStart(column, middle);
    if (typeof value === 'number') this.putNumber(value);
    else this.putAscii(value);
    this.put(CELL_CLOSE);
  }

  endRow(): void {
    this.room(16);
    this.put(ROW_CLOSE);
    this.rowNumber++;
    this.setRowDigits();
  }

  private cellStart(column: number, middle: Buffer): void {
    this.room(96);
    this.put(this.cellHeads[column]!);
    this.putRowDigits();
    this.put(middle);
  }

  private setRowDigits(): void {
    let n = this.rowNumber;
    let count = 0;
    const d = this.rowDigits;
    do {
      d[15 - count++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    d.copyWithin(0, 16 - count);
    this.rowDigitCount = count;
  }

  private putRowDigits(): void {
    const { buf, rowDigits } = this;
    let pos = this.pos;
    for (let i = 0; i < this.rowDigitCount; i++) buf[pos++] = rowDigits[i]!;
    this.pos = pos;
  }

  /** Short constant pieces: a plain loop beats a call to `set` at this size. */
  private put(piece: Uint8Array): void {
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < piece.length; i++) buf[pos++] = piece[i]!;
    this.pos = pos;
  }

  /** Makes room for `bytes` more, handing what is gathered to the stream when the buffer is full. */
  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  private putNumber(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < 1e15) {
      const start = this.pos;
      let n = value;
      let count = 0;
      do {
        count++;
        n = Math.floor(n / 10);
      } while (n > 0);
      n = value;
      for (let i = start + count - 1; i >= start; i--) {
        this.buf[i] = 48 + (n % 10);
        n = Math.floor(n / 10);
      }
      this.pos = start + count;
    } else this.putAscii(String(value));
  }

  /** Text known to be ASCII with nothing to escape (numbers as text). */
  private putAscii(text: string): void {
    // With room for the cell's end after it (every put relies on room() made before).
    this.room(text.length + 16);
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** Text as XML character data in UTF-8: plain ASCII byte by byte, anything else (escapes, Chinese) through xmlText. */
  private putText(text: string): void {
    const length = text.length;
    this.room(length + 16);
    const { buf } = this;
    const start = this.pos;
    let pos = start;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x7f || c < 0x20 || c === 0x26 || c === 0x3c || c === 0x3e) {
        const xml = xmlText(text);
        this.room(Buffer.byteLength(xml, 'utf8') + 16);
        this.pos += this.buf.write(xml, this.pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** Hands the gathered rows to the sheet's stream. */
  flush(): void {
    if (this.pos === 0) return;
    // A new buffer each time: the stream may keep the one it was given.
    this.stream.write(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(WRITE_CHUNK_BYTES, this.buf.length));
    this.pos = 0;
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
    // Level 1 deflate: several times faster than the default for about a fifth larger files (mostly digits). Its
    // output buffer as large as the sheet's batches: each batch is deflated in one go on libuv's thread pool.
    this.workbook = new (excelJs().stream.xlsx.WorkbookWriter)({
      filename: file,
      useStyles: true,
      useSharedStrings: false,
      zip: { zlib: { level: 1, chunkSize: DEFLATE_CHUNK_BYTES } },
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
    stream.bufSize = SHEET_BATCH_BYTES;
    return new XlsxSheet(sheet, stream, o.widths.length);
  }

  async commit(): Promise<void> {
    await this.workbook.commit();
  }
}
