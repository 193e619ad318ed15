import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'IPPBX devices' }).click();
}

async function chooseFormat(page: Page, label: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('CDR format').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('the device form shows the settings of its format, the server names a wrong one, and saved settings come back', async ({ page }) => {
  await login(page);
  await page.getByRole('button', { name: 'Add device' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Cloud 3CX');

  // Asterisk is the default format: its trunk and context settings are shown; 3CX's are not.
  await expect(dialog.getByLabel('Trunk channels')).toBeVisible();
  await expect(dialog.getByLabel('3CX field order')).toHaveCount(0);

  await chooseFormat(page, '3CX CDR');
  await expect(dialog.getByLabel('Trunk channels')).toHaveCount(0);
  await dialog.getByLabel('3CX field order').fill('historyid, caller, time-start');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByText('"caller" is not a 3CX CDR field (historyid, callid, time-start, from-no, ...)', { exact: true })).toBeVisible();

  await dialog.getByLabel('3CX field order').fill('historyid, from-no, to-no, time-start, time-end, duration');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByText('Device Cloud 3CX added.')).toBeVisible();

  const row = page.getByRole('row', { name: /Cloud 3CX/ });
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(dialog.getByLabel('3CX field order')).toHaveValue('historyid, from-no, to-no, time-start, time-end, duration');

  // Another format: its own setting, with FreeSWITCH's default (the A leg) until another is chosen.
  await chooseFormat(page, 'FreeSWITCH mod_xml_cdr');
  await expect(dialog.getByLabel('3CX field order')).toHaveCount(0);
  await expect(dialog.getByLabel('Leg that is charged')).toHaveValue('A leg: the calling channel (default)');
  await dialog.getByLabel('Leg that is charged').click();
  await page.getByRole('option', { name: 'B leg: the called channel' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Device Cloud 3CX saved.')).toBeVisible();
  await expect(row).toContainText('FreeSWITCH mod_xml_cdr');

  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(dialog.getByLabel('Leg that is charged')).toHaveValue('B leg: the called channel');
  await dialog.getByLabel('Leg that is charged').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/device-format-settings.png', fullPage: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
