/**
 * Issue 12, point 1: the two inputs that replaced the whole app with the router's crash page (a recharge of
 * 1,000,000,000,000 typed, no click; a rate price of 99,999,999,999,999) now leave the shell in place and say, in the
 * clerk's language, the largest amount the field takes (the contract's bound, src-shared/domain/money.ts).
 * Labels and messages are read from the locale files, so the test follows the texts, not a copy of them.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import fs from 'node:fs';
import { ADMIN_PASSWORD, expect, loginAsAdmin, test } from './server';

type Messages = { [key: string]: string | Messages };
const catalogue = (lang: string, ns: string): Messages =>
  JSON.parse(fs.readFileSync(`src-renderer/i18n/locales/${lang}/${ns}.json`, 'utf8')) as Messages;

/** `tr('zh-CN', 'accounts:money.amount', { name })`, as i18next would render it. */
function tr(lang: string, key: string, params: Record<string, string> = {}): string {
  const [ns, path] = key.split(':') as [string, string];
  let node: string | Messages = catalogue(lang, ns);
  for (const part of path.split('.')) node = (node as Messages)[part]!;
  if (typeof node !== 'string') throw new Error(`${key} is not a text in ${lang}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? '');
}

async function api(request: APIRequestContext) {
  const auth = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { Authorization: `Bearer ${((await auth.json()) as { token: string }).token}` };
  return async (method: string, data: unknown) => {
    const r = await request.post(`/api/${method}`, { headers, data });
    expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
    return (await r.json()) as { id: number };
  };
}

/** The shell is still there and the router's crash page is not. */
async function expectShell(page: Page, lang: string) {
  await expect(page.getByRole('navigation', { name: tr(lang, 'nav:label') })).toBeVisible();
  // The app's header (a dialog has a header of its own).
  await expect(page.getByRole('banner').filter({ hasText: tr(lang, 'common:productName') })).toBeVisible();
  await expect(page.getByText('Unexpected Application Error')).toHaveCount(0);
  await expect(page.getByTestId('page-error')).toHaveCount(0);
}

for (const lang of ['zh-CN', 'en'] as const) {
  test(`${lang}: a recharge of 1,000,000,000,000 and a rate price of 99,999,999,999,999 are refused on the field, the app stays`, async ({ page, request }) => {
    const post = await api(request);
    const group = await post('rateGroups.create', { name: `Group ${lang}` });
    await post('enterprises.create', { name: `Acme ${lang}`, rateGroupId: group.id, billingMode: 'prepaid' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await loginAsAdmin(page, lang);

    // The recharge: typed, not submitted.
    await page.goto('/#/accounts/enterprises');
    await page.getByRole('button', { name: tr(lang, 'accounts:actions.rechargeNamed', { name: `Acme ${lang}` }) }).click();
    const dialog = page.getByRole('dialog', { name: tr(lang, 'accounts:money.title.recharge', { name: `Acme ${lang}` }) });
    const amount = dialog.getByLabel(tr(lang, 'accounts:money.amount'));
    await amount.pressSequentially('1000000000000');
    const rechargeMax = '¥100,000,000.00';
    await expect(dialog.getByText(tr(lang, 'money:tooLarge.recharge', { max: rechargeMax }))).toBeVisible();
    await expectShell(page, lang);
    // Submitting does not reach the confirmation; the largest recharge does, with its amount in words.
    await dialog.getByRole('button', { name: tr(lang, 'accounts:money.continue') }).click();
    await expect(dialog.getByText(tr(lang, 'money:tooLarge.recharge', { max: rechargeMax }))).toBeVisible();
    await amount.fill('100000000');
    await expect(dialog.getByText(tr(lang, 'money:tooLarge.recharge', { max: rechargeMax }))).toHaveCount(0);
    await dialog.getByRole('button', { name: tr(lang, 'accounts:money.continue') }).click();
    await expect(page.getByRole('dialog').getByText(lang === 'en' ? 'One hundred million and 00/100' : '壹亿元整')).toBeVisible();
    await page.keyboard.press('Escape');

    // The rate price: typed into the first interval of a new rate.
    await page.goto('/#/billing/rates');
    await page.getByRole('button', { name: tr(lang, 'rating:actions.addRate') }).first().click();
    const rateDialog = page.getByRole('dialog');
    const price = rateDialog.getByLabel(tr(lang, 'rating:interval.priceNamed', { n: '1' }));
    await price.fill('');
    await price.pressSequentially('99999999999999');
    await expect(rateDialog.getByText(tr(lang, 'money:tooLarge.ratePrice', { max: '¥10,000.00' }))).toBeVisible();
    await expectShell(page, lang);
    await price.fill('10000');
    await expect(rateDialog.getByText(tr(lang, 'money:tooLarge.ratePrice', { max: '¥10,000.00' }))).toHaveCount(0);
    await expectShell(page, lang);
    expect(errors).toEqual([]);
  });
}
