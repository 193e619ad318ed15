import { expect as check, test as base, type APIRequestContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ADMIN_PASSWORD = 'Admin-e2e-pass-1';

export interface ServerHandle {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Output the server printed so far (for diagnosis). */
  output(): string;
}

/** Starts `dist/main/server.cjs` (what `npm start` runs headless) on a temporary data folder and a free port. */
export async function startServer(env: Record<string, string> = {}): Promise<ServerHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billing-e2e-'));
  const child = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', dataDir, '--http-port', '0'], {
    env: { ...process.env, BILLING_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  return { url, dataDir, process: child, output: () => out };
}

export async function stopServer(server: ServerHandle): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
  server.process.kill('SIGTERM');
  const code = await exited;
  fs.rmSync(server.dataDir, { recursive: true, force: true });
  return code;
}

/**
 * A fresh server per test file, as `server`, and `baseURL` pointing at it. Playwright keeps a worker (and its
 * worker-scoped fixtures) across files, so the server is kept per file here: the first test of the next file stops
 * the previous file's server and starts its own; the worker's teardown stops the last one.
 */
let current: { file: string; server: ServerHandle } | null = null;

async function stopCurrent(): Promise<void> {
  if (!current) return;
  const { server } = current;
  current = null;
  await stopServer(server);
}

export const test = base.extend<{ server: ServerHandle }, { serverPerFile: void }>({
  serverPerFile: [
    async ({}, use) => {
      await use();
      await stopCurrent();
    },
    { scope: 'worker', auto: true },
  ],
  server: async ({}, use, testInfo) => {
    if (current?.file !== testInfo.file) {
      await stopCurrent();
      current = { file: testInfo.file, server: await startServer() };
    }
    await use(current.server);
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

export { expect } from '@playwright/test';

export type UiLanguage = 'zh-CN' | 'en';

const LOGIN_LABELS = {
  'zh-CN': { user: '用户名', password: '密码', button: '登录', nav: '主导航' },
  en: { user: 'User name', password: 'Password', button: 'Log in', nav: 'Main navigation' },
} as const;

/**
 * Logs the admin in through the login page in a language (chosen before the page loads, as the header switch
 * remembers it) and waits for the main navigation.
 */
export async function loginAsAdmin(page: Page, language: UiLanguage = 'en'): Promise<void> {
  const labels = LOGIN_LABELS[language];
  await page.addInitScript((lng) => window.localStorage.setItem('billing.language', lng), language);
  await page.goto('/');
  await page.getByLabel(labels.user).fill('admin');
  await page.getByLabel(labels.password, { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: labels.button }).click();
  await check(page.getByRole('navigation', { name: labels.nav })).toBeVisible();
}

export type AdminApi = <T = { id: number }>(method: string, data: unknown) => Promise<T>;

/** Calls the API as the admin (a test's set-up), expecting each call to succeed. */
export async function adminApi(request: APIRequestContext): Promise<AdminApi> {
  const session = await request.post('/api/auth.login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const { token } = (await session.json()) as { token: string };
  return async <T>(method: string, data: unknown): Promise<T> => {
    const response = await request.post(`/api/${method}`, { headers: { Authorization: `Bearer ${token}` }, data });
    check(response.status(), `${method}: ${await response.text()}`).toBe(200);
    return (await response.json()) as T;
  };
}
