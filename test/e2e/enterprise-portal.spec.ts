import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { ADMIN_PASSWORD, expect, test } from './server';

/**
 * The enterprise's own login, end to end: a clerk creates it from the enterprise row, the enterprise logs in through
 * the same web UI and sees its own pages only, in English and in Chinese (screenshots under test-results/).
 */
const FORBIDDEN_TITLE = 'Not available for your role';

async function apiAs(request: APIRequestContext, username: string, password: string) {
  const auth = await request.post('/api/auth.login', { data: { username, password } });
  expect(auth.status()).toBe(200);
  const headers = { Authorization: `Bearer ${((await auth.json()) as { token: string }).token}` };
  return async (method: string, data: unknown) => {
    const r = await request.post(`/api/${method}`, { headers, data });
    expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
    return (await r.json()) as { id: number };
  };
}

async function loginThroughUi(page: Page, username: string, password: string, labels = { user: 'User name', password: 'Password', button: 'Log in' }) {
  await page.goto('/');
  await page.getByLabel(labels.user).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.button }).click();
}

async function enterpriseView(browser: Browser, baseURL: string, locale: string, password: string, shot: string) {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const zh = locale.startsWith('zh');
  await loginThroughUi(page, 'acme-portal', password, zh ? { user: '用户名', password: '密码', button: '登录' } : undefined);
  const nav = page.getByRole('navigation');
  await expect(nav).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Acme Trading' })).toBeVisible();
  await expect(page.getByText(zh ? '余额' : 'Balance', { exact: true })).toBeVisible();
  // Its own pages only: no devices, rates, enterprises list or system pages.
  await expect(nav.getByRole('link')).toHaveCount(6);
  await page.screenshot({ path: test.info().outputPath(shot), fullPage: true });
  if (!zh) {
    // Its pages open without a refusal; a staff page typed into the address bar is refused.
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(new URL(r.url()).pathname);
    });
    for (const [path, method] of [
      ['/#/cdr/records', 'cdrs.search'],
      ['/#/statistics/users', 'stats.user'],
      ['/#/statistics/gateways', 'stats.gateway'],
      ['/#/statistics/bills', 'bills.list'],
      ['/#/accounts/recharges', 'recharges.list'],
    ] as const) {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/${method}`));
      await page.goto(path);
      expect((await answered).status(), path).toBe(200);
      await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
      // Let the page's other loads (filters, names) come back too.
      await page.waitForTimeout(800);
      await expect(page.getByText('Not allowed for your role')).toHaveCount(0);
    }
    expect(refused, 'calls the enterprise role may not make').toEqual([]);
    await page.goto('/#/devices/ippbx');
    await expect(page.getByRole('heading', { name: FORBIDDEN_TITLE })).toBeVisible();
  }
  await context.close();
}

test('a clerk creates the enterprise login; the enterprise sees only its own pages, in both languages', async ({ page, browser, baseURL, request }) => {
  const admin = await apiAs(request, 'admin', ADMIN_PASSWORD);
  const group = await admin('rateGroups.create', { name: 'Rates' });
  const acme = await admin('enterprises.create', { name: 'Acme Trading', rateGroupId: group.id, billingMode: 'prepaid' });
  await admin('enterprises.create', { name: 'Other Corp', rateGroupId: group.id, billingMode: 'prepaid' });
  await admin('accounts.recharge', { accountId: acme.id, amount: '1200.50', reason: 'opening' });
  await admin('systemAccounts.create', { username: 'clerk1', password: 'Clerk-pass-123', role: 'clerk', mustChangePassword: false });

  await loginThroughUi(page, 'clerk1', 'Clerk-pass-123');
  await page.goto('/#/accounts/enterprises');
  const row = page.getByRole('row').filter({ hasText: 'Acme Trading' });
  await row.getByRole('button', { name: 'Enterprise login' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('User name').fill('acme-portal');
  await modal.getByRole('button', { name: 'Create login' }).click();
  const first = (await modal.getByTestId('issued-password').textContent())!.trim();
  expect(first).toMatch(/^[A-Za-z0-9]{16}$/);

  // First login: the password handed over must be changed.
  const context = await browser.newContext({ baseURL: baseURL! });
  const portal = await context.newPage();
  await loginThroughUi(portal, 'acme-portal', first);
  await portal.getByLabel('Current password').fill(first);
  await portal.getByLabel('New password', { exact: true }).fill('Acme-portal-12');
  await portal.getByLabel(/Repeat|Confirm/).fill('Acme-portal-12');
  await portal.getByRole('button', { name: /Change password/ }).click();
  await expect(portal.getByRole('navigation')).toBeVisible();
  await context.close();

  await enterpriseView(browser, baseURL!, 'en-US', 'Acme-portal-12', 'enterprise-view-en.png');
  await enterpriseView(browser, baseURL!, 'zh-CN', 'Acme-portal-12', 'enterprise-view-zh-CN.png');
});
