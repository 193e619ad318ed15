import type { Page } from '@playwright/test';
import net from 'node:net';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Settings' })).toBeVisible();
}

/** A TCP port nobody listens on now, for the CDR listener. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('admin changes the billing interface, runs a backup, sees it listed, opens system information', async ({ page }) => {
  await login(page);
  const nav = page.getByRole('navigation');
  const main = page.getByRole('main');

  // Billing interface settings: port, account, password (never shown back), an allowed network.
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('tab', { name: 'Billing interface' })).toHaveAttribute('aria-selected', 'true');
  const port = await freePort();
  await main.getByLabel('CDR TCP port').fill(String(port));
  await main.getByLabel('Account').fill('pbx-push');
  await main.getByLabel(/^Password/).fill('Cdr-push-secret-1');
  await main.getByLabel('Allowed addresses').fill('192.168.10.0/24');
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await expect(main.getByLabel('CDR TCP port')).toHaveValue(String(port));
  await expect(main.getByLabel('Account')).toHaveValue('pbx-push');
  await expect(main.getByLabel(/^Password/)).toHaveValue('');
  await expect(main.getByText('set', { exact: true })).toBeVisible();

  // A bad value is shown on its field.
  await main.getByLabel('Allowed addresses').fill('not-an-address');
  await main.getByRole('button', { name: 'Save' }).click();
  // Refused by the form before sending, with the contract's rule in the clerk's words.
  await expect(page.getByText(/must be an IP address or an address block/)).toBeVisible();

  // Back up now; the backup is listed with its checksum.
  await nav.getByRole('link', { name: 'Backups' }).click();
  await expect(page.getByText('No backups yet')).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).first().click();
  await expect(page.getByText(/^Backup billing-\d{8}T\d{6}Z\.db written/)).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: /billing-\d{8}T\d{6}Z\.db/ });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('Manual')).toBeVisible();
  await expect(row.getByText('admin')).toBeVisible();

  // Restore asks for the file name typed again before anything happens.
  await row.getByRole('button', { name: 'Restore…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Restore and restart' }).click();
  await expect(dialog.getByText(/^Type exactly billing-/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // System information: version, data folder, database, the backup just made.
  await nav.getByRole('link', { name: 'System information' }).click();
  await expect(page.getByRole('heading', { name: 'Software' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Version/ })).toContainText('0.1.0');
  await expect(page.getByRole('row', { name: /Data folder/ })).toContainText('billing-e2e-');
  await expect(page.getByRole('row', { name: /Last backup/ })).not.toContainText('None yet');
  // Tables by their clerk names; the database's name stays in the tooltip for support.
  await expect(page.getByRole('main').getByTitle('system_accounts', { exact: true })).toHaveText('System accounts');
  await expect(page.getByRole('heading', { name: 'Retention and archives' })).toBeVisible();
});
