import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRefusal } from '../src-shared/api/attribution';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let clerk: string;
let auditor: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
});
afterAll(() => t.dispose());

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');

async function xlsx(rows: (string | number)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('号段');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

async function refusal(p: Promise<unknown>): Promise<ImportRefusal> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  return (err as ApiError).details as ImportRefusal;
}

async function download(ticket: DownloadTicket): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, auditor);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) break;
  }
  return Buffer.concat(parts);
}

const versionCount = () => t.services.db.prepare('SELECT COUNT(*) FROM attribution_versions').pluck().get() as number;

describe('default attribution data on a fresh engine', () => {
  it('is loaded in the background after start as version 1', async () => {
    expect(['loading', 'ready']).toContain((await t.call('attribution.status', {}, auditor)).state);
    await t.services.rating.ready();
    const status = await t.call('attribution.status', {}, auditor);
    expect(status.state).toBe('ready');
    expect(status.countries).toEqual([{ countryCode: '86', rows: expect.any(Number) }]);
    expect(status.countries[0]!.rows).toBeGreaterThan(100_000);
    const [first] = await t.call('attribution.versions', {}, auditor);
    expect(first).toMatchObject({ id: 1, source: 'default', username: '(default data)', rowsAdded: status.countries[0]!.rows, rowsChanged: 0 });
  });

  it('makes the engine classify 13800138000 as a Beijing mobile and 13912345678 as Changzhou', async () => {
    const beijing = await t.call('attribution.lookup', { number: '13800138000' }, auditor);
    expect(beijing).toMatchObject({ countryCode: '86', nationalNumber: '13800138000', state: 'ready' });
    expect(beijing.match).toMatchObject({ kind: 'mobile', areaCode: '10', region: '北京市', regionEn: 'Beijing', carrier: '中国移动', versionId: 1 });
    const changzhou = await t.call('attribution.lookup', { number: '+86 139 1234 5678' }, auditor);
    expect(changzhou).toMatchObject({ nationalNumber: '13912345678', match: { kind: 'mobile', areaCode: '519', region: '江苏省常州市' } });
    const fixed = await t.call('attribution.lookup', { number: '051988881234' }, auditor);
    expect(fixed).toMatchObject({ nationalNumber: '51988881234', match: { kind: 'fixed', prefix: '519' }, mobile: null });
  });

  it('can be searched by prefix, region and kind, page by page', async () => {
    const page1 = await t.call('attribution.list', { prefix: '13800', limit: 3 }, auditor);
    expect(page1.rows.map((r) => r.prefix)).toEqual(['138000', '1380004', '1380005']);
    const page2 = await t.call('attribution.list', { prefix: '13800', limit: 3, cursor: page1.nextCursor }, auditor);
    expect(page2.rows[0]!.prefix > page1.rows[2]!.prefix).toBe(true);
    const changzhou = await t.call('attribution.list', { region: 'Changzhou', kind: 'fixed', limit: 10 }, auditor);
    expect(changzhou.rows.map((r) => r.prefix)).toEqual(['519']);
    expect(changzhou.total).toBe(1);
    await expect(t.call('attribution.list', { cursor: 'nonsense', limit: 5 }, auditor)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('attribution.import', () => {
  it('imports a .csv (Chinese headings, area codes written with their 0) as a version with its counts', async () => {
    await t.services.rating.ready();
    const before = await t.call('attribution.lookup', { number: '13800138000' }, auditor);
    const result = await t.call(
      'attribution.import',
      {
        fileName: '号段.csv',
        content: csv([
          '号段,归属地,区号,运营商,类型',
          '138001,北京市,010,中国移动,手机', // unchanged (the English names it has no column for are kept)
          '1380022,河北省廊坊市,0316,中国移动,手机', // changed (was Tianjin)
          '1999999,测试市,0999,中国电信,mobile', // added
        ]),
      },
      clerk,
    );
    expect(result.version).toMatchObject({
      source: 'import',
      fileName: '号段.csv',
      mode: 'merge',
      countryCodes: ['86'],
      rowsInFile: 3,
      rowsAdded: 1,
      rowsChanged: 1,
      rowsUnchanged: 1,
      rowsRemoved: 0,
      username: 'clerk1',
    });
    const changed = await t.call('attribution.lookup', { number: '13800228000' }, auditor);
    expect(changed.match).toMatchObject({ region: '河北省廊坊市', areaCode: '316', versionId: result.version.id });
    expect((await t.call('attribution.lookup', { number: '13800138000' }, auditor)).match).toEqual(before.match);
    // The rating service sees the new data at once.
    const device = await t.call(
      'devices.create',
      { name: 'Langfang check', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '316', nationalPrefix: '0', internationalPrefix: '00' },
      clerk,
    );
    expect((await t.call('rating.classify', { deviceId: device.id, number: '13800228000' }, auditor)).callType).toBe('local');
  });

  it('imports an .xlsx with a country column, and replaces a country\'s rows in mode "replace"', async () => {
    const first = await t.call(
      'attribution.import',
      {
        fileName: 'hk.xlsx',
        content: await xlsx([
          ['Country code', 'Prefix', 'Region', 'Region (English)', 'Area code', 'Carrier', 'Carrier (English)', 'Kind'],
          ['852', 5, '香港', 'Hong Kong', '', '', '', 'mobile'],
          ['852', 6, '香港', 'Hong Kong', '', '', '', 'mobile'],
          ['852', 9, '香港', 'Hong Kong', '', '', '', 'mobile'],
        ]),
      },
      clerk,
    );
    expect(first.version).toMatchObject({ countryCodes: ['852'], rowsAdded: 3, rowsChanged: 0 });
    const second = await t.call(
      'attribution.import',
      {
        fileName: 'hk2.xlsx',
        mode: 'replace',
        content: await xlsx([
          ['prefix', 'region', 'region_en', 'area_code', 'kind', 'country_code'],
          ['5', '香港', 'Hong Kong SAR', '', 'mobile', '852'],
          ['6', '香港', 'Hong Kong', '', 'mobile', '852'],
        ]),
      },
      clerk,
    );
    expect(second.version).toMatchObject({ mode: 'replace', rowsAdded: 0, rowsChanged: 1, rowsUnchanged: 1, rowsRemoved: 1 });
    const hk = await t.call('attribution.list', { countryCode: '852', limit: 10 }, auditor);
    expect(hk.rows.map((r) => [r.prefix, r.regionEn])).toEqual([
      ['5', 'Hong Kong SAR'],
      ['6', 'Hong Kong'],
    ]);
    // China's rows were not touched by a replace of Hong Kong's.
    expect((await t.call('attribution.lookup', { number: '13912345678' }, auditor)).match?.areaCode).toBe('519');
  });

  describe('refuses a bad file with row-level problems and applies nothing', () => {
    const cases: [string, () => Promise<{ fileName: string; content: string }>, (r: ImportRefusal) => void][] = [
      [
        'wrong columns',
        async () => ({ fileName: 'wrong.csv', content: csv(['prefix,city,phone', '1391111,Somewhere,x']) }),
        (r) => expect(r.problems).toEqual([
          { row: 1, column: 'Area code', problem: 'column is missing from the headings', key: 'import.heading.missing' },
          { row: 1, column: 'Kind', problem: 'column is missing from the headings', key: 'import.heading.missing' },
        ]),
      ],
      [
        'no heading row at all',
        async () => ({ fileName: 'numbers.csv', content: csv(['number,city', '1391111,Somewhere']) }),
        (r) => expect(r.problems[0]).toMatchObject({ row: null, column: null, problem: expect.stringContaining('no heading row found') }),
      ],
      [
        'a bad prefix, kind and area code (every problem of every row is reported)',
        async () => ({
          fileName: 'bad.xlsx',
          content: await xlsx([
            ['Prefix', 'Region', 'Area code', 'Kind'],
            ['1391111', 'Good', '519', 'mobile'],
            ['139-2222', 'Bad prefix', '519', 'mobile'],
            ['1393333', 'Bad kind and area', '5x9', 'satellite'],
          ]),
        }),
        (r) => {
          expect(r.problemCount).toBe(3);
          expect(r.problems).toEqual([
            { row: 3, column: 'Prefix', problem: 'must be 1 to 15 digits, got "139-2222"', key: 'import.attribution.prefix', params: { value: '139-2222' } },
            { row: 4, column: 'Area code', problem: 'must be up to 6 digits (or empty), got "5x9"', key: 'import.attribution.areaCode', params: { value: '5x9' } },
            { row: 4, column: 'Kind', problem: 'must be mobile or fixed, got "satellite"', key: 'import.attribution.kind', params: { value: 'satellite' } },
          ]);
        },
      ],
      [
        'a prefix twice in the file',
        async () => ({ fileName: 'dup.csv', content: csv(['prefix,region,area code,kind', '1391111,A,519,mobile', '1392222,B,519,mobile', '1391111,C,519,mobile']) }),
        (r) => expect(r.problems).toEqual([{ row: 4, column: 'Prefix', problem: 'prefix 1391111 (country 86) appears again; it is first in row 2', key: 'import.attribution.repeated', params: { prefix: '1391111', countryCode: '86', first: 2 } }]),
      ],
      [
        'an empty file',
        async () => ({ fileName: 'empty.csv', content: '' }),
        (r) => expect(r.problems).toEqual([{ row: null, column: null, problem: 'the file is empty', key: 'import.file.empty' }]),
      ],
      [
        'headings without rows',
        async () => ({ fileName: 'headings.csv', content: csv(['prefix,region,area code,kind']) }),
        (r) => expect(r.problems).toEqual([{ row: null, column: null, problem: 'the file has headings but no data rows', key: 'import.file.noRows' }]),
      ],
      [
        'not a spreadsheet (a PNG named .xlsx)',
        async () => ({ fileName: 'photo.xlsx', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64') }),
        (r) => expect(r.problems).toEqual([{ row: null, column: null, problem: '"photo.xlsx" is not an .xlsx workbook (its content is not a zip archive)', key: 'import.file.notXlsx', params: { file: 'photo.xlsx' } }]),
      ],
      [
        'not a spreadsheet (binary content named .csv)',
        async () => ({ fileName: 'data.csv', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]).toString('base64') }),
        (r) => expect(r.problems[0]!.problem).toContain('is not a spreadsheet'),
      ],
      [
        'a broken .xlsx (a zip without a workbook)',
        async () => ({ fileName: 'broken.xlsx', content: Buffer.from('PK\u0003\u0004 not really a zip').toString('base64') }),
        (r) => expect(r.problems[0]!.problem).toMatch(/^the \.xlsx workbook cannot be read|no heading row/),
      ],
    ];

    it.each(cases)('%s', async (_name, file, check) => {
      const versions = versionCount();
      const rows = t.services.db.prepare('SELECT COUNT(*) FROM attribution').pluck().get();
      const r = await refusal(t.call('attribution.import', await file(), clerk));
      check(r);
      expect(r.problemCount).toBeGreaterThanOrEqual(r.problems.length);
      expect(versionCount()).toBe(versions);
      expect(t.services.db.prepare('SELECT COUNT(*) FROM attribution').pluck().get()).toBe(rows);
      expect((await t.call('attribution.lookup', { number: '13911111234' }, auditor)).match?.region).not.toBe('Good');
    });

    it('refuses content that is not base64', async () => {
      await expect(t.call('attribution.import', { fileName: 'x.csv', content: 'not base64 at all!' }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
});

describe('attribution.export', () => {
  it.each(['xlsx', 'csv'] as const)('writes a .%s that imports back as the same data', async (format) => {
    const filter = { countryCode: '86', prefix: '13912' };
    const before = await t.call('attribution.list', { ...filter, limit: 1000 }, auditor);
    expect(before.rows.length).toBeGreaterThan(10);
    const ticket = await t.call('attribution.export', { ...filter, format, timeZone: 'Asia/Shanghai' }, auditor);
    expect(ticket).toMatchObject({ rows: before.rows.length, fileName: expect.stringMatching(new RegExp(`^attribution-\\d{8}-\\d{6}\\.${format}$`)) });
    const file = await download(ticket);
    const again = await t.call('attribution.import', { fileName: ticket.fileName, content: file.toString('base64') }, clerk);
    expect(again.version).toMatchObject({ rowsInFile: before.rows.length, rowsAdded: 0, rowsChanged: 0, rowsRemoved: 0, rowsUnchanged: before.rows.length });
    const after = await t.call('attribution.list', { ...filter, limit: 1000 }, auditor);
    expect(after.rows).toEqual(before.rows);
  });

  it('round-trips Chinese and English names through a replace of a whole country', async () => {
    const hk = await t.call('attribution.list', { countryCode: '852', limit: 100 }, auditor);
    const ticket = await t.call('attribution.export', { countryCode: '852', format: 'csv' }, auditor);
    const result = await t.call('attribution.import', { fileName: 'hk.csv', mode: 'replace', content: (await download(ticket)).toString('base64') }, clerk);
    expect(result.version).toMatchObject({ rowsAdded: 0, rowsChanged: 0, rowsRemoved: 0, rowsUnchanged: hk.rows.length });
    expect((await t.call('attribution.list', { countryCode: '852', limit: 100 }, auditor)).rows).toEqual(hk.rows);
  });

  it('writes Chinese headings and kinds for a Chinese clerk, and that file imports back as the same data', async () => {
    const filter = { countryCode: '86', prefix: '1391' };
    const before = await t.call('attribution.list', { ...filter, limit: 1000 }, auditor);
    const ticket = await t.call('attribution.export', { ...filter, format: 'xlsx', language: 'zh-CN' }, auditor);
    const file = await download(ticket);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('号码归属地');
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['号码归属地']);
    expect(rows.find((r) => r[0] === '筛选条件')).toEqual(['筛选条件', '国家代码 86；号段以 1391 开头']);
    expect(rows.find((r) => r[0] === '数据版本')?.[1]).toMatch(/^\d+ \((默认数据|导入), \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\)$/);
    const at = rows.findIndex((r) => r[0] === '国家代码');
    expect(rows[at]).toEqual(['国家代码', '号段', '地区', '地区（英文）', '区号', '运营商', '运营商（英文）', '号码类型']);
    expect(new Set(rows.slice(at + 1).map((r) => r[7]))).toEqual(new Set(before.rows.map((r) => (r.kind === 'mobile' ? '手机' : '固话'))));
    const again = await t.call('attribution.import', { fileName: ticket.fileName, content: file.toString('base64') }, clerk);
    expect(again.version).toMatchObject({ rowsInFile: before.rows.length, rowsAdded: 0, rowsChanged: 0, rowsRemoved: 0 });
    expect((await t.call('attribution.list', { ...filter, limit: 1000 }, auditor)).rows).toEqual(before.rows);
  });
});
