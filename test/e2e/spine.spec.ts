import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, expect, test } from './server';

async function login(page: Page, username: string, password: string) {
  await page.goto('/');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function logout(page: Page, who: RegExp) {
  await page.getByRole('button', { name: who }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
}

test('admin creates a clerk; the clerk works without system accounts, switches language, changes password', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'System accounts' })).toBeVisible();

  // Admin adds a clerk.
  await nav.getByRole('link', { name: 'System accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('User name').fill('clerk.li');
  await dialog.getByLabel('Display name').fill('Li Na');
  await dialog.getByLabel('Role').click();
  await page.getByRole('option', { name: /clerk/i }).click();
  await dialog.getByLabel('Initial password').fill('Clerk-first-pass-1');
  await dialog.getByLabel('Confirm password').fill('Clerk-first-pass-1');
  await dialog.getByLabel('Must choose a new password at first login').uncheck();
  await dialog.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('cell', { name: 'clerk.li' })).toBeVisible();

  await logout(page, /Administrator/);

  // The clerk logs in: billing areas are offered, system accounts are not.
  await login(page, 'clerk.li', 'Clerk-first-pass-1');
  await expect(nav.getByRole('link', { name: 'Login log' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'System accounts' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  // A bookmarked admin page is refused as well.
  await page.goto('/#/system/accounts');
  await expect(page.getByText(/not available for your role/i)).toBeVisible();

  // Language switch to Chinese and back.
  await page.getByText('中文', { exact: true }).click();
  await expect(nav.getByRole('link', { name: '登录日志' })).toBeVisible();
  await page.getByText('English', { exact: true }).click();
  await expect(nav.getByRole('link', { name: 'Login log' })).toBeVisible();

  // Change password from the user menu; the new one works, the old one does not.
  await page.getByRole('button', { name: /Li Na/ }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const change = page.getByRole('dialog');
  await change.getByLabel('Current password').fill('Clerk-first-pass-1');
  await change.getByLabel('New password').fill('Clerk-second-pass-2');
  await change.getByLabel('Confirm password').fill('Clerk-second-pass-2');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/Your password was changed/)).toBeVisible();
  await logout(page, /Li Na/);

  await login(page, 'clerk.li', 'Clerk-first-pass-1');
  await expect(page.getByText(/Wrong user name or password/)).toBeVisible();
  await login(page, 'clerk.li', 'Clerk-second-pass-2');
  await expect(nav.getByRole('link', { name: 'Login log' })).toBeVisible();
});

test('the login log shows each attempt, failed ones included', async ({ page }) => {
  await login(page, 'admin', 'wrong-password');
  await expect(page.getByText(/Wrong user name or password/)).toBeVisible();
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Login log' }).click();
  await expect(page.getByRole('cell', { name: 'bad_password' }).or(page.getByText(/wrong password/i)).first()).toBeVisible();
});
