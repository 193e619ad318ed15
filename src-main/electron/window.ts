import { BrowserWindow, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The main window: sandboxed, isolated, no Node; it can only show the bundled UI. */
export function createMainWindow(opts: { rendererDir: string; preload: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Billing Workstation',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const indexUrl = pathToFileURL(path.join(opts.rendererDir, 'index.html')).toString();
  // No navigation away from the app, no new windows; external links open in the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(indexUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(indexUrl);
  return win;
}

/** A URL inside the renderer's folder (with the separator: ".../renderer-x/" is another folder). */
export function isAppUrl(rendererDir: string, url: string): boolean {
  const base = pathToFileURL(rendererDir).toString();
  return url.startsWith(base.endsWith('/') ? base : `${base}/`);
}
