/**
 * First page from a cold browser (issue 12: one 2 MB JavaScript file, 2.8–3.1 s to the first page; target < 1.5 s).
 *
 * The renderer is built afresh into bench/tmp (never dist/, which other runs use) and served by the real engine's
 * HTTP server on 127.0.0.1, as `npm run serve` serves it. Each run opens a new Chromium context (empty cache, no
 * cookies) and times, from the navigation to the first thing a clerk can use:
 * - the login page: until its "Log in" button is visible;
 * - the dashboard after login: a context holding a session cookie (logged in over the API) opens #/dashboard, until
 *   the page's title is drawn (shell, navbar and the lazily loaded page).
 * The figure is the median of RUNS runs (first run included: every run is cold). Also recorded: the JavaScript each
 * first page downloads, and the largest file of the build.
 * `FIRST_PAGE_RENDERER_DIR=/path/to/a/built/renderer` measures another build instead of a fresh one, and
 * `FIRST_PAGE_COMPARE_DIR=/path/to/another/build` measures a second one alongside, run for run (how the "before"
 * figures of docs/performance.md were taken: the renderer of commit d381dbb, one 2 MB file, built with
 * `vite build --outDir <dir>` in a worktree of that commit).
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../src-main/engine';
import { defineBench, percentile } from './harness';

const RUNS = Number(process.env['FIRST_PAGE_RUNS'] ?? 7);
const TARGET_SECONDS = 1.5;
const ADMIN_PASSWORD = 'Bench-password-1';

function buildRenderer(outDir: string, log: (m: string) => void): void {
  log(`building the renderer into ${outDir}`);
  const vite = path.resolve('node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.config.mts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status})`);
}

/** Bytes of the JavaScript files a page fetched, by name (from the build folder: the size as built, not on the wire). */
function trackScripts(page: Page, rendererDir: string): () => { files: number; bytes: number } {
  const seen = new Set<string>();
  const from = performance.now();
  // FIRST_PAGE_TRACE=1 prints when each request starts and ends (where a slow first page spends its time).
  const trace = (what: string, url: string) => {
    if (process.env['FIRST_PAGE_TRACE']) console.error(`    ${Math.round(performance.now() - from)} ms ${what} ${new URL(url).pathname}`);
  };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('.js')) seen.add(url.pathname.split('/').pop()!);
    trace('start', request.url());
  });
  page.on('requestfinished', (request) => trace('end', request.url()));
  // A page that fails is no first page: say why instead of waiting for a button that never comes.
  page.on('pageerror', (error) => console.error(`    page error: ${error.message}`));
  return () => ({
    files: seen.size,
    bytes: [...seen].reduce((sum, name) => sum + (fs.statSync(path.join(rendererDir, 'assets', name), { throwIfNoEntry: false })?.size ?? 0), 0),
  });
}

async function timeLoginPage(browser: Browser, url: string, rendererDir: string) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const scripts = trackScripts(page, rendererDir);
  const from = performance.now();
  await page.goto(`${url}/#/login`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Log in' }).waitFor({ state: 'visible' });
  const seconds = (performance.now() - from) / 1000;
  const js = scripts();
  await context.close();
  return { seconds, ...js };
}

async function timeDashboard(browser: Browser, url: string, rendererDir: string) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  // The session cookie, as a login leaves it; the X-Billing-Client header is what the UI sends with cookie calls.
  const login = await context.request.post(`${url}/api/auth.login`, { data: { username: 'admin', password: ADMIN_PASSWORD }, headers: { 'X-Billing-Client': '1' } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
  const page = await context.newPage();
  const scripts = trackScripts(page, rendererDir);
  const from = performance.now();
  await page.goto(`${url}/#/dashboard`, { waitUntil: 'commit' });
  await page.getByRole('main').getByRole('heading', { level: 2 }).first().waitFor({ state: 'visible' });
  const seconds = (performance.now() - from) / 1000;
  const js = scripts();
  await context.close();
  return { seconds, ...js };
}

export default defineBench('first-page', async (ctx) => {
  const given = process.env['FIRST_PAGE_RENDERER_DIR'];
  const rendererDir = given ? path.resolve(given) : path.resolve('bench/tmp/first-page-renderer');
  if (!given) buildRenderer(rendererDir, ctx.log);

  // FIRST_PAGE_COMPARE_DIR: a second build (e.g. the one before code splitting) measured in the same process, its
  // runs alternating with this build's, so a machine shared with other work loads both alike.
  const compareDir = process.env['FIRST_PAGE_COMPARE_DIR'] ? path.resolve(process.env['FIRST_PAGE_COMPARE_DIR']) : null;
  const serve = (dir: string) =>
    startEngine({
      dataDir: ctx.tmpDir(),
      rendererDir: dir,
      http: { host: '127.0.0.1', port: 0 },
      cdrListener: false,
      adminPassword: ADMIN_PASSWORD,
      consoleLogLevel: 'silent',
      resourcesDir: path.resolve('resources'),
    });
  const builds = [{ label: '', dir: rendererDir, engine: await serve(rendererDir) }];
  if (compareDir) builds.push({ label: ` (compared build ${path.basename(compareDir)})`, dir: compareDir, engine: await serve(compareDir) });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    // The first start works out the default number attribution in the background: let it finish, so it does not
    // compete with the pages for the CPU.
    for (const b of builds) await b.engine.services.rating.ready();
    type Run = Awaited<ReturnType<typeof timeLoginPage>>;
    const runs = builds.map(() => ({ login: [] as Run[], dashboard: [] as Run[] }));
    const loads: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const [n, b] of builds.entries()) {
        const url = b.engine.services.httpServer.url.replace(/\/$/, '');
        loads.push(os.loadavg()[0]!);
        runs[n]!.login.push(await timeLoginPage(browser, url, b.dir));
        runs[n]!.dashboard.push(await timeDashboard(browser, url, b.dir));
      }
    }
    const load = `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} CPUs`;
    const notes = (list: Run[], dir: string) =>
      `median of ${RUNS} cold contexts (max ${Math.max(...list.map((r) => r.seconds)).toFixed(2)} s); ` +
      `${list[0]!.files} JS files, ${(list[0]!.bytes / 1024).toFixed(0)} KB as built; ` +
      `Chromium headless, engine on 127.0.0.1, ${dir === rendererDir && !given ? 'fresh build' : `build ${path.basename(dir)}`}; ${load}`;
    for (const [n, b] of builds.entries()) {
      const { login, dashboard } = runs[n]!;
      const loginMedian = percentile(login.map((r) => r.seconds), 50);
      const dashboardMedian = percentile(dashboard.map((r) => r.seconds), 50);
      ctx.record({ name: `login page, cold browser${b.label}`, value: Math.round(loginMedian * 100) / 100, unit: 's', target: `< ${TARGET_SECONDS}`, ok: loginMedian < TARGET_SECONDS, notes: notes(login, b.dir) });
      ctx.record({ name: `dashboard after login, cold browser${b.label}`, value: Math.round(dashboardMedian * 100) / 100, unit: 's', target: `< ${TARGET_SECONDS}`, ok: dashboardMedian < TARGET_SECONDS, notes: notes(dashboard, b.dir) });
      const files = fs.readdirSync(path.join(b.dir, 'assets')).filter((f) => f.endsWith('.js'));
      const biggest = Math.max(...files.map((f) => fs.statSync(path.join(b.dir, 'assets', f)).size));
      ctx.record({ name: `largest JavaScript file of the build${b.label}`, value: Math.round(biggest / 1024), unit: 'KB', notes: `${files.length} JS files in all` });
    }
  } finally {
    await browser.close();
    for (const b of builds) await b.engine.stop();
  }
});
