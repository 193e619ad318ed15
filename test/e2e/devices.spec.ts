import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { SftpTestServer } from '../helpers/sftp-server';
import { ADMIN_PASSWORD, expect, test } from './server';

const SFTP_PASSWORD = 'pbx-Secret-42';
let sftp: SftpTestServer;

test.beforeAll(async () => {
  sftp = await SftpTestServer.start({ users: [{ username: 'cdr', password: SFTP_PASSWORD }] });
  // The sample Master.csv: seven calls and one line that is not a CDR.
  sftp.writeFile('/var/log/asterisk/cdr-csv/Master.csv', fs.readFileSync(path.resolve('test/fixtures/cdr/asterisk-master.csv')));
  sftp.writeFile('/var/log/asterisk/cdr-csv/notes.txt', 'not a CDR file\n');
});
test.afterAll(async () => {
  await sftp.close();
});

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a clerk adds an IPPBX device with SFTP pulling, tests the connection, and sees its status', async ({ page }) => {
  await login(page);
  await page.getByRole('navigation').getByRole('link', { name: 'IPPBX devices' }).click();
  await expect(page.getByText('No IPPBX devices yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add device' }).first().click();

  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Beijing HQ');
  await dialog.getByLabel('Area code').fill('10');
  await dialog.getByLabel('Extension pattern').fill('8\\d{3}');
  await dialog.getByLabel('Allowed source addresses').fill('127.0.0.1');
  await dialog.getByLabel('Pull CDR files from this device over SFTP').check();
  await dialog.getByLabel('Host').fill(sftp.host);
  await dialog.getByLabel('Port').fill(String(sftp.port));
  await dialog.getByLabel('User name').fill('cdr');
  await dialog.getByLabel('Password', { exact: true }).fill('not-the-password');
  await dialog.getByLabel('Folder').fill('/var/log/asterisk/cdr-csv');
  await dialog.getByLabel('File pattern').fill('Master*.csv');
  await dialog.getByLabel('Poll every (seconds)').fill('5');

  // A wrong password is reported as a refused login, saying where.
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByTestId('sftp-test-result');
  await expect(result).toContainText('Login refused');
  await expect(result).toContainText(`127.0.0.1:${sftp.port} refused the login of "cdr"`);

  await dialog.getByLabel('Password', { exact: true }).fill(SFTP_PASSWORD);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('Connection works');
  await expect(result).toContainText('2 file(s) in /var/log/asterisk/cdr-csv, 1 matching the pattern');
  await expect(result.getByRole('row', { name: /Master\.csv/ })).toContainText('will be fetched');
  await expect(result.getByRole('row', { name: /notes\.txt/ })).toContainText('does not match');
  await expect(result).toContainText(`Host key ${sftp.hostKeyFingerprint} — not stored yet`);
  await page.screenshot({ path: 'test-results/devices-form.png', fullPage: true });

  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByText('Device Beijing HQ added.')).toBeVisible();
  const row = page.getByRole('row', { name: /Beijing HQ/ });
  await expect(row).toContainText('Asterisk Master.csv (cdr_csv)');

  // The poller reads the file: the status follows by itself (engine events), no reload.
  await expect(row).toContainText('SFTP OK', { timeout: 30_000 });
  await expect(row).toContainText('8 received', { timeout: 30_000 });
  await expect(row).toContainText('7 stored · 1 rejected');
  await expect(row).toContainText('1 file read');

  // The row's details: nothing waiting, no errors.
  await row.getByText('Beijing HQ').click();
  await expect(page.getByText('No errors since the engine started.')).toBeVisible();
  await page.screenshot({ path: 'test-results/devices-list.png', fullPage: true });

  // The first connection stored the server's host key; the form shows it.
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByRole('dialog').getByTestId('sftp-host-key')).toHaveText(sftp.hostKeyFingerprint);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // A device with CDRs cannot be deleted: the server says why.
  await row.getByRole('button', { name: 'More actions for Beijing HQ' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog')).toContainText('has 7 CDR(s) and 1 rejected record(s) and cannot be deleted; disable it instead.');
});
