import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../src-shared/api';
import type { DownloadTicket } from '../src-shared/api/downloads';
import type { EventMessage } from '../src-shared/api/events';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { allCdrs, createCdrWorld, generatedCdrs, seededRandom, storeCdrs, type CdrWorld, type StoredCdr } from './helpers/cdr-data';

let t: TestEngine;
let w: CdrWorld;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
const ZONE = 'Asia/Shanghai';
const HEADINGS = ['Start', 'Device', 'Caller', 'Caller name', 'Callee (dialled)', 'Normalized number', 'Call type', 'Region', 'Disposition', 'Duration', 'Talk time', 'Enterprise', 'User', 'Gateway', 'Rate', 'Status', 'Cost'];

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  w = await createCdrWorld(t);
  const random = seededRandom(5);
  storeCdrs(t, w.devices.beijing, generatedCdrs(w.devices.beijing, 180, T0, 4 * DAY, random));
  storeCdrs(t, w.devices.shanghai, generatedCdrs(w.devices.shanghai, 120, T0, 4 * DAY, random));
}, 60_000);
afterAll(() => t.dispose());

/** Fetches a prepared file the way the desktop window does (downloads.read, chunk by chunk). */
async function fetchTicket(ticket: DownloadTicket): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, w.token);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) return Buffer.concat(parts);
  }
}

async function exportXlsx(input: Partial<InputOf<'exports.cdrs'>>): Promise<{ ticket: DownloadTicket; book: ExcelJS.Workbook }> {
  const ticket = await t.call('exports.cdrs', { format: 'xlsx', timeZone: ZONE, ...input }, w.token);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await fetchTicket(ticket)) as unknown as ArrayBuffer);
  return { ticket, book };
}

/** A duration cell in seconds (exceljs reads an [h]:mm:ss number as a date counted from 1899-12-30). */
const seconds = (v: ExcelJS.CellValue) => Math.round(v instanceof Date ? (v.getTime() - Date.UTC(1899, 11, 30)) / 1000 : (v as number) * 86_400);
const cellValues = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(1);
const localDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const sum = (cdrs: StoredCdr[], f: (c: StoredCdr) => number) => cdrs.reduce((n, c) => n + f(c), 0);
const costOf = (c: StoredCdr) => (c.status === 'rated' && c.cost !== null ? c.cost : 0);

/** The data rows (every row after the headings that is not a subtotal/total line), and the sum lines, of all sheets. */
function readSheets(book: ExcelJS.Workbook) {
  const data: ExcelJS.CellValue[][] = [];
  const sums: ExcelJS.CellValue[][] = [];
  book.worksheets.forEach((sheet, i) => {
    const headingRow = i === 0 ? 8 : 1;
    expect(cellValues(sheet.getRow(headingRow)), `headings of sheet ${i + 1}`).toEqual(HEADINGS);
    sheet.eachRow((row, n) => {
      if (n <= headingRow) return;
      const values = cellValues(row);
      if (typeof values[0] === 'string' && /^(Subtotal|Total)/.test(values[0])) sums.push(values);
      else data.push(values);
    });
  });
  return { data, sums };
}

describe('exports.cdrs as .xlsx', () => {
  it('writes every CDR of the view with the header block, day subtotals and the total; money and durations as numbers', async () => {
    const { ticket, book } = await exportXlsx({});
    const cdrs = allCdrs(t);
    expect(ticket.rows).toBe(cdrs.length);
    expect(ticket.fileName).toMatch(/^cdrs-\d{8}-\d{6}\.xlsx$/);
    const sheet = book.worksheets[0]!;
    expect(book.worksheets).toHaveLength(1);
    expect(sheet.getCell('A1').value).toBe('CDR records');
    expect([2, 3, 4, 5, 6].map((r) => sheet.getCell(`A${r}`).value)).toEqual(['Period', 'Time zone', 'Filters', 'Exported by', 'Exported at']);
    expect(sheet.getCell('B2').value).toBe('all');
    expect(sheet.getCell('B3').value).toBe(ZONE);
    expect(sheet.getCell('B4').value).toBe('none');
    expect(sheet.getCell('B5').value).toBe('clerk1');

    const { data, sums } = readSheets(book);
    expect(data).toHaveLength(cdrs.length);
    // Latest first, as wall-clock times of the zone (Excel dates carry no zone).
    expect((data[0]![0] as Date).toISOString().slice(0, 19)).toBe(new Date(cdrs[0]!.start_at + 8 * 3_600_000).toISOString().slice(0, 19));
    const days = [...new Set(cdrs.map((c) => localDay(c.start_at)))];
    expect(sums).toHaveLength(days.length + 1);
    expect(sums.slice(0, -1).map((s) => String(s[0]))).toEqual(days.map((d) => expect.stringMatching(new RegExp(`^Subtotal ${d}: \\d+ calls$`)) as unknown as string));
    const total = sums.at(-1)!;
    expect(total[0]).toBe(`Total: ${cdrs.length} calls`);
    expect(Math.round((total[16] as number) * 10_000)).toBe(sum(cdrs, costOf));
    expect(seconds(total[9]!)).toBe(sum(cdrs, (c) => c.duration));
    expect(seconds(total[10]!)).toBe(sum(cdrs, (c) => c.billsec));
    // Each subtotal is its day's.
    for (const s of sums.slice(0, -1)) {
      const day = /Subtotal (\S+):/.exec(String(s[0]))![1]!;
      const ofDay = cdrs.filter((c) => localDay(c.start_at) === day);
      expect(String(s[0])).toContain(`${ofDay.length} calls`);
      expect(Math.round((s[16] as number) * 10_000)).toBe(sum(ofDay, costOf));
    }
    // Number formats: 2-decimal money, h:mm:ss durations, date-time starts.
    const rated = data.findIndex((r) => r[15] === 'rated' && typeof r[16] === 'number');
    const ratedRow = sheet.getRow(9 + rated);
    expect(ratedRow.getCell(17).numFmt).toBe('#,##0.00');
    expect(ratedRow.getCell(10).numFmt).toBe('[h]:mm:ss');
    expect(ratedRow.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    // Names, not ids.
    expect(data.some((r) => r[1] === 'Beijing PBX' && r[11] === 'Alpha Trading' && r[12] === 'Li Wei')).toBe(true);
  });

  it('continues on further sheets at the row limit, each with its headings', async () => {
    const { ticket, book } = await exportXlsx({ rowsPerSheet: 40 });
    const cdrs = allCdrs(t);
    const { data } = readSheets(book);
    expect(ticket.rows).toBe(cdrs.length);
    expect(data).toHaveLength(cdrs.length);
    expect(book.worksheets.length).toBeGreaterThan(Math.floor(cdrs.length / 40));
    expect(book.worksheets.map((s) => s.name).slice(0, 3)).toEqual(['CDRs', 'CDRs (2)', 'CDRs (3)']);
    for (const sheet of book.worksheets) expect(sheet.rowCount).toBeLessThanOrEqual(40);
  });

  it('exports the filtered view only, names the filters in the header block, and writes Chinese headings on request', async () => {
    const filter = { enterpriseId: w.enterprises.beta, callType: 'local' as const, from: T0 + DAY, to: T0 + 3 * DAY };
    const expected = (await t.call('cdrs.search', { ...filter, limit: 1000 }, w.token)).rows;
    const { ticket, book } = await exportXlsx({ ...filter, language: 'zh-CN' });
    expect(ticket.rows).toBe(expected.length);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('话单');
    expect(sheet.getCell('A1').value).toBe('话单记录');
    expect(String(sheet.getCell('B4').value)).toBe('企业: Beta Logistics; 呼叫类型: 本地');
    expect(String(sheet.getCell('B2').value)).toMatch(/^2026-05-02 10:00:00 至 2026-05-04 10:00:00/);
    let dataRows = 0;
    sheet.eachRow((row, n) => {
      if (n > 8 && !/^(小计|合计)/.test(String(row.getCell(1).value))) dataRows++;
    });
    expect(dataRows).toBe(expected.length);
  });
});

describe('exports.cdrs as .csv', () => {
  it('writes the same rows with the header block, subtotals and total as text', async () => {
    const ticket = await t.call('exports.cdrs', { format: 'csv', timeZone: ZONE, deviceId: w.devices.shanghai }, w.token);
    const text = (await fetchTicket(ticket)).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text.slice(1), { relax_column_count: true }) as string[][];
    expect(records[0]).toEqual(['CDR records']);
    expect(records[3]).toEqual(['Filters', 'device: Shanghai PBX']);
    expect(records[7]).toEqual(HEADINGS);
    const cdrs = allCdrs(t).filter((c) => c.device_id === w.devices.shanghai);
    const body = records.slice(8);
    const data = body.filter((r) => !/^(Subtotal|Total)/.test(r[0]!));
    expect(data).toHaveLength(cdrs.length);
    expect(ticket.rows).toBe(cdrs.length);
    expect(data[0]![0]).toBe(new Date(cdrs[0]!.start_at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
    expect(data.every((r) => /^\d+:\d\d:\d\d$/.test(r[9]!) && /^\d+:\d\d:\d\d$/.test(r[10]!))).toBe(true);
    expect(data.filter((r) => r[16] !== '').every((r) => /^\d+\.\d{4}$/.test(r[16]!))).toBe(true);
    const total = body.at(-1)!;
    expect(total[0]).toBe(`Total: ${cdrs.length} calls`);
    const totalCost = sum(cdrs, costOf);
    expect(total[16]).toBe(`${Math.floor(totalCost / 10_000)}.${String(totalCost % 10_000).padStart(4, '0')}`);
  });
});

describe('export progress and cancelling', () => {
  it('reports progress to the exporting session and stops when cancelled, leaving no file', async () => {
    const seen: EventMessage[] = [];
    const unsubscribe = t.services.events.subscribe((m) => {
      if (m.event !== 'exports.progress') return;
      seen.push(m);
      const p = m.data as { state: string; exportId: string };
      if (p.exportId === 'cancel-me' && p.state === 'running') void t.call('exports.cancel', { exportId: 'cancel-me' }, w.token);
    });
    const downloads = path.join(t.dataDir, 'tmp', 'downloads');
    try {
      await expect(t.call('exports.cdrs', { format: 'xlsx', exportId: 'cancel-me' }, w.token)).rejects.toMatchObject({ code: 'conflict', details: { cancelled: true } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.map((m) => (m.data as { state: string }).state)).toEqual(['running', 'cancelled']);
      expect(fs.readdirSync(downloads)).toEqual([]);

      const done = await t.call('exports.cdrs', { format: 'csv', exportId: 'follow-me' }, w.token);
      const states = seen.filter((m) => (m.data as { exportId: string }).exportId === 'follow-me').map((m) => m.data as { state: string; rows: number; fraction: number });
      expect(states[0]).toMatchObject({ state: 'running', rows: 0 });
      expect(states.at(-1)).toMatchObject({ state: 'done', rows: done.rows, fraction: 1 });
    } finally {
      unsubscribe();
    }
  });

  it('cancels only a running export of the same account', async () => {
    await expect(t.call('exports.cancel', { exportId: 'nothing-running' }, w.token)).rejects.toMatchObject({ code: 'not_found' });
  });
});
