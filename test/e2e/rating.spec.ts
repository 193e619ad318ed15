import type { APIRequestContext, Page } from '@playwright/test';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
}

/** The sample README's Beijing device with its "strip 9" rule, made through the API (the devices page is another area's). */
async function createBeijingDevice(request: APIRequestContext): Promise<void> {
  const login = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const { token } = (await login.json()) as { token: string };
  const headers = { Authorization: `Bearer ${token}` };
  const device = await request.post('/api/devices.create', {
    headers,
    data: { name: 'Beijing HQ', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}' },
  });
  expect(device.status()).toBe(200);
  const { id } = (await device.json()) as { id: number };
  const rule = await request.post('/api/routePrefixes.create', { headers, data: { deviceId: id, prefix: '9', minRemainingLength: 3 } });
  expect(rule.status()).toBe(200);
}

test('a clerk creates a rate group with a rate, then prices calls in the rating tester and reads why', async ({ page, request }) => {
  await createBeijingDevice(request);
  await login(page);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });

  // Rate group: it starts with local and inter.
  await nav.getByRole('link', { name: 'Rate groups and rates' }).click();
  await page.getByRole('button', { name: 'New rate group' }).first().click();
  const groupDialog = page.getByRole('dialog');
  await groupDialog.getByLabel('Group name').fill('Sample');
  await groupDialog.getByRole('button', { name: 'New rate group' }).click();
  const rates = page.getByRole('table', { name: 'Rates' });
  await expect(rates.getByRole('cell', { name: 'local', exact: true })).toBeVisible();
  await expect(rates.getByRole('cell', { name: 'inter', exact: true })).toBeVisible();

  // A domestic default rate billed by 6 seconds; the preview prices sample durations as the engine will.
  await page.getByRole('button', { name: 'Add rate' }).first().click();
  const rateDialog = page.getByRole('dialog');
  await rateDialog.getByLabel('Name').fill('domestic');
  await rateDialog.getByLabel('Call type').click();
  await page.getByRole('option', { name: 'Domestic' }).click();
  await rateDialog.getByLabel('Interval 1: price').fill('0.30');
  await rateDialog.getByLabel('Interval 1: step in seconds').fill('6');
  const preview = rateDialog.getByTestId('rate-preview');
  await expect(preview.getByRole('row', { name: /^61 s/ })).toContainText('66 s');
  await expect(preview.getByRole('row', { name: /^61 s/ })).toContainText('¥0.33');
  await rateDialog.getByRole('button', { name: 'Add rate' }).click();
  await expect(page.getByText('Rate domestic added.')).toBeVisible();
  await expect(rates.getByRole('cell', { name: 'domestic', exact: true })).toBeVisible();

  // Server-side validation lands on the field: a second default domestic rate is refused.
  await page.getByRole('button', { name: 'Add rate' }).first().click();
  await rateDialog.getByLabel('Name').fill('domestic again');
  await rateDialog.getByLabel('Call type').click();
  await page.getByRole('option', { name: 'Domestic' }).click();
  await rateDialog.getByRole('button', { name: 'Add rate' }).click();
  await expect(rateDialog.getByText(/another rate of this group, "domestic"/)).toBeVisible();
  await rateDialog.getByRole('button', { name: 'Cancel' }).click();

  // The rating tester: a Shanghai number dialled with the outside-line 9.
  await nav.getByRole('link', { name: 'Rating tester' }).click();
  await page.getByLabel('Dialled number').fill('902150001234');
  await page.getByLabel('Billed seconds').fill('122');
  await page.getByRole('button', { name: 'Price the call' }).click();
  const result = page.getByTestId('quote-result');
  await expect(result.getByTestId('quote-cost')).toHaveText('¥0.63');
  await expect(result.getByTestId('quote-normalized')).toHaveText('02150001234');
  await expect(result.getByText('Domestic', { exact: true })).toBeVisible();
  await expect(result.getByText('Exactly 0.6300 CNY')).toBeVisible();
  const steps = result.getByRole('list', { name: 'How the price was found' });
  await expect(steps.getByText('Route prefix rule 1: stripped 9 (902150001234 -> 02150001234)')).toBeVisible();
  await expect(steps.getByText('Area 21 differs from the device\'s area 10')).toBeVisible();
  await expect(steps.getByText('Interval 1 from 0 s: 122 s rounded up to 126 s (increments of 6 s) at 0.3000 per 60 s = 0.6300')).toBeVisible();
  await expect(steps.getByText('Total 0.6300 for 126 billed seconds (rounded once, half up)')).toBeVisible();
  const intervals = result.getByRole('table', { name: 'Seconds billed per interval' });
  await expect(intervals.getByRole('row').nth(1)).toContainText('126 s');

  // A Beijing mobile is local (default attribution data), billed with the seeded local rate; the URL keeps the call.
  await page.getByLabel('Dialled number').fill('913800138000');
  await page.getByLabel('Billed seconds').fill('61');
  await page.getByRole('button', { name: 'Price the call' }).click();
  await expect(result.getByTestId('quote-cost')).toHaveText('¥0.22');
  await expect(result.getByText('Local', { exact: true })).toBeVisible();
  await expect(result.getByText('Area 10 Beijing')).toBeVisible();
  await expect(page).toHaveURL(/callee=913800138000/);

  // An unknown number says why it would not be rated.
  await page.getByLabel('Dialled number').fill('90999');
  await page.getByRole('button', { name: 'Price the call' }).click();
  await expect(page.getByText('This call would not be rated')).toBeVisible();
});
