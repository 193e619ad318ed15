import type { APIRequestContext, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page) {
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
}

/** The sample billing set-up through the API, then asterisk-master.csv imported: 7 calls of 2026-03-02, 9.8500 in all. */
async function importSample(request: APIRequestContext): Promise<{ enterpriseId: number }> {
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
  await api('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
  const group = await api<{ id: number }>('rateGroups.create', { name: 'Sample rates' });
  for (const rate of [
    { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
    { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
    { name: 'UK', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
    { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
  ]) {
    await api('rates.create', { rateGroupId: group.id, ...rate });
  }
  const enterprise = await api<{ id: number }>('enterprises.create', { name: 'Sample Enterprise', rateGroupId: group.id, billingMode: 'postpaid' });
  for (const [number, name] of [['8001', 'Li Wei'], ['8002', 'Zhang Min'], ['8003', 'Wang Fang']]) {
    await api('userAccounts.create', { enterpriseId: enterprise.id, name, extensions: [{ deviceId: device.id, number }] });
  }
  const content = fs.readFileSync(path.resolve('test/fixtures/cdr/asterisk-master.csv')).toString('base64');
  const result = await api<{ stored: number; rated: number }>('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content });
  expect(result).toMatchObject({ stored: 7, rated: 7 });
  return { enterpriseId: enterprise.id };
}

const MARCH = 'from=2026-03-01&to=2026-03-31';

test('statistics pages, drill-down to the CDRs, a monthly bill and the dashboard after importing the sample file', async ({ page, request }) => {
  const { enterpriseId } = await importSample(request);
  await login(page);

  // Enterprises: one row, 7 calls, ¥9.85, and the totals.
  await page.goto(`/#/statistics/enterprises?${MARCH}`);
  await expect(page.getByRole('heading', { name: 'Enterprise statistics' })).toBeVisible();
  const enterprises = page.getByRole('table', { name: 'Statistics per account' });
  const row = enterprises.getByRole('row', { name: /Sample Enterprise/ });
  await expect(row).toContainText('¥9.85');
  await expect(row).toContainText('¥8.10');
  await expect(enterprises).toContainText('Totals');
  await expect(page.getByText('Per day')).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/stats-enterprises.png', fullPage: true });

  // Users of the enterprise: Li Wei made 3 calls for ¥9.63.
  await page.goto(`/#/statistics/users?${MARCH}&enterpriseId=${enterpriseId}`);
  await expect(page.getByRole('heading', { name: 'User statistics' })).toBeVisible();
  const users = page.getByRole('table', { name: 'Statistics per account' });
  await expect(users.getByRole('row', { name: /Li Wei/ })).toContainText('¥9.63');
  await expect(users.getByRole('row', { name: /Zhang Min/ })).toContainText('¥0.22');
  await page.screenshot({ path: 'test-results/stats-users.png', fullPage: true });

  // Drill-down: Li Wei's name opens the records page filtered to his calls of the period.
  await users.getByRole('link', { name: 'Li Wei' }).click();
  await expect(page).toHaveURL(/#\/cdr\/records\?userAccountId=\d+&enterpriseId=\d+&from=.*&to=.*&status=rated/);
  await expect(page.getByRole('table', { name: 'Records' }).getByRole('row')).toHaveCount(4);

  // Gateways: none here, and the page says so.
  await page.goto(`/#/statistics/gateways?${MARCH}`);
  await expect(page.getByRole('heading', { name: 'Gateway statistics' })).toBeVisible();
  await expect(page.getByText('No rated calls in this period')).toBeVisible();

  // Bills: this month's statement of the postpaid enterprise owes ¥9.85 (carried in its opening balance); the calls
  // are on the statement of their own month, March 2026 (bills are by call date).
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Bills' }).click();
  await expect(page.getByRole('heading', { name: 'Bills' })).toBeVisible();
  const bills = page.getByRole('table', { name: 'Monthly statements' });
  const billRow = bills.getByRole('row', { name: /Sample Enterprise/ });
  await expect(billRow).toContainText('Open');
  await expect(billRow).toContainText('¥9.85');
  await page.goto('/#/statistics/bills?month=2026-03');
  await expect(billRow).toContainText('¥9.85');
  await billRow.click();
  await expect(page.getByRole('heading', { name: 'Statement 2026-03' })).toBeVisible();
  const summary = page.getByRole('table', { name: 'Summary' });
  await expect(summary.getByRole('row', { name: /Closing balance/ })).toContainText('-¥9.85');
  await expect(summary.getByRole('row', { name: /Amount due/ })).toContainText('¥9.85');
  await expect(page.getByRole('table', { name: 'Call type' })).toContainText('International');
  await page.evaluate(() => {
    (window as unknown as { printed: boolean }).printed = false;
    window.print = () => {
      (window as unknown as { printed: boolean }).printed = true;
    };
  });
  await page.getByRole('button', { name: 'Print' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await page.screenshot({ path: 'test-results/bill-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Dashboard: the alerts of this data (the unreadable line, no backup yet) and the device.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Calls today')).toBeVisible();
  const alerts = page.getByRole('list', { name: 'Needs attention' });
  await expect(alerts).toContainText('1 rejected record is open');
  await expect(alerts).toContainText('No backup has been made yet');
  await expect(page.getByRole('table', { name: 'Ingest status per device' })).toContainText('Beijing HQ');
  await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });

  // The same screens in Chinese.
  await page.getByText('中文', { exact: true }).click();
  await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
  await expect(page.getByRole('list', { name: '需要处理' })).toContainText('有 1 条拒收记录待处理');
  await page.goto(`/#/statistics/enterprises?${MARCH}`);
  await expect(page.getByRole('heading', { name: '企业统计' })).toBeVisible();
  await expect(page.getByRole('table', { name: '按账户统计' })).toContainText('总计');
  await page.screenshot({ path: 'test-results/stats-enterprises-zh.png', fullPage: true });
});
