import type { APIRequestContext, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
}

/**
 * Through the API, as in test/helpers/sample-billing.ts: the sample README's Beijing device (strip a leading 9) and
 * its rate group (local and inter come with the group; domestic, international, UK and special are added).
 */
async function sampleSetup(request: APIRequestContext): Promise<void> {
  const auth = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { Authorization: `Bearer ${((await auth.json()) as { token: string }).token}` };
  const post = async (method: string, data: unknown) => {
    const r = await request.post(`/api/${method}`, { headers, data });
    expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
    return (await r.json()) as { id: number };
  };
  const device = await post('devices.create', {
    name: 'Beijing HQ',
    format: 'asterisk-csv',
    timeZone: 'Asia/Shanghai',
    countryCode: '86',
    areaCode: '10',
    nationalPrefix: '0',
    internationalPrefix: '00',
    extensionPattern: '8\\d{3}',
  });
  await post('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
  const group = await post('rateGroups.create', { name: 'Sample rates' });
  for (const rate of [
    { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
    { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
    { name: 'UK', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
    { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
  ]) {
    await post('rates.create', { rateGroupId: group.id, ...rate });
  }
}

/** The users of the sample calls, as a clerk's Excel file (Chinese headings, numbers as numbers). */
async function usersWorkbook(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('用户');
  sheet.addRow(['企业', '用户名', '分机号', '卡号', '备注']);
  sheet.addRow(['Sample Enterprise', 'Li Wei', 8001, 700101, 'sales']);
  sheet.addRow(['Sample Enterprise', 'Zhang Min', 8002, null, null]);
  sheet.addRow(['Sample Enterprise', 'Wang Fang', 8003, null, null]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accounts-e2e-')), 'users.xlsx');
  await workbook.xlsx.writeFile(file);
  return file;
}

test('a clerk sets up a prepaid enterprise, imports its users, recharges, sees the calls charged and freezes it', async ({ page, request }) => {
  await sampleSetup(request);
  await login(page);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  const accountsNav = nav.getByRole('group', { name: 'Accounts' });

  // The enterprise, with the sample rate group.
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await expect(page.getByText('No enterprises yet')).toBeVisible();
  await page.getByRole('button', { name: 'New enterprise' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Sample Enterprise');
  await dialog.getByRole('combobox', { name: 'Rate group' }).click();
  await page.getByRole('option', { name: 'Sample rates' }).click();
  await dialog.getByLabel('Low-balance alert below').fill('95');
  await dialog.getByRole('button', { name: 'New enterprise' }).click();
  await expect(page.getByText('Enterprise Sample Enterprise added.')).toBeVisible();
  const enterprises = page.getByRole('table', { name: 'Enterprises' });
  const row = enterprises.getByRole('row', { name: /Sample Enterprise/ });
  await expect(row).toContainText('¥0.00');
  await expect(row).toContainText('Prepaid');
  await expect(row).toContainText('Sample rates');
  await expect(row).toContainText('Low balance');

  // Its users, from an .xlsx file.
  await accountsNav.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Import' }).first().click();
  const importDialog = page.getByRole('dialog', { name: 'Import user accounts' });
  await importDialog.locator('input[type="file"]').setInputFiles(await usersWorkbook());
  await expect(importDialog.getByText('users.xlsx')).toBeVisible();
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(importDialog.getByText('3 rows: 3 users added, 0 updated, 3 extensions assigned, 0 PINs set.')).toBeVisible();
  await importDialog.getByRole('button', { name: 'Close' }).click();
  const users = page.getByRole('table', { name: 'User accounts' });
  await expect(users.getByRole('row', { name: /Li Wei/ })).toContainText('8001');
  await expect(users.getByRole('row', { name: /Li Wei/ })).toContainText('700101');
  await expect(users.getByRole('row')).toHaveCount(4);

  // A recharge of 100.00: amount, then the confirmation with the amount in words and a reason.
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await row.getByRole('button', { name: 'Recharge Sample Enterprise' }).click();
  const amount = page.getByRole('dialog', { name: 'Recharge Sample Enterprise' });
  await amount.getByLabel('Amount').fill('100');
  await amount.getByLabel('Payment reference').fill('TX-2026-03');
  await amount.getByRole('button', { name: 'Continue' }).click();
  const confirm = page.getByRole('dialog', { name: 'Recharge Sample Enterprise' });
  await expect(confirm.getByText('One hundred and 00/100')).toBeVisible();
  await confirm.getByLabel('Reason').fill('March prepayment');
  await confirm.getByRole('button', { name: 'Recharge', exact: true }).click();
  await expect(page.getByText('Sample Enterprise recharged')).toBeVisible();
  await expect(row).toContainText('¥100.00');

  // The sample CDR file through the CDR Import page: 9.85 is charged to the enterprise.
  await nav.getByRole('group', { name: 'CDR' }).getByRole('link', { name: 'Import' }).click();
  await page.getByRole('combobox', { name: 'Device' }).click();
  await page.getByRole('option', { name: 'Beijing HQ' }).click();
  await page.locator('input[type="file"]').setInputFiles(path.resolve('test/fixtures/cdr/asterisk-master.csv'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Import result' }).getByLabel('Stored')).toHaveText('7');
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await expect(row).toContainText('¥90.15');
  // Below its 95.00 threshold again: the alert says so, with the balance of now.
  await expect(page.getByRole('alert').filter({ hasText: 'Sample Enterprise: low balance' })).toContainText('¥90.15');

  // The ledger shows the recharge and the charges of the calls.
  await row.getByRole('link', { name: 'Ledger of Sample Enterprise' }).click();
  await expect(page.getByRole('heading', { name: 'Ledger of Sample Enterprise' })).toBeVisible();
  const ledger = page.getByRole('table', { name: 'Ledger entries' });
  await expect(ledger.getByRole('row', { name: /Recharge/ })).toContainText('March prepayment');
  await expect(ledger.getByRole('row', { name: /Call charge/ })).toHaveCount(7);
  await expect(ledger.getByRole('row', { name: /Call charge/ }).first()).toContainText('-¥0.90');
  await page.screenshot({ path: 'test-results/accounts-ledger.png', fullPage: true });

  // Freeze, from the row's menu, with a reason.
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await row.getByRole('button', { name: 'More actions for Sample Enterprise' }).click();
  await page.getByRole('menuitem', { name: 'Freeze' }).click();
  const freeze = page.getByRole('dialog', { name: 'Freeze Sample Enterprise' });
  await freeze.getByLabel('Reason').fill('Unpaid invoice');
  await freeze.getByRole('button', { name: 'Freeze' }).click();
  await expect(page.getByText('Sample Enterprise frozen')).toBeVisible();
  await expect(row).toContainText('Frozen');
  await page.getByRole('alert').filter({ hasText: 'Sample Enterprise frozen' }).getByRole('link', { name: /Open ledger entry #\d+/ }).click();
  await expect(page.getByRole('table', { name: 'Ledger entries' }).getByLabel(/Entry #\d+, the one you came for/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Ledger entries' }).getByRole('row', { name: /Freeze/ })).toContainText('Unpaid invoice');
  await page.screenshot({ path: 'test-results/accounts-frozen.png', fullPage: true });
});
