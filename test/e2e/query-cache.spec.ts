import type { APIRequestContext, Page, Request } from '@playwright/test';
import { ADMIN_PASSWORD, expect, test } from './server';

/**
 * What the clerk's app asks the engine for on a common path: open Enterprises, recharge one, open its ledger, come
 * back. The counts are the page's `api/<method>` requests (the event stream aside), per step and per method, printed
 * for the performance notes and bounded below, so a change that fetches a list twice after a recharge fails here.
 */

async function setup(request: APIRequestContext): Promise<void> {
  const auth = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { Authorization: `Bearer ${((await auth.json()) as { token: string }).token}` };
  const post = async (method: string, data: unknown) => {
    const r = await request.post(`/api/${method}`, { headers, data });
    expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
    return (await r.json()) as { id: number };
  };
  const group = await post('rateGroups.create', { name: 'Standard' });
  for (const name of ['Acme Trading', 'Beacon Logistics', 'Cedar Hotels']) {
    await post('enterprises.create', { name, rateGroupId: group.id, billingMode: 'prepaid' });
  }
}

/** Counts the page's API requests by method from now on. */
function countRequests(page: Page) {
  let counts = new Map<string, number>();
  const onRequest = (request: Request) => {
    const m = /\/api\/([^/?]+)$/.exec(new URL(request.url()).pathname);
    if (!m || m[1] === 'events') return;
    const method = decodeURIComponent(m[1]!);
    counts.set(method, (counts.get(method) ?? 0) + 1);
  };
  page.on('request', onRequest);
  return {
    /** The counts since the last take, and starts counting again. */
    take(): Record<string, number> {
      const out = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
      counts = new Map();
      return out;
    },
  };
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Lets late answers and server events (which refetch) arrive before a step is counted. */
const settle = (page: Page) => page.waitForTimeout(1500);

test('requests per step: open Enterprises, recharge, open the ledger, come back', async ({ page, request }, testInfo) => {
  await setup(request);
  await page.goto('/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav).toBeVisible();
  await settle(page);
  const requests = countRequests(page);
  const steps: Record<string, Record<string, number>> = {};

  const accountsNav = nav.getByRole('group', { name: 'Accounts' });
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  const enterprises = page.getByRole('table', { name: 'Enterprises' });
  const row = enterprises.getByRole('row', { name: /Acme Trading/ });
  await expect(row).toBeVisible();
  await settle(page);
  steps.openEnterprises = requests.take();

  await row.getByRole('button', { name: 'Recharge Acme Trading' }).click();
  const amount = page.getByRole('dialog', { name: 'Recharge Acme Trading' });
  await amount.getByLabel('Amount').fill('250');
  await amount.getByRole('button', { name: 'Continue' }).click();
  const confirm = page.getByRole('dialog', { name: 'Recharge Acme Trading' });
  await confirm.getByLabel('Reason').fill('Prepayment');
  await confirm.getByRole('button', { name: 'Recharge', exact: true }).click();
  await expect(row).toContainText('¥250.00');
  await settle(page);
  steps.recharge = requests.take();

  await row.getByRole('link', { name: 'Ledger of Acme Trading' }).click();
  const ledger = page.getByRole('table', { name: 'Ledger entries' });
  await expect(ledger.getByRole('row', { name: /Recharge/ })).toContainText('Prepayment');
  await settle(page);
  steps.openLedger = requests.take();

  // Back to the list: the recharged balance is there at once, from the cache, while the list is asked again (held
  // back here for two seconds, so the answer cannot be what shows it).
  await page.route('**/api/enterprises.list', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/enterprises.list'));
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await expect(row).toContainText('¥250.00', { timeout: 1000 });
  await answered;
  await page.unroute('**/api/enterprises.list');
  await settle(page);
  steps.backToEnterprises = requests.take();

  // Another list and back again.
  await accountsNav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: 'User accounts' })).toBeVisible();
  await settle(page);
  steps.openUsers = requests.take();
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await expect(row).toContainText('¥250.00');
  await settle(page);
  steps.enterprisesAgain = requests.take();

  const figures = Object.fromEntries(Object.entries(steps).map(([step, counts]) => [step, { total: total(counts), ...counts }]));
  console.log(JSON.stringify(figures, null, 2));
  await testInfo.attach('requests.json', { body: JSON.stringify(figures, null, 2), contentType: 'application/json' });

  // A recharge refreshes the list: once when its announcement comes before its answer (held until the answer),
  // twice at most when it comes after (then it could as well be a colleague's change, made after the first refresh).
  expect(steps.recharge?.['accounts.recharge']).toBe(1);
  expect(steps.recharge?.['enterprises.list']).toBeGreaterThanOrEqual(1);
  expect(steps.recharge?.['enterprises.list']).toBeLessThanOrEqual(2);
  // Coming back asks for the balances again, not for the rate groups (announced reference data, cached).
  expect(steps.backToEnterprises).toEqual({ 'enterprises.list': 1 });
  expect(steps.enterprisesAgain).toEqual({ 'enterprises.list': 1 });
  // Views on one page asking the same share one answer.
  expect(steps.openUsers?.['devices.list']).toBe(1);
});
