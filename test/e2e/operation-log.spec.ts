import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { ADMIN_PASSWORD, expect, loginAsAdmin, test } from './server';

/** A clerk 张三 (created by the admin) recharges and changes an enterprise through the API. */
async function clerkWork(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string): Promise<void> {
  const contexts: APIRequestContext[] = [];
  const as = async (username: string, password: string) => {
    // One context per person: a login answers with a session cookie, which would stand for the other person.
    const request = await playwright.request.newContext({ baseURL });
    contexts.push(request);
    const auth = await request.post('/api/auth.login', { data: { username, password } });
    const headers = { Authorization: `Bearer ${((await auth.json()) as { token: string }).token}` };
    return async (method: string, data: unknown) => {
      const r = await request.post(`/api/${method}`, { headers, data });
      expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
      return (await r.json()) as { id: number };
    };
  };
  const admin = await as('admin', ADMIN_PASSWORD);
  await admin('systemAccounts.create', { username: 'zhangsan', displayName: '张三', password: 'Zhangsan-pass-1', role: 'clerk', mustChangePassword: false });
  const clerk = await as('zhangsan', 'Zhangsan-pass-1');
  const group = await clerk('rateGroups.create', { name: '标准' });
  const enterprise = await clerk('enterprises.create', { name: '华北物流', rateGroupId: group.id, billingMode: 'prepaid' });
  await clerk('accounts.recharge', { accountId: enterprise.id, amount: '1000', reason: '三月' });
  await clerk('enterprises.update', { id: enterprise.id, creditLimit: '50' });
  for (const c of contexts) await c.dispose();
}

test('the operation log reads as Chinese sentences, opens to the changed fields and filters by action', async ({ page, playwright, baseURL }) => {
  await clerkWork(playwright, baseURL!);
  await loginAsAdmin(page, 'zh-CN');
  // Through the menu, as a clerk goes there.
  await page.getByRole('navigation').getByRole('link', { name: '操作日志' }).click();
  const main = page.getByRole('main');

  await expect(main.getByText('张三 为 企业 华北物流 充值 ¥1,000.00')).toBeVisible();
  await expect(main.getByText('张三 新建了 企业 华北物流')).toBeVisible();
  await expect(main.getByText('accounts.recharge')).toHaveCount(0);

  // The update opens to its changed field, before → after, in Chinese and as money.
  const update = main.getByRole('row').filter({ hasText: '张三 修改了 企业 华北物流' });
  await update.getByRole('button', { name: '显示详情' }).click();
  const changes = main.getByRole('table', { name: '更改内容' });
  await expect(changes.getByRole('row').filter({ hasText: '信用额度' })).toContainText(/¥0\.00.*¥50\.00/);

  // Filter by action: the recharges only, kept in the URL.
  await main.getByLabel('操作', { exact: true }).click();
  await page.getByRole('option', { name: '充值', exact: true }).click();
  await expect(page).toHaveURL(/action=accounts\.recharge/);
  await expect(main.getByText('张三 修改了 企业 华北物流')).toHaveCount(0);
  await expect(main.getByText('张三 为 企业 华北物流 充值 ¥1,000.00')).toBeVisible();
});

test('in English the same rows read as English sentences and filter by person', async ({ page }) => {
  // The data of the test above (same server for the file).
  await page.addInitScript(() => window.localStorage.setItem('billing.language', 'en'));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Operation log' }).click();
  const main = page.getByRole('main');
  await expect(main.getByText('张三 recharged enterprise 华北物流 with ¥1,000.00')).toBeVisible();

  await main.getByLabel('Person', { exact: true }).click();
  await page.getByRole('option', { name: 'admin' }).click();
  await expect(page).toHaveURL(/person=\d+/);
  await expect(main.getByText('admin created system account 张三')).toBeVisible();
  await expect(main.getByText('张三 recharged enterprise 华北物流 with ¥1,000.00')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operation-log-en.png' });
});
