/**
 * Files in the clerk's language: exports and import templates of user accounts, extensions, recharges and the logs
 * in zh-CN and en (headings, title, header block, enumerated values), read back with exceljs and csv-parse; templates
 * of either language filled in and imported; exported files of either language imported back.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { csvFile, downloadBytes, refusalOf, xlsxRows } from './helpers/account-files';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;
let auditor: string;
let acmeId: number;
let deviceId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk', 'cashier');
  auditor = await t.loginAs('auditor');
  const group = await t.call('rateGroups.create', { name: 'Standard' }, clerk);
  deviceId = (await t.call('devices.create', beijingDevice(), clerk)).id;
  acmeId = (await t.call('enterprises.create', { name: 'Acme', code: 'AC-1', rateGroupId: group.id, billingMode: 'prepaid' }, clerk)).id;
  const li = await t.call('userAccounts.create', { enterpriseId: acmeId, name: '李伟', ownBalance: true, freezeWhenExhausted: true }, clerk);
  await t.call('userAccounts.create', { enterpriseId: acmeId, name: 'Zhou Jie', ownBalance: false }, clerk);
  await t.call('extensions.create', { deviceId, number: '8001', name: '前台', userAccountId: li.id }, clerk);
  await t.call('accounts.recharge', { accountId: li.id, amount: '20', reason: '售卡' }, clerk);
  await t.login('auditor1', 'not the password').catch(() => undefined);
});
afterAll(() => t.dispose());

const fetchBytes = (ticket: DownloadTicket) => downloadBytes(t, auditor, ticket);

/** CSV records after the BOM, ragged rows kept. */
function csvRecords(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { relax_column_count: true, skip_empty_lines: false }) as string[][];
}

async function rowsOf(bytes: Buffer, format: 'xlsx' | 'csv'): Promise<string[][]> {
  return format === 'xlsx' ? xlsxRows(bytes) : csvRecords(bytes);
}

const ZH_USER_HEADINGS = ['用户ID', '企业', '用户名', '用户编号', '设备', '分机号', '卡号', 'PIN码', '独立余额', '费率组', '信用额度', '低余额提醒', '欠费冻结', '余额', '状态', '备注'];
const EN_USER_HEADINGS = ['ID', 'Enterprise', 'Name', 'Code', 'Device', 'Extensions', 'Card number', 'PIN', 'Own balance', 'Rate group', 'Credit limit', 'Low balance', 'Freeze when exhausted', 'Balance', 'Status', 'Notes'];

describe('userAccounts.export in the clerk’s language', () => {
  it.each(['xlsx', 'csv'] as const)('writes Chinese headings, title, header block and yes/no (.%s), and imports back', async (format) => {
    const ticket = await t.call('userAccounts.export', { enterpriseId: acmeId, format, timeZone: 'Asia/Shanghai', language: 'zh-CN' }, auditor);
    expect(ticket.rows).toBe(2);
    const bytes = await fetchBytes(ticket);
    const rows = await rowsOf(bytes, format);
    expect(rows[0]![0]).toBe('用户账户列表');
    expect(rows.find((r) => r[0] === '筛选条件')?.[1]).toBe('企业 Acme');
    expect(rows.find((r) => r[0] === '导出人')?.[1]).toBe('auditor1');
    const at = rows.findIndex((r) => r[0] === '用户ID');
    expect(rows[at]).toEqual(ZH_USER_HEADINGS);
    const li = rows.slice(at + 1).find((r) => r[2] === '李伟')!;
    expect(li[ZH_USER_HEADINGS.indexOf('独立余额')]).toBe('是');
    expect(li[ZH_USER_HEADINGS.indexOf('欠费冻结')]).toBe('是');
    expect(li[ZH_USER_HEADINGS.indexOf('状态')]).toBe('正常');
    expect(li[ZH_USER_HEADINGS.indexOf('分机号')]).toBe('8001');
    const zhou = rows.slice(at + 1).find((r) => r[2] === 'Zhou Jie')!;
    expect(zhou[ZH_USER_HEADINGS.indexOf('独立余额')]).toBe('否');
    // The Chinese file imports back as it is: every row names an existing user, nothing changes.
    const again = await t.call('userAccounts.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, clerk);
    expect(again).toMatchObject({ rows: 2, created: 0, updated: 2 });
    const users = (await t.call('userAccounts.list', { enterpriseId: acmeId, limit: 10 }, auditor)).rows;
    expect(users.find((u) => u.name === '李伟')).toMatchObject({ ownBalance: true, freezeWhenExhausted: true });
    expect(users.find((u) => u.name === 'Zhou Jie')).toMatchObject({ ownBalance: false, extensions: [] });
    expect(users.find((u) => u.name === '李伟')?.extensions).toEqual([{ deviceId, number: '8001' }]);
  });

  it('writes English when asked for English, and when no language is given (the API default)', async () => {
    for (const input of [{ language: 'en' as const }, {}]) {
      const ticket = await t.call('userAccounts.export', { enterpriseId: acmeId, format: 'csv', ...input }, auditor);
      const rows = csvRecords(await fetchBytes(ticket));
      expect(rows[0]![0]).toBe('User accounts');
      const at = rows.findIndex((r) => r[0] === 'ID');
      expect(rows[at]).toEqual(EN_USER_HEADINGS);
      expect(rows.slice(at + 1).find((r) => r[2] === '李伟')?.[EN_USER_HEADINGS.indexOf('Own balance')]).toBe('yes');
    }
  });
});

/** A template with one filled-in row under its headings, as a clerk would save it. */
async function filledIn(bytes: Buffer, format: 'xlsx' | 'csv', row: string[]): Promise<string> {
  if (format === 'csv') return Buffer.concat([bytes, Buffer.from(`\r\n${row.map((c) => `"${c}"`).join(',')}\r\n`, 'utf8')]).toString('base64');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  workbook.worksheets[0]!.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

describe('import templates in the clerk’s language', () => {
  const cases = [
    { language: 'zh-CN', format: 'xlsx', title: '用户账户导入模板', first: ['列：企业', '必填：已有企业的名称或编号'], name: '模板用户一' },
    { language: 'zh-CN', format: 'csv', title: '用户账户导入模板', first: ['列：企业', '必填：已有企业的名称或编号'], name: '模板用户二' },
    { language: 'en', format: 'xlsx', title: 'User accounts: import template', first: ['Column: Enterprise', 'required: name or code of an existing enterprise'], name: 'Template one' },
    { language: 'en', format: 'csv', title: 'User accounts: import template', first: ['Column: Enterprise', 'required: name or code of an existing enterprise'], name: 'Template two' },
  ] as const;

  it.each(cases)('user template in $language as .$format: filled in, it imports', async ({ language, format, title, first, name }) => {
    const ticket = await t.call('userAccounts.template', { format, language }, auditor);
    const bytes = await fetchBytes(ticket);
    const rows = await rowsOf(bytes, format);
    expect(rows[0]![0]).toBe(title);
    expect(rows[1]!.slice(0, 2)).toEqual(first);
    const headings = rows.at(-1)!;
    expect(headings).toEqual((language === 'zh-CN' ? ZH_USER_HEADINGS : EN_USER_HEADINGS).filter((h) => !['用户ID', '余额', '状态', 'ID', 'Balance', 'Status'].includes(h)));
    const yes = language === 'zh-CN' ? '是' : 'yes';
    const cells: Record<string, string> = { 企业: 'AC-1', Enterprise: 'AC-1', 用户名: name, Name: name, 独立余额: yes, 'Own balance': yes, 信用额度: '12.5', 'Credit limit': '12.5' };
    const content = await filledIn(bytes, format, headings.map((h) => cells[h] ?? ''));
    const result = await t.call('userAccounts.import', { fileName: `filled.${format}`, content }, clerk);
    expect(result).toMatchObject({ rows: 1, created: 1 });
    const made = (await t.call('userAccounts.list', { enterpriseId: acmeId, q: name, limit: 5 }, auditor)).rows;
    expect(made).toEqual([expect.objectContaining({ name, ownBalance: true, creditLimit: '12.5000' })]);
  });

  it.each(['zh-CN', 'en'] as const)('extension template in %s: filled in, it imports', async (language) => {
    const ticket = await t.call('extensions.template', { format: 'xlsx', language }, auditor);
    const bytes = await fetchBytes(ticket);
    const headings = (await xlsxRows(bytes)).at(-1)!;
    expect(headings).toEqual(language === 'zh-CN' ? ['设备', '分机号', '分机名称', '所属用户', '所属企业'] : ['Device', 'Number', 'Name', 'User', 'Enterprise']);
    const number = language === 'zh-CN' ? '8101' : '8102';
    const content = await filledIn(bytes, 'xlsx', ['Beijing HQ', number, '会议室', 'Zhou Jie', 'Acme']);
    expect(await t.call('extensions.import', { fileName: 'filled.xlsx', content }, clerk)).toMatchObject({ rows: 1, created: 1 });
    const made = (await t.call('extensions.list', { q: number, limit: 5 }, auditor)).rows;
    expect(made).toEqual([expect.objectContaining({ number, name: '会议室', deviceId })]);
  });
});

describe('other exports in the clerk’s language', () => {
  it('extensions.export in Chinese imports back unchanged', async () => {
    const ticket = await t.call('extensions.export', { deviceId, format: 'csv', timeZone: 'UTC', language: 'zh-CN' }, auditor);
    const bytes = await fetchBytes(ticket);
    const rows = csvRecords(bytes);
    expect(rows[0]![0]).toBe('分机列表');
    expect(rows.find((r) => r[0] === '筛选条件')?.[1]).toBe('设备 Beijing HQ');
    const at = rows.findIndex((r) => r[0] === '分机ID');
    expect(rows[at]).toEqual(['分机ID', '设备', '分机号', '分机名称', '所属用户', '所属企业']);
    expect(rows.slice(at + 1).find((r) => r[2] === '8001')?.slice(1)).toEqual(['Beijing HQ', '8001', '前台', '李伟', 'Acme']);
    const again = await t.call('extensions.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, clerk);
    expect(again).toMatchObject({ created: 0, updated: ticket.rows });
  });

  it('extensions.export names the user of its filter by name', async () => {
    const li = (await t.call('userAccounts.list', { enterpriseId: acmeId, q: '李伟', limit: 5 }, auditor)).rows[0]!;
    const ticket = await t.call('extensions.export', { userAccountId: li.id, format: 'csv', language: 'zh-CN' }, auditor);
    expect(csvRecords(await fetchBytes(ticket)).find((r) => r[0] === '筛选条件')?.[1]).toBe('用户账户 李伟');
  });

  it('recharges.export in Chinese: headings, kinds and account kinds', async () => {
    const ticket = await t.call('recharges.export', { enterpriseId: acmeId, format: 'xlsx', timeZone: 'Asia/Shanghai', language: 'zh-CN' }, auditor);
    const rows = await xlsxRows(await fetchBytes(ticket));
    expect(rows[0]![0]).toBe('充值记录');
    const at = rows.findIndex((r) => r[0] === '时间');
    expect(rows[at]).toEqual(['时间', '企业', '账户', '账户类型', '类型', '金额', '变动后余额', '支付方式', '凭证号', '操作员', '原因', '流水号']);
    expect(rows.slice(at + 1).map((r) => [r[2], r[3], r[4], r[5], r[10]])).toEqual([['李伟', '用户', '充值', '20', '售卡']]);
  });

  it('logs.exportLogin in Chinese: result and reason in Chinese; in English as words, not codes', async () => {
    const zh = csvRecords(await fetchBytes(await t.call('logs.exportLogin', { ok: false, format: 'csv', language: 'zh-CN' }, auditor)));
    expect(zh[0]).toEqual(['登录日志']);
    expect(zh.find((r) => r[0] === '筛选条件')).toEqual(['筛选条件', '结果：失败']);
    const at = zh.findIndex((r) => r[0] === '时间');
    expect(zh[at]).toEqual(['时间', '用户', '结果', '原因', '地址', '浏览器']);
    expect(zh[at + 1]!.slice(1, 4)).toEqual(['auditor1', '失败', '密码错误']);
    const en = csvRecords(await fetchBytes(await t.call('logs.exportLogin', { ok: false, format: 'csv', language: 'en' }, auditor)));
    expect(en[en.findIndex((r) => r[0] === 'Time') + 1]!.slice(1, 4)).toEqual(['auditor1', 'failed', 'wrong password']);
  });

  it('logs.exportOperation in Chinese: headings and sheet name', async () => {
    const ticket = await t.call('logs.exportOperation', { format: 'xlsx', language: 'zh-CN' }, auditor);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await fetchBytes(ticket)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['操作日志']);
    const rows = await xlsxRows(await fetchBytes(await t.call('logs.exportOperation', { format: 'xlsx', language: 'zh-CN' }, auditor)));
    expect(rows.find((r) => r[0] === '时间')).toEqual(['时间', '用户', '操作（方法）', '对象', '地址', '详情（修改前/后）']);
  });
});

describe('import problems name columns in the file’s language', () => {
  it('a Chinese file is told of its missing 企业 column and of the columns it may have, in Chinese', async () => {
    const missing = await refusalOf(t.call('userAccounts.import', { fileName: 'users.csv', content: csvFile(['用户名,备注', '王芳,x']) }, clerk));
    expect(missing.problems).toEqual([expect.objectContaining({ row: 1, column: '企业', problem: 'column is missing from the headings' })]);
    const unknown = await refusalOf(t.call('userAccounts.import', { fileName: 'users.csv', content: csvFile(['企业,用户名,部门', 'Acme,王芳,x']) }, clerk));
    expect(unknown.problems[0]).toMatchObject({ row: 1, column: '部门' });
    expect(unknown.problems[0]!.problem).toContain('企业, 用户名, 用户编号, 设备, 分机号');
    const english = await refusalOf(t.call('userAccounts.import', { fileName: 'users.csv', content: csvFile(['Name,Notes', 'Wang Fang,x']) }, clerk));
    expect(english.problems).toEqual([expect.objectContaining({ row: 1, column: 'Enterprise' })]);
  });

  it('an attribution file with Chinese headings is told of its missing 区号 column in Chinese', async () => {
    const refusal = await refusalOf(
      t.call('attribution.import', { fileName: 'a.csv', content: csvFile(['号段,地区,号码类型', '1390000,北京,手机']) }, clerk),
    );
    expect(refusal.problems).toEqual([expect.objectContaining({ row: 1, column: '区号' })]);
  });
});
