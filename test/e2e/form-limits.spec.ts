import { expect, loginAsAdmin, test } from './server';

test('a 10,000-character device name is counted, refused on its field and not saved', async ({ page }) => {
  await loginAsAdmin(page);
  await page.getByRole('navigation').getByRole('link', { name: 'IPPBX devices' }).click();
  await expect(page.getByText('No IPPBX devices yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add device' }).first().click();
  const dialog = page.getByRole('dialog');
  const name = dialog.getByLabel('Name', { exact: true });
  await name.fill('x'.repeat(10_000));
  // Kept whole as typed (no maxLength attribute cutting it), with its length against the contract's 100.
  await expect(name).toHaveValue('x'.repeat(10_000));
  await expect(dialog.getByText('10000 / 100')).toBeVisible();
  let sent = 0;
  page.on('request', (r) => {
    if (r.url().includes('devices.create')) sent++;
  });
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByText('must be at most 100 characters')).toBeVisible();
  expect(sent).toBe(0);
  // The actions stay reachable: the dialog is no wider than the window.
  const box = await dialog.getByRole('button', { name: 'Cancel' }).boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);

  await name.fill('Beijing HQ');
  await expect(dialog.getByText('10 / 100')).toBeVisible();
  await expect(dialog.getByText('must be at most 100 characters')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No IPPBX devices yet')).toBeVisible();
});

test("an enterprise's phone abcdef and e-mail not-an-email are refused before sending", async ({ page }) => {
  await loginAsAdmin(page);
  const accountsNav = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('group', { name: 'Accounts' });
  await accountsNav.getByRole('link', { name: 'Enterprises' }).click();
  await page.getByRole('button', { name: 'New enterprise' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Contact Co');
  await dialog.getByLabel('Phone').fill('abcdef');
  await dialog.getByLabel('Email').fill('not-an-email');
  await expect(dialog.getByText('6 / 50')).toBeVisible();
  await dialog.getByRole('button', { name: 'New enterprise' }).click();
  await expect(dialog.getByText(/must be a telephone number/)).toBeVisible();
  await expect(dialog.getByText(/must be an e-mail address/)).toBeVisible();

  // Fixed, each error goes as soon as its field is edited.
  await dialog.getByLabel('Phone').fill('010-6552 8888 转 8001');
  await expect(dialog.getByText(/must be a telephone number/)).toHaveCount(0);
  await dialog.getByLabel('Email').fill('wu@example.com');
  await expect(dialog.getByText(/must be an e-mail address/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No enterprises yet')).toBeVisible();
});
