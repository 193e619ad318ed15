import type { APIRequestContext, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, adminApi, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
}

const sampleContent = () => fs.readFileSync(path.resolve('test/fixtures/cdr/asterisk-master.csv')).toString('base64');

/** The billing set-up of the sample README through the API, then the sample Master.csv imported (7 calls, 9.8500). */
async function importSampleThroughApi(request: APIRequestContext): Promise<void> {
  const api = await adminApi(request);
  const device = await api<{ id: number }>('devices.create', {
    name: 'Beijing HQ', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10',
    nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}',
  });
  await api('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
  const group = await api<{ id: number }>('rateGroups.create', { name: 'Sample rates' });
  const rates = [
    { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
    { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
    { name: 'UK', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
    { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
  ];
  for (const rate of rates) await api('rates.create', { rateGroupId: group.id, ...rate });
  const enterprise = await api<{ id: number }>('enterprises.create', { name: 'Sample Enterprise', rateGroupId: group.id, billingMode: 'postpaid' });
  for (const [number, name] of [['8001', 'Li Wei'], ['8002', 'Zhang Min'], ['8003', 'Wang Fang']]) {
    await api('userAccounts.create', { enterpriseId: enterprise.id, name, extensions: [{ deviceId: device.id, number }] });
  }
  const result = await api<{ stored: number; rated: number }>('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content: sampleContent() });
  expect(result).toMatchObject({ stored: 7, rated: 7 });
}

test('a clerk filters the CDR records, opens a call to see why it costs 0.63, and exports the view to Excel', async ({ page, request }) => {
  await importSampleThroughApi(request);
  await login(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Records', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Records' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Records' });
  // Latest first: the last call of the file (2026-03-02 17:30, to 913912345678) on top.
  await expect(table.getByRole('row')).toHaveCount(8);
  await expect(table.getByRole('row').nth(1)).toContainText('913912345678');
  await expect(page.getByText('7 calls match')).toBeVisible();
  await page.screenshot({ path: 'test-results/cdrs-records.png', fullPage: true });

  // Callee prefix: the Shanghai call only; the filter goes to the URL (a drill-down target).
  const callee = page.getByRole('textbox', { name: 'Callee', exact: true });
  await callee.fill('9021');
  await callee.press('Enter');
  await expect(page).toHaveURL(/callee=9021/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page.getByText('1 call matches')).toBeVisible();
  const row = table.getByRole('row', { name: /902150001234/ });
  await expect(row).toContainText('Li Wei');
  await expect(row).toContainText('Domestic');
  await expect(row).toContainText('0.63');

  // The detail: raw record, normalization steps, the rate and the cost, the ledger's charge.
  await row.getByRole('button', { name: /Details of call/ }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('heading', { name: 'Why this price' })).toBeVisible();
  await expect(drawer).toContainText('Route prefix rule 1: stripped 9 (902150001234 -> 02150001234)');
  await expect(drawer).toContainText('Call type: domestic long distance');
  await expect(drawer).toContainText('Placed from extension 8001: charged to its user account');
  await expect(drawer).toContainText('it gives what was stored when the call was charged');
  await expect(drawer.getByRole('table', { name: 'Billed seconds per interval' })).toContainText('126');
  await expect(drawer).toContainText('Rate "domestic": 126 billed seconds');
  await expect(drawer.getByRole('table', { name: 'Ledger entries' })).toContainText('Charge');
  await expect(drawer.getByLabel('Raw record')).toContainText('"ent-a","8001","902150001234"');
  await expect(drawer).toContainText('asterisk-master.csv line 1');
  await page.screenshot({ path: 'test-results/cdrs-detail.png', fullPage: true });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // Export what is on screen: the file comes down and reads back with exceljs.
  await callee.fill('');
  await callee.press('Enter');
  await expect(table.getByRole('row')).toHaveCount(8);
  await page.getByRole('button', { name: 'Export' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^cdrs-\d{8}-\d{6}\.xlsx$/);
  const file = path.join(test.info().outputDir, download.suggestedFilename());
  await download.saveAs(file);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0]!;
  expect(sheet.getCell('A1').value).toBe('CDR records');
  expect(sheet.getCell('B3').value).toBe('Asia/Shanghai');
  expect(sheet.getCell('B5').value).toBe('admin');
  expect(sheet.getCell('A8').value).toBe('Start');
  const data: ExcelJS.CellValue[][] = [];
  sheet.eachRow((r, n) => {
    if (n > 8) data.push((r.values as ExcelJS.CellValue[]).slice(1));
  });
  const total = data.at(-1)!;
  expect(total[0]).toBe('Total: 7 calls');
  expect(Math.round((total[16] as number) * 10_000)).toBe(98_500);
  expect(data.filter((r) => typeof r[0] !== 'string')).toHaveLength(7);
  await expect(page.getByText(/Exported 7 rows to cdrs-/)).toBeVisible();
});

test('the unrated queue groups calls no account pays for, links to the fix, and charges them again after it', async ({ page, request }) => {
  const api = await adminApi(request);
  // A second site whose extensions belong to no one (and no default enterprise): every call waits unrated.
  const device = await api<{ id: number }>('devices.create', {
    name: 'Shanghai branch', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '21',
    nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}', addresses: ['127.0.0.9'],
  });
  await api('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
  const result = await api<{ unrated: number }>('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content: sampleContent() });
  expect(result.unrated).toBe(7);

  await login(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Unrated queue' }).click();
  await expect(page.getByRole('heading', { name: 'Unrated queue' })).toBeVisible();
  const group = page.locator('[data-reason="charging.noPayer"]');
  await expect(group).toContainText(/no account pays for this call/i);
  await expect(group).toContainText('7 calls');
  await expect(group).toContainText('Shanghai branch: 7');
  await expect(group.getByRole('link', { name: 'Assign the extension to a user' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Unrated queue' }).getByRole('row')).toHaveCount(8);
  await page.screenshot({ path: 'test-results/cdrs-unrated.png', fullPage: true });

  // The fix: the device gets a default enterprise; charging again rates all seven.
  const enterprises = await api<{ rows: { id: number }[] }>('enterprises.list', { limit: 1 });
  await api('devices.update', { id: device.id, defaultEnterpriseId: enterprises.rows[0]!.id });
  await group.getByRole('button', { name: 'Charge these again' }).click();
  await expect(page.getByText('Examined 7 calls: 7 charged, 0 still unrated.')).toBeVisible();
  await expect(page.getByText('No unrated calls').first()).toBeVisible();
});
