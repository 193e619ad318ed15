/**
 * Statistics exports opened back: the header block (period, zone, filters, who and when), one row per account with
 * the figures of the screen, a totals row, money as numbers with 2 decimals and durations as h:mm:ss; .csv as well;
 * rows continue on another sheet past the limit.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { parseMoney } from '../src-shared/domain/money';
import { exportStats } from '../src-main/statistics/export';
import { hms } from '../src-main/statistics/export-labels';
import type { CallContext } from '../src-main/api/call-context';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let clerk: string;
let data: StatsDataSet;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  data = await createStatsDataSet(t, clerk, Date.UTC(2026, 4, 3), 3, 250);
}, 60_000);
afterAll(() => t.dispose());

async function download(ticket: DownloadTicket, name: string, token = clerk): Promise<string> {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, token);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) break;
  }
  const file = path.join(t.dataDir, name);
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

const rowValues = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);

describe('statistics export', () => {
  it('users of one enterprise as .xlsx: header block, rows, totals, formats', async () => {
    const query = { from: data.from, to: data.to, timeZone: 'Asia/Shanghai', enterpriseId: data.enterprises.a };
    const table = await t.call('stats.user', query, clerk);
    const ticket = await t.call('exports.stats', { ...query, kind: 'user', format: 'xlsx' }, clerk);
    expect(ticket.rows).toBe(table.rows.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download(ticket, 'users.xlsx'));
    expect(wb.worksheets).toHaveLength(1);
    const sheet = wb.worksheets[0]!;
    expect(rowValues(sheet, 1)).toEqual(['User statistics']);
    const block = Object.fromEntries([2, 3, 4, 5, 6, 7].map((r) => rowValues(sheet, r) as [string, string]));
    expect(block['Period']).toBe('2026-05-03 08:00:00 to 2026-05-06 08:00:00');
    expect(block['Time zone']).toBe('Asia/Shanghai');
    expect(block['Filters']).toContain(`Enterprise: Alpha ${data.from}`);
    expect(block['Exported by']).toBe('clerk1');
    expect(block['Exported at']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const headingRow = 9;
    const headings = rowValues(sheet, headingRow) as string[];
    expect(headings.slice(0, 5)).toEqual(['Enterprise', 'User', 'Local calls', 'Local duration', 'Local amount']);
    expect(headings.at(-1)).toBe('Total amount');
    const dataRows = Array.from({ length: sheet.rowCount - headingRow }, (_, i) => rowValues(sheet, headingRow + 1 + i));
    expect(dataRows).toHaveLength(table.rows.length + 1);
    const amountColumn = headings.indexOf('Total amount');
    const callsColumn = headings.indexOf('Total calls');
    const durationColumn = headings.indexOf('Total duration');
    table.rows.forEach((r, i) => {
      expect(dataRows[i]![1]).toBe(r.name);
      expect(dataRows[i]![callsColumn]).toBe(r.total.calls);
      expect(dataRows[i]![amountColumn]).toBe(parseMoney(r.total.amount) / 10_000);
      expect(dataRows[i]![durationColumn]).toBe(hms(r.total.seconds));
    });
    const totals = dataRows.at(-1)!;
    expect(totals[1]).toBe('Totals');
    expect(totals[callsColumn]).toBe(table.totals.total.calls);
    expect(totals[amountColumn]).toBe(parseMoney(table.totals.total.amount) / 10_000);
    expect(sheet.getRow(headingRow + 1).getCell(amountColumn + 1).numFmt).toBe('#,##0.00');
  });

  it('enterprises as .csv in Chinese', async () => {
    const query = { from: data.from, to: data.to, timeZone: 'Asia/Shanghai' };
    const table = await t.call('stats.enterprise', query, clerk);
    const ticket = await t.call('exports.stats', { ...query, kind: 'enterprise', format: 'csv', language: 'zh-CN' }, clerk);
    const text = fs.readFileSync(await download(ticket, 'enterprises.csv'), 'utf8').replace(/^\uFEFF/, '');
    const rows = parse(text, { relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual(['企业话单统计']);
    expect(rows[2]).toEqual(['时区', 'Asia/Shanghai']);
    const heading = rows.findIndex((r) => r[0] === '企业');
    expect(rows.length - heading - 1).toBe(table.rows.length + 1);
    const last = rows.at(-1)!;
    expect(last[0]).toBe('总计');
    expect(last.at(-1)).toBe(table.totals.total.amount);
  });

  it('continues on another sheet past the row limit', async () => {
    const admin = await t.loginAs('admin');
    const ctx = { user: await t.call('auth.me', {}, admin) } as unknown as CallContext;
    const ticket = await exportStats(
      t.services,
      { kind: 'gateway', from: data.from - 86_400_000, to: data.to, timeZone: 'UTC', sort: 'name', order: 'asc', format: 'xlsx', language: 'en', maxRowsPerSheet: 10 },
      ctx,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download(ticket, 'gateways.xlsx', admin));
    // 9 heading rows on the first sheet (title, 6 block lines, blank, headings): 1 data row there, the rest after.
    const rows = wb.worksheets.reduce((n, s, i) => n + s.rowCount - (i === 0 ? 9 : 1), 0);
    expect(rows).toBe(3);
    expect(wb.worksheets.length).toBe(2);
    expect(wb.worksheets[1]!.name).toBe('Gateway statistics (2)');
    expect(rowValues(wb.worksheets[1]!, 1).slice(0, 2)).toEqual(['Enterprise', 'Gateway']);
  });
});
