/**
 * Where an export's rows go: an .xlsx workbook (continued on further sheets at the row limit) or a .csv file. Both
 * take the same calls: the header block and headings, then rows, day subtotals and the total.
 */
import { stringify } from 'csv-stringify';
import { csvText } from '../exports/csv-text';
import fs from 'node:fs';
import { once } from 'node:events';
import { formatMoney } from '../../src-shared/domain/money';
import { formatDurationText, type ZoneClock } from './export-values';
import { XlsxWorkbook, type XlsxKind, type XlsxSheet } from './xlsx-stream';
import { EXCEL_MAX_ROWS } from '../exports/table-export';

export type ColumnKind = 'text' | 'time' | 'duration' | 'money';

export interface SinkColumn {
  header: string;
  kind: ColumnKind;
  width: number;
}

/** One row: per column a text, an instant (epoch ms), seconds or money (1/10000), or null for an empty cell. */
export type SinkValue = string | number | null;

export interface Sums {
  calls: number;
  duration: number;
  billsec: number;
  cost: number;
}

export interface ExportSink {
  /** Writes one data row (values in column order). */
  row(values: SinkValue[]): void;
  /** A subtotal or total line: its label and the sums under the duration, talk time and cost columns. */
  sumRow(label: string, sums: Sums): void;
  /** Lets the file catch up (between chunks). */
  drain(): Promise<void>;
  close(): Promise<{ sheets: number }>;
}

export interface SinkSpec {
  file: string;
  title: string;
  sheetName: string;
  headerBlock: [string, string][];
  columns: SinkColumn[];
  clock: ZoneClock;
  /** Column indexes where sums go. */
  sumColumns: { duration: number; billsec: number; cost: number };
  /** Rows per sheet, headings included (xlsx). */
  rowsPerSheet?: number;
}

function sheetTitle(base: string, n: number): string {
  const clean = base.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet';
  const suffix = n === 1 ? '' : ` (${n})`;
  return clean.slice(0, 31 - suffix.length) + suffix;
}

const XLSX_KIND: Record<ColumnKind, XlsxKind> = { text: 'text', time: 'time', duration: 'duration', money: 'money' };

/** The first sheet's title, the export's header block (filters, time zone...), a blank row, and the column headings. */
function writeFirstSheetHead(sheet: XlsxSheet, spec: SinkSpec, headings: readonly string[], boldText: number): void {
  sheet.addStyledRow([spec.title], { bold: true, size: 14 });
  for (const [label, value] of spec.headerBlock) {
    sheet.startRow();
    sheet.textCell(0, label, boldText);
    sheet.textCell(1, value);
    sheet.endRow();
  }
  sheet.startRow();
  sheet.endRow();
  sheet.startRow();
  headings.forEach((h, i) => sheet.textCell(i, h, boldText));
  sheet.endRow();
}

export function openXlsxSink(spec: SinkSpec): ExportSink {
  const book = new XlsxWorkbook(spec.file);
  const limit = Math.max(spec.rowsPerSheet ?? EXCEL_MAX_ROWS, spec.headerBlock.length + 4);
  const styles = spec.columns.map((c) => book.styleId(XLSX_KIND[c.kind]));
  const boldText = book.styleId('text', true);
  const bold = spec.columns.map((c) => book.styleId(XLSX_KIND[c.kind], true));
  const widths = spec.columns.map((c) => c.width);
  const kinds = spec.columns.map((c) => c.kind);
  const headings = spec.columns.map((c) => c.header);
  let sheets = 0;
  let sheet!: XlsxSheet;

  const openSheet = () => {
    sheets++;
    const first = sheets === 1;
    const headingRow = first ? spec.headerBlock.length + 3 : 1;
    sheet = book.addSheet({ name: sheetTitle(spec.sheetName, sheets), widths, frozenRows: headingRow });
    if (first) writeFirstSheetHead(sheet, spec, headings, boldText);
    else sheet.addStyledRow(headings, { bold: true }, true);
  };
  const ensureRoom = () => {
    if (sheet.rowNumber > limit) {
      sheet.commit();
      openSheet();
    }
  };
  // Durations and prices repeat (a few thousand distinct values in a million calls): their cell text is made once.
  const durationText = new NumberTexts((seconds) => seconds / 86_400);
  const moneyText = new NumberTexts((money) => money / 10_000);

  openSheet();
  return {
    row(values) {
      ensureRoom();
      sheet.startRow();
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        const kind = kinds[i]!;
        if (kind === 'text') sheet.textCell(i, v as string);
        else if (kind === 'time') sheet.numberCell(i, spec.clock.excelSerial(v as number), styles[i]!);
        else if (kind === 'duration') sheet.numberCell(i, durationText.of(v as number), styles[i]!);
        else sheet.numberCell(i, moneyText.of(v as number), styles[i]!);
      }
      sheet.endRow();
    },
    sumRow(label, sums) {
      ensureRoom();
      sheet.startRow();
      sheet.textCell(0, label, boldText);
      const { duration, billsec, cost } = spec.sumColumns;
      const cells: [number, number][] = [
        [duration, sums.duration / 86_400],
        [billsec, sums.billsec / 86_400],
        [cost, sums.cost / 10_000],
      ];
      cells.sort((a, b) => a[0] - b[0]);
      for (const [column, value] of cells) sheet.numberCell(column, value, bold[column]!);
      sheet.endRow();
    },
    drain: () => sheet.drain(),
    async close() {
      sheet.commit();
      await book.commit();
      return { sheets };
    },
  };
}

/** Stored values below this are kept by index (durations up to 18 h, prices up to 6.5536). */
const SMALL_VALUES = 65_536;

/** The cell text (String) of a number derived from a stored integer, kept for the first values met. */
class NumberTexts {
  /** Small non-negative values by index: an array read is several times cheaper than a Map lookup, per cell. */
  private readonly small = new Array<string | undefined>(SMALL_VALUES);
  private readonly texts = new Map<number, string>();

  constructor(private readonly value: (stored: number) => number) {}

  of(stored: number): string {
    if (stored >= 0 && stored < SMALL_VALUES && Number.isInteger(stored)) return (this.small[stored] ??= String(this.value(stored)));
    let text = this.texts.get(stored);
    if (text === undefined) {
      text = String(this.value(stored));
      // Bounded: past this many distinct values, the rest are made each time.
      if (this.texts.size < 100_000) this.texts.set(stored, text);
    }
    return text;
  }
}

export function openCsvSink(spec: SinkSpec): ExportSink {
  const out = fs.createWriteStream(spec.file);
  // The BOM makes Excel read UTF-8 (Chinese names) correctly.
  const csv = stringify({ bom: true });
  csv.pipe(out);
  const kinds = spec.columns.map((c) => c.kind);
  const width = spec.columns.length;
  csv.write([spec.title]);
  for (const [label, value] of spec.headerBlock) csv.write([label, csvText(value)]);
  csv.write([]);
  csv.write(spec.columns.map((c) => c.header));
  const text = (kind: ColumnKind, v: SinkValue): string => {
    if (v === null || v === undefined) return '';
    if (kind === 'time') return spec.clock.wallClockText(v as number);
    if (kind === 'duration') return formatDurationText(v as number);
    if (kind === 'money') return formatMoney(v as number);
    return csvText(String(v));
  };
  return {
    row(values) {
      const record = new Array<string>(width);
      for (let i = 0; i < width; i++) record[i] = text(kinds[i]!, values[i] ?? null);
      csv.write(record);
    },
    sumRow(label, sums) {
      const record = new Array<string>(width).fill('');
      record[0] = label;
      record[spec.sumColumns.duration] = formatDurationText(sums.duration);
      record[spec.sumColumns.billsec] = formatDurationText(sums.billsec);
      record[spec.sumColumns.cost] = formatMoney(sums.cost);
      csv.write(record);
    },
    async drain() {
      if (csv.writableNeedDrain) await once(csv, 'drain');
    },
    async close() {
      csv.end();
      await once(out, 'finish');
      return { sheets: 1 };
    },
  };
}
