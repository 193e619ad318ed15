import type { Browser, Locator, Page } from '@playwright/test';
import { expect, loginAsAdmin, test } from './server';
import { overflowingElements, readableTexts, untranslatedWords, type Overflow } from './walk/inspect';
import { seedWorkspace, type Seeded } from './walk/seed';

/**
 * Every page and every form's error state, as a Chinese clerk meets them: no Latin-letter word that is not a unit,
 * a format or a brand name (walk/inspect.ts); and at 1366×768, in both languages, no element wider than the box
 * that holds it. The admin walks (it sees every page); the pages are read from the navigation, so a new page is
 * walked without being listed here.
 */
test.describe.configure({ timeout: 480_000 });

const LABELS = {
  'zh-CN': { user: '用户名', password: '密码', button: '登录', nav: '主导航' },
  en: { user: 'User name', password: 'Password', button: 'Log in', nav: 'Main navigation' },
} as const;
type Locale = keyof typeof LABELS;

/** Header actions that leave the page's state alone and open no form: they are walked by other tests. */
const NOT_A_FORM = /导出|下载|刷新|Export|Download|Refresh/;

interface Findings {
  words: Map<string, Set<string>>;
  overflows: Map<string, Overflow[]>;
}

function note(findings: Findings, where: string, words: string[]) {
  for (const word of words) {
    if (!findings.words.has(word)) findings.words.set(word, new Set());
    findings.words.get(word)!.add(where);
  }
}

async function openContext(browser: Browser, baseURL: string, locale: Locale) {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  // The language choice of an earlier run must not win over the browser's.
  await context.addInitScript((lng) => window.localStorage.setItem('billing.language', lng), locale);
  return context;
}

/** Lets a page's loads come back and its layout settle (the event stream keeps the network busy forever). */
async function settle(page: Page) {
  await page.waitForLoadState('domcontentloaded');
  await expect(page.locator('main h2').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.mantine-Loader-root, [data-loading="true"]')).toHaveCount(0, { timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(700);
}

async function pagePaths(page: Page, locale: Locale, seeded: Seeded): Promise<string[]> {
  const links = page.getByRole('navigation', { name: LABELS[locale].nav }).getByRole('link');
  const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  const paths = hrefs.filter((h) => h.startsWith('#/')).map((h) => h.slice(1));
  expect(paths.length, 'pages in the navigation').toBeGreaterThan(20);
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  return [...paths, `/accounts/ledger/${seeded.enterpriseId}`, `/statistics/bills/${seeded.enterpriseId}/${month}`];
}

async function visibleDialog(page: Page): Promise<Locator | null> {
  const dialog = page.getByRole('dialog').last();
  return (await dialog.isVisible().catch(() => false)) ? dialog : null;
}

async function closeOverlays(page: Page) {
  for (let i = 0; i < 3 && ((await visibleDialog(page)) || (await page.getByRole('menu').isVisible().catch(() => false))); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(250);
  }
}

/** Opens a form, reads it, submits it empty to see its errors, reads it again, closes it. */
async function walkForm(page: Page, opener: Locator, where: string, findings: Findings) {
  const name = ((await opener.getAttribute('aria-label')) ?? (await opener.innerText())).trim();
  const url = page.url();
  await opener.click();
  await page.waitForTimeout(400);
  const menu = page.getByRole('menu');
  if (await menu.isVisible().catch(() => false)) {
    note(findings, `${where} › ${name} (menu)`, untranslatedWords(await readableTexts(page)));
    await closeOverlays(page);
    return;
  }
  const dialog = await visibleDialog(page);
  if (!dialog) {
    if (page.url() !== url) await page.goto(url);
    return;
  }
  note(findings, `${where} › ${name}`, untranslatedWords(await readableTexts(page, '[role="dialog"]')));
  const submit = dialog.locator('button[type="submit"]');
  if ((await submit.count()) > 0 && (await submit.first().isEnabled())) {
    await submit.first().click();
    await page.waitForTimeout(700);
    note(findings, `${where} › ${name} › errors`, untranslatedWords(await readableTexts(page)));
  }
  await closeOverlays(page);
  if (page.url() !== url) await page.goto(url);
}

async function walkPage(page: Page, path: string, locale: Locale, findings: Findings, walk: { words: boolean; forms: boolean }) {
  await page.goto(`/#${path}`);
  await settle(page);
  if (walk.words) {
    note(findings, path, untranslatedWords(await readableTexts(page)));
    // Each page as the Chinese clerk sees it, for the eye (test-results/walk/).
    await page.screenshot({ path: test.info().outputPath(`walk/zh-CN${path.replace(/\//g, '_')}.png`), fullPage: true });
  }
  else {
    const overflows = await overflowingElements(page);
    if (overflows.length) findings.overflows.set(`${locale} ${path}`, overflows);
  }
  if (!walk.forms) return;
  const actions = page.locator('[data-page-actions] button:enabled');
  for (let i = 0; i < (await actions.count()); i++) {
    const button = actions.nth(i);
    const label = ((await button.getAttribute('aria-label')) ?? (await button.innerText())).trim();
    if (NOT_A_FORM.test(label)) continue;
    await walkForm(page, button, path, findings);
  }
  // A record's own forms: the first row's edit and money actions.
  const rowActions = page.locator('main table tbody tr').first().locator('button:enabled');
  for (let i = 0; i < Math.min(await rowActions.count(), 4); i++) {
    const button = rowActions.nth(i);
    const label = ((await button.getAttribute('aria-label')) ?? (await button.innerText())).trim();
    if (/^(编辑|充值|为 )/.test(label)) await walkForm(page, button, path, findings);
  }
}

function report(findings: Findings): string {
  const words = [...findings.words].map(([word, where]) => `  ${word}   [${[...where].slice(0, 3).join('; ')}]`);
  const overflows = [...findings.overflows].flatMap(([where, list]) =>
    list.slice(0, 5).map((o) => `  ${where}: ${o.element} reaches ${o.right}px, its box ${o.container} ends at ${o.containerRight}px`),
  );
  return [`untranslated (${words.length}):`, ...words, `overflowing (${overflows.length}):`, ...overflows].join('\n');
}

let seeded: Seeded | undefined;

test('a Chinese clerk meets no untranslated word on any page or in any form, its errors included', async ({ browser, baseURL, request }) => {
  seeded ??= await seedWorkspace(request, Date.now());
  const findings: Findings = { words: new Map(), overflows: new Map() };
  const context = await openContext(browser, baseURL!, 'zh-CN');
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByLabel(LABELS['zh-CN'].user)).toBeVisible();
  note(findings, '/login', untranslatedWords(await readableTexts(page)));
  // The login form's own error state.
  await page.getByRole('button', { name: LABELS['zh-CN'].button }).click();
  await page.waitForTimeout(500);
  note(findings, '/login › errors', untranslatedWords(await readableTexts(page)));
  await loginAsAdmin(page, 'zh-CN');
  for (const path of await pagePaths(page, 'zh-CN', seeded)) await walkPage(page, path, 'zh-CN', findings, { words: true, forms: true });
  await context.close();
  const summary = report(findings);
  await test.info().attach('untranslated.txt', { body: summary, contentType: 'text/plain' });
  expect(findings.words.size, summary).toBe(0);
});

test('at 1366×768, in Chinese and in English, no element is wider than the box that holds it', async ({ browser, baseURL, request }) => {
  seeded ??= await seedWorkspace(request, Date.now());
  const findings: Findings = { words: new Map(), overflows: new Map() };
  for (const locale of ['zh-CN', 'en'] as const) {
    const context = await openContext(browser, baseURL!, locale);
    const page = await context.newPage();
    await loginAsAdmin(page, locale);
    for (const path of await pagePaths(page, locale, seeded)) await walkPage(page, path, locale, findings, { words: false, forms: false });
    await context.close();
  }
  const summary = report(findings);
  await test.info().attach('overflowing.txt', { body: summary, contentType: 'text/plain' });
  expect(findings.overflows.size, summary).toBe(0);
});
