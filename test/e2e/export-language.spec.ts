import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { expect, loginAsAdmin, test } from './server';

/** The rows of the first sheet of a downloaded .xlsx, as text. */
async function sheetRows(path: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const rows: string[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return (await download.path())!;
}

const TEXTS = {
  'zh-CN': { nav: '主导航', accounts: '账户', users: '用户', import: '导入', dialog: '导入用户账户', template: '模板（.xlsx）', export: '导出', xlsx: 'Excel（.xlsx）', headings: ['企业', '用户名', '用户编号'], title: '用户账户导入模板', exportTitle: '用户账户列表' },
  en: { nav: 'Main navigation', accounts: 'Accounts', users: 'Users', import: 'Import', dialog: 'Import user accounts', template: 'Template (.xlsx)', export: 'Export', xlsx: 'Excel (.xlsx)', headings: ['Enterprise', 'Name', 'Code'], title: 'User accounts: import template', exportTitle: 'User accounts' },
} as const;

for (const language of ['zh-CN', 'en'] as const) {
  test(`the users page's template and export follow the screen language (${language})`, async ({ page }) => {
    const x = TEXTS[language];
    await loginAsAdmin(page, language);
    const nav = page.getByRole('navigation', { name: x.nav });
    await nav.getByRole('group', { name: x.accounts }).getByRole('link', { name: x.users }).click();

    await page.getByRole('button', { name: x.import }).first().click();
    const dialog = page.getByRole('dialog', { name: x.dialog });
    const template = await sheetRows(await downloaded(page, () => dialog.getByRole('button', { name: x.template }).click()));
    expect(template[0]).toEqual([x.title]);
    expect(template.at(-1)!.slice(0, 3)).toEqual(x.headings);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: x.export }).first().click();
    const exported = await sheetRows(await downloaded(page, () => page.getByRole('menuitem', { name: x.xlsx }).click()));
    expect(exported[0]).toEqual([x.exportTitle]);
    expect(exported.some((r) => r.slice(1, 4).join() === x.headings.join())).toBe(true);
  });
}
