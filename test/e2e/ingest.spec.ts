import type { APIRequestContext, Page } from '@playwright/test';
import path from 'node:path';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
}

/** The sample README's Beijing device, made through the API (the devices page belongs to another area). */
async function createBeijingDevice(request: APIRequestContext, name = 'Beijing HQ'): Promise<{ id: number }> {
  const login = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const { token } = (await login.json()) as { token: string };
  const device = await request.post('/api/devices.create', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name, format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}' },
  });
  expect(device.status()).toBe(200);
  return (await device.json()) as { id: number };
}

test('a clerk imports the sample Master.csv, sees the counts and the rejected line, then finds it in Rejects', async ({ page, request }) => {
  await createBeijingDevice(request);
  await login(page);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import' })).toBeVisible();

  await page.getByRole('combobox', { name: 'Device' }).click();
  await page.getByRole('option', { name: 'Beijing HQ' }).click();
  await expect(page.getByText('Read as asterisk-csv, local times in Asia/Shanghai')).toBeVisible();
  await page.locator('input[type="file"]').setInputFiles(path.resolve('test/fixtures/cdr/asterisk-master.csv'));
  await expect(page.getByText(/asterisk-master\.csv \(\d+ KB\)/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const counts = page.getByRole('group', { name: 'Import result' });
  await expect(counts.getByLabel('Received')).toHaveText('8');
  await expect(counts.getByLabel('Stored')).toHaveText('7');
  await expect(counts.getByLabel('Duplicates')).toHaveText('0');
  await expect(counts.getByLabel('Rejected')).toHaveText('1');
  await expect(page.getByText('Import finished: 7 stored, 0 duplicates, 1 rejected.')).toBeVisible();
  const rejects = page.getByRole('table', { name: 'Rejects of this import' });
  await expect(rejects).toContainText('line 7');
  // The reason in the UI language, the engine's English behind the info mark.
  await expect(rejects).toContainText('expected at least 16 columns, found 1');
  await expect(rejects).toContainText('asterisk-master.csv');
  await page.screenshot({ path: 'test-results/ingest-import.png', fullPage: true });

  // The same file again: every record is already there. The counts add up to what the list shows: 7 calls met
  // again, and the unreadable line already kept (not "0 rejected / 8 duplicates" beside one unreadable record).
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(counts.getByLabel('Duplicates')).toHaveText('7');
  await expect(counts.getByLabel('Rejects already kept')).toHaveText('1');
  await expect(counts.getByLabel('Rejected')).toHaveText('0');
  await expect(counts.getByLabel('Stored')).toHaveText('0');
  await expect(page.getByText('Records that could not be read: 1')).toBeVisible();
  await expect(page.getByText('0 new, 1 already kept')).toBeVisible();

  // The reject is listed on the Rejects page, with its record; it can be dismissed with a reason.
  await page.getByRole('link', { name: 'Open in Rejects' }).click();
  const table = page.getByRole('table', { name: 'Rejects' });
  const row = table.getByRole('row', { name: /asterisk-master\.csv/ });
  await expect(row).toContainText('line 7');
  await expect(row).toContainText('Open');
  await row.getByRole('button', { name: 'Show record' }).click();
  await expect(page.getByLabel('Record as received')).toBeVisible();
  await page.screenshot({ path: 'test-results/ingest-rejects.png', fullPage: true });
  await expect(page.getByRole('button', { name: 'Reprocess all open of Beijing HQ (1)' })).toBeEnabled();
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Dismiss selected (1)' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('not a call: a note in the file');
  await dialog.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText('1 reject(s) dismissed.')).toBeVisible();
  await expect(row).toContainText('Dismissed');
  // Nothing open any more: the button says so instead of being grey without a reason.
  const all = page.getByRole('button', { name: 'Reprocess all open of Beijing HQ (0)' });
  await expect(all).toHaveAttribute('data-disabled', 'true');
  await all.hover();
  await expect(page.getByRole('tooltip')).toHaveText('No open rejects to reprocess');
});

test('in Chinese, the counts and the reasons of an import read in Chinese, the English kept behind the info mark', async ({ page, request }) => {
  const device = await createBeijingDevice(request, '北京总部');

  await page.addInitScript(() => window.localStorage.setItem('billing.language', 'zh-CN'));
  await page.goto('/');
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.goto(`/#/cdr/import?device=${device.id}`);
  const file = path.resolve('test/fixtures/cdr/asterisk-master.csv');
  const counts = page.getByRole('group', { name: '导入结果' });
  for (const round of [1, 2]) {
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await expect(counts.getByLabel('收到')).toHaveText('8');
    if (round === 2) {
      await expect(counts.getByLabel('重复')).toHaveText('7');
      await expect(counts.getByLabel('已记录的拒收')).toHaveText('1');
      await expect(page.getByText('新拒收 0 条，已记录的 1 条')).toBeVisible();
    }
  }
  const rejects = page.getByRole('table', { name: '本次导入的拒收记录' });
  await expect(rejects).toContainText('应至少有 16 列，实际 1 列');
  await expect(rejects).not.toContainText('expected');
  await rejects.getByRole('note').first().hover();
  await expect(page.getByRole('tooltip')).toHaveText('line 7: expected 16 or more columns, found 1');
  await page.screenshot({ path: path.join(test.info().outputDir, 'import-again-zh-CN.png'), fullPage: true });

  await page.goto(`/#/cdr/rejects?device=${device.id}`);
  await expect(page.getByRole('button', { name: '重新处理 北京总部 的全部待处理（1）' })).toBeEnabled();
  await expect(page.getByRole('table', { name: '拒收记录' })).toContainText('应至少有 16 列，实际 1 列');
});
