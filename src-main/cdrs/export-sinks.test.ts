/**
 * The .xlsx sink writes its data rows as bytes of its own (xlsx-stream.ts), so what comes back from a real reader
 * must be what was given: every text (escapes, Chinese, characters XML cannot hold, texts longer than a write
 * buffer), every number with its format, the sum lines in bold, and the rows spread over sheets at the limit.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXlsxSink, type SinkColumn, type SinkValue } from './export-sinks';
import { ZoneClock } from './export-values';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-sink-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COLUMNS: SinkColumn[] = [
  { header: 'Start', kind: 'time', width: 20 },
  { header: 'Caller', kind: 'text', width: 14 },
  { header: 'Duration', kind: 'duration', width: 10 },
  { header: 'Cost', kind: 'money', width: 12 },
  { header: 'Note', kind: 'text', width: 30 },
];
const SUMS = { duration: 2, billsec: 2, cost: 3 };
const ZONE = 'Asia/Shanghai';
const T0 = Date.UTC(2026, 2, 2, 1, 15, 2);
/** A duration cell in seconds (exceljs reads an [h]:mm:ss number as a date counted from 1899-12-30). */
const seconds = (v: ExcelJS.CellValue) => Math.round(v instanceof Date ? (v.getTime() - Date.UTC(1899, 11, 30)) / 1000 : (v as number) * 86_400);

/** Longer than a write buffer (256 KiB), in a row of its own. */
const LONG = 'x&<y>'.repeat(70_000);
const LONG_ROW = 4321;
const TEXTS = ['Li Wei', '李伟 (北京)', 'A & B <c> "d" \'e\'', 'tab\there', 'bell\u0007gone', '😀 emoji', ' lead and trail '];

function rowOf(i: number): SinkValue[] {
  return [
    T0 - i * 61_000,
    String(8000 + (i % 97)),
    (i * 37) % 5000,
    i % 7 === 0 ? null : ((i % 11) - 3) * 1234,
    i === LONG_ROW ? LONG : i % 5 === 0 ? TEXTS[(i / 5) % TEXTS.length]! : i % 3 === 0 ? '' : null,
  ];
}

/** What a reader shows for a text cell (characters XML 1.0 cannot hold are left out, nothing else changes). */
const shown = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

async function writeAndRead(rows: number, rowsPerSheet?: number): Promise<ExcelJS.Workbook> {
  const file = path.join(dir, `sink-${rows}-${rowsPerSheet ?? 0}.xlsx`);
  const sink = openXlsxSink({
    file,
    title: 'CDR records',
    sheetName: 'CDRs',
    headerBlock: [
      ['Period', 'all'],
      ['Filters', 'Caller: 8<1>&'],
    ],
    columns: COLUMNS,
    clock: new ZoneClock(ZONE),
    sumColumns: SUMS,
    ...(rowsPerSheet ? { rowsPerSheet } : {}),
  });
  for (let i = 0; i < rows; i++) {
    sink.row(rowOf(i));
    if (i % 1000 === 999) await sink.drain();
  }
  sink.sumRow('Total: 李 & <all>', { calls: rows, duration: 987_654, billsec: 0, cost: -12_345 });
  await sink.close();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book;
}

describe('openXlsxSink', () => {
  it('reads back every value, text and number format it was given, across write buffers', async () => {
    const rows = 8_000;
    const book = await writeAndRead(rows);
    expect(book.worksheets).toHaveLength(1);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('CDR records');
    expect(sheet.getCell('A3').value).toBe('Filters');
    expect(sheet.getCell('B3').value).toBe('Caller: 8<1>&');
    expect(sheet.getCell('A3').font?.bold).toBe(true);
    const headingRow = 5;
    expect((sheet.getRow(headingRow).values as ExcelJS.CellValue[]).slice(1)).toEqual(COLUMNS.map((c) => c.header));

    for (let i = 0; i < rows; i++) {
      const row = sheet.getRow(headingRow + 1 + i);
      const [start, caller, duration, cost, note] = rowOf(i);
      // Dates come back as the wall clock of the zone read as UTC (exceljs turns date-formatted serials into Dates).
      expect((row.getCell(1).value as Date).getTime(), `start of row ${i}`).toBe((start as number) + 8 * 3_600_000);
      expect(row.getCell(2).value).toBe(caller);
      expect(seconds(row.getCell(3).value), `duration of row ${i}`).toBe(duration);
      expect(row.getCell(4).value, `cost of row ${i}`).toBe(cost === null ? null : (cost as number) / 10_000);
      expect(row.getCell(5).value, `note of row ${i}`).toBe(note === null || note === '' ? null : shown(note as string));
      if (i < 50) {
        expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
        expect(row.getCell(3).numFmt).toBe('[h]:mm:ss');
        if (cost !== null) expect(row.getCell(4).numFmt).toBe('#,##0.00');
      }
    }
    const total = sheet.getRow(headingRow + 1 + rows);
    expect(total.getCell(1).value).toBe('Total: 李 & <all>');
    expect(total.getCell(1).font?.bold).toBe(true);
    expect(total.getCell(4).value).toBe(-1.2345);
    expect(total.getCell(4).numFmt).toBe('#,##0.00');
    expect(total.getCell(4).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(headingRow + 1 + rows);
  });

  it('writes the start as the wall clock of the zone and durations as days', async () => {
    const book = await writeAndRead(3);
    const sheet = book.worksheets[0]!;
    // 2026-03-02 09:15:02 in Shanghai.
    expect((sheet.getCell('A6').value as Date).toISOString()).toBe('2026-03-02T09:15:02.000Z');
    expect(seconds(sheet.getCell('C7').value)).toBe(37);
    expect(seconds(sheet.getCell('C8').value)).toBe(74);
  });

  it('continues on further sheets at the row limit, each with its headings, and loses no row', async () => {
    const rows = 250;
    const book = await writeAndRead(rows, 40);
    const names = book.worksheets.map((s) => s.name);
    expect(names.slice(0, 3)).toEqual(['CDRs', 'CDRs (2)', 'CDRs (3)']);
    const callers: unknown[] = [];
    book.worksheets.forEach((sheet, n) => {
      expect(sheet.rowCount).toBeLessThanOrEqual(40);
      const headingRow = n === 0 ? 5 : 1;
      expect(sheet.getRow(headingRow).getCell(1).value).toBe('Start');
      sheet.eachRow((row, r) => {
        if (r > headingRow) callers.push(row.getCell(2).value);
      });
    });
    // Every data row in order, then the total.
    expect(callers).toEqual([...Array.from({ length: rows }, (_, i) => rowOf(i)[1]), null]);
  });
});
