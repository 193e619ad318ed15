import type { APIRequestContext, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ADMIN_PASSWORD, expect, loginAsAdmin, test } from './server';

/** asterisk-master.csv imported on a device: 7 calls of 2026-03-02, long before the 6 months kept. */
async function importMarchCalls(request: APIRequestContext): Promise<void> {
  const session = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const { token } = (await session.json()) as { token: string };
  const api = async <T>(method: string, data: unknown): Promise<T> => {
    const response = await request.post(`/api/${method}`, { headers: { Authorization: `Bearer ${token}` }, data });
    expect(response.status(), `${method}: ${await response.text()}`).toBe(200);
    return (await response.json()) as T;
  };
  const device = await api<{ id: number }>('devices.create', {
    name: 'Beijing HQ', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10',
    nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}',
  });
  const content = fs.readFileSync(path.resolve('test/fixtures/cdr/asterisk-master.csv')).toString('base64');
  expect(await api('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content })).toMatchObject({ stored: 7 });
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const saved = path.join(test.info().outputDir, file.suggestedFilename());
  await file.saveAs(saved);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(saved) };
}

test('a Chinese admin runs the retention job from the archives page, downloads the archive and its checksum', async ({ page, request }) => {
  await importMarchCalls(request);
  await loginAsAdmin(page, 'zh-CN');
  await expect(page.getByRole('navigation').getByRole('link', { name: '话单归档' })).toBeVisible();
  const main = page.getByRole('main');

  // Settings tell the same story as the job: daily at 03:30 in the statistics zone, the saved period, then deleted.
  await page.goto('/#/system/settings?tab=general');
  await expect(main.getByText(/保留期任务每天 03:30（[^）]+，即统计时区）运行/)).toBeVisible();
  await expect(main.getByText(/当前月之前 6 个整月/)).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: '话单归档' }).click();
  await expect(main.getByRole('heading', { name: '话单归档' })).toBeVisible();
  await expect(main.getByText('话单保留当前月之前的 6 个整月')).toBeVisible();
  await expect(main.getByText(/^下次运行：/)).toBeVisible();
  await expect(main.getByText('尚无归档')).toBeVisible();

  // Run now asks first, then archives March and reports what it did.
  await main.getByRole('button', { name: '立即运行' }).click();
  const dialog = page.getByRole('dialog', { name: '现在归档并删除旧话单？' });
  await expect(dialog.getByText(/核对后从数据库中删除/)).toBeVisible();
  await dialog.getByRole('button', { name: '立即运行' }).click();
  await expect(page.getByText('保留期任务完成：归档并删除 7 条话单（1 个月）。')).toBeVisible({ timeout: 30_000 });

  const row = main.getByRole('row').filter({ hasText: '2026年3月' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell', { name: '7', exact: true })).toBeVisible();
  await expect(row.getByText(/^cdrs-2026-03-\d{8}T\d{6}Z\.csv\.gz$/)).toBeVisible();
  await expect(main.getByText(/上次运行：.+，归档并删除 7 条话单。$/)).toBeVisible();

  // The archive and its .sha256 download; the file's checksum is the one the page and the .sha256 name.
  const archive = await download(page, () => row.getByRole('button', { name: '下载 2026年3月 的归档' }).click());
  expect(archive.name).toMatch(/^cdrs-2026-03-\d{8}T\d{6}Z\.csv\.gz$/);
  const sum = createHash('sha256').update(archive.bytes).digest('hex');
  const checksum = await download(page, () => row.getByRole('button', { name: '下载 2026年3月 的校验文件' }).click());
  expect(checksum.name).toBe(`${archive.name}.sha256`);
  expect(checksum.bytes.toString('utf8')).toBe(`${sum}  ${archive.name}\n`);
  await expect(row.getByText(`${sum.slice(0, 12)}…`)).toBeVisible();
  // The list fits a 1366-pixel screen: no column pushed out of the table's area.
  const table = main.getByRole('table').first();
  const widths = await table.evaluate((el) => ({ table: el.scrollWidth, area: el.parentElement!.clientWidth }));
  expect(widths.table).toBeLessThanOrEqual(widths.area);
  await page.screenshot({ path: path.join(test.info().outputDir, 'archives-zh-CN.png'), fullPage: true });
  // Seven calls and a header line in the CSV.
  expect(zlib.gunzipSync(archive.bytes).toString('utf8').trim().split('\n')).toHaveLength(8);

  // System information says the same, in Chinese, with the tables by their clerk names.
  await page.getByRole('navigation').getByRole('link', { name: '系统信息' }).click();
  await expect(main.getByRole('heading', { name: '保留期与归档' })).toBeVisible();
  await expect(main.getByText('早于此时间开始的话单先归档、再删除')).toBeVisible();
  await expect(main.getByText('下次运行（每天 03:30）')).toBeVisible();
  await expect(main.getByRole('heading', { name: '账务核对' })).toBeVisible();
  await expect(main.getByTitle('ledger', { exact: true })).toHaveText('账户流水');
  await expect(main.getByTitle('cdrs', { exact: true })).toHaveText('话单');
  await expect(main.getByText('Ledger check')).toHaveCount(0);
  await expect(main.getByText('CDRs kept')).toHaveCount(0);
  await page.screenshot({ path: path.join(test.info().outputDir, 'system-info-zh-CN.png'), fullPage: true });
});
