import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { ImportRefusal } from '../../src-shared/api/attribution';
import type { DownloadTicket } from '../../src-shared/api/downloads';
import { ApiError } from '../../src-shared/api/errors';
import type { TestEngine } from './engine';

/** A CSV file as base64, lines joined with CRLF as Excel writes them. */
export const csvFile = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');

/** An .xlsx file with one sheet of these rows, as base64. */
export async function xlsxFile(rows: (string | number | null)[][], sheetName = 'Users'): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

/** The 400 details of a refused import (fails the test if the call did not fail that way). */
export async function refusalOf(p: Promise<unknown>): Promise<ImportRefusal> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code, (err as Error).message).toBe('invalid_input');
  const details = (err as ApiError).details as ImportRefusal;
  expect(details.problems.length).toBeGreaterThan(0);
  return details;
}

/** Reads a download ticket whole through downloads.read (as the desktop window does). */
export async function downloadBytes(t: TestEngine, token: string, ticket: DownloadTicket): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, token);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) break;
  }
  return Buffer.concat(parts);
}

/** The rows of the first sheet of an .xlsx file as text cells. */
export async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    rows.push(Array.from(values.slice(1), (v) => (v === null || v === undefined ? '' : String(v))));
  });
  return rows;
}
