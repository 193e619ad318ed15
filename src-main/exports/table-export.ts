/**
 * Writes a table (log, CDRs, statistics) to .xlsx (exceljs streaming writer) or .csv (csv-stringify), row batches at
 * a time, so memory stays flat however long the table is. Both start with a header block saying what the file holds
 * (title, period, time zone, filters, who exported and when), then the column headings, then the rows. An .xlsx sheet
 * holds at most 1,048,576 rows; the rest continue on further sheets ("Operation log (2)"...), each with its headings.
 */
import type ExcelJS from 'exceljs';
import { excelJs } from '../lazy-modules';
import { stringify } from 'csv-stringify';
import { csvText } from './csv-text';
import fs from 'node:fs';
import { once } from 'node:events';
import { formatMoney } from '../../src-shared/domain/money';
import { formatWallClock, wallClock } from './wall-clock';

export type CellKind = 'text' | 'integer' | 'time' | 'money' | 'boolean';
export type CellValue = string | number | boolean | null | undefined;

export interface ExportColumn<R> {
  header: string;
  /** text (default); integer; time (epoch ms, written as wall-clock time in the export's zone); money (1/10000 units). */
  kind?: CellKind;
  /** Width in characters (xlsx). */
  width?: number;
  value(row: R): CellValue;
}

export interface TableExportSpec<R> {
  format: 'xlsx' | 'csv';
  file: string;
  /** Sheet name (xlsx); at most 31 characters. */
  sheetName: string;
  title: string;
  /** Label / value lines under the title. */
  headerBlock: [string, string][];
  columns: ExportColumn<R>[];
  timeZone: string;
  /** Rows per sheet including the heading rows (tests lower it to see sheets continue). */
  maxRowsPerSheet?: number;
}

export const EXCEL_MAX_ROWS = 1_048_576;

/** Content types of the two formats, for the download that offers the file. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

export interface TableExportResult {
  rows: number;
  sheets: number;
}

/** A Date whose UTC fields are the zone's wall clock: Excel has no zones, it shows what it is given. */
function excelDate(epochMs: number, timeZone: string): Date {
  const w = wallClock(epochMs, timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, epochMs % 1000));
}

function xlsxCell(kind: CellKind, value: CellValue, timeZone: string): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'time' && typeof value === 'number') return excelDate(value, timeZone);
  // Shown with 2 decimals (numFmt); the number is exact to 1/10000 as stored.
  if (kind === 'money' && typeof value === 'number') return value / 10_000;
  return value;
}

function csvCell(kind: CellKind, value: CellValue, timeZone: string): string {
  if (value === null || value === undefined) return '';
  if (kind === 'time' && typeof value === 'number') return formatWallClock(value, timeZone);
  if (kind === 'money' && typeof value === 'number') return formatMoney(value);
  return typeof value === 'string' ? csvText(value) : String(value);
}

const NUM_FMT: Partial<Record<CellKind, string>> = { time: 'yyyy-mm-dd hh:mm:ss', money: '#,##0.00', integer: '0' };

function sheetTitle(base: string, n: number): string {
  const clean = base.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet';
  const suffix = n === 1 ? '' : ` (${n})`;
  return clean.slice(0, 31 - suffix.length) + suffix;
}

async function writeXlsx<R>(spec: TableExportSpec<R>, batches: AsyncIterable<R[]> | Iterable<R[]>): Promise<TableExportResult> {
  const workbook = new (excelJs().stream.xlsx.WorkbookWriter)({ filename: spec.file, useStyles: true, useSharedStrings: false });
  const limit = spec.maxRowsPerSheet ?? EXCEL_MAX_ROWS;
  const headerRows = 1 + spec.headerBlock.length + 1 + 1; // title, block, blank line, headings
  let sheet!: ExcelJS.Worksheet;
  let sheets = 0;
  let rowsInSheet = 0;

  const openSheet = () => {
    sheets++;
    const withBlock = sheets === 1;
    const headingRow = withBlock ? headerRows : 1;
    sheet = workbook.addWorksheet(sheetTitle(spec.sheetName, sheets), { views: [{ state: 'frozen', ySplit: headingRow }] });
    sheet.columns = spec.columns.map((c) => ({ width: c.width ?? (c.kind === 'time' ? 20 : 16), style: NUM_FMT[c.kind ?? 'text'] ? { numFmt: NUM_FMT[c.kind ?? 'text'] } : {} }));
    if (withBlock) {
      const title = sheet.addRow([spec.title]);
      title.font = { bold: true, size: 14 };
      title.commit();
      for (const [label, value] of spec.headerBlock) {
        const r = sheet.addRow([label, value]);
        r.getCell(1).font = { bold: true };
        r.commit();
      }
      sheet.addRow([]).commit();
    }
    const headings = sheet.addRow(spec.columns.map((c) => c.header));
    headings.font = { bold: true };
    headings.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE9ECEF' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    headings.commit();
    rowsInSheet = headingRow;
  };

  openSheet();
  let rows = 0;
  for await (const batch of batches) {
    for (const item of batch) {
      if (rowsInSheet >= limit) {
        sheet.commit();
        openSheet();
      }
      sheet.addRow(spec.columns.map((c) => xlsxCell(c.kind ?? 'text', c.value(item), spec.timeZone))).commit();
      rowsInSheet++;
      rows++;
    }
    // Let the zip stream drain to the file between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
  return { rows, sheets };
}

async function writeCsv<R>(spec: TableExportSpec<R>, batches: AsyncIterable<R[]> | Iterable<R[]>): Promise<TableExportResult> {
  const out = fs.createWriteStream(spec.file);
  // The BOM makes Excel read UTF-8 (Chinese names) correctly.
  const csv = stringify({ bom: true });
  csv.pipe(out);
  const write = async (record: string[]) => {
    if (!csv.write(record)) await once(csv, 'drain');
  };
  await write([spec.title]);
  for (const [label, value] of spec.headerBlock) await write([label, csvText(value)]);
  await write([]);
  await write(spec.columns.map((c) => c.header));
  let rows = 0;
  for await (const batch of batches) {
    for (const item of batch) {
      await write(spec.columns.map((c) => csvCell(c.kind ?? 'text', c.value(item), spec.timeZone)));
      rows++;
    }
  }
  csv.end();
  await once(out, 'finish');
  return { rows, sheets: 1 };
}

export function writeTableExport<R>(spec: TableExportSpec<R>, batches: AsyncIterable<R[]> | Iterable<R[]>): Promise<TableExportResult> {
  return spec.format === 'xlsx' ? writeXlsx(spec, batches) : writeCsv(spec, batches);
}
