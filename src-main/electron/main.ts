/**
 * Desktop entry: the same engine as the headless server, plus a window that talks to it over IPC.
 * The embedded HTTP server keeps serving remote browsers.
 */
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { registerIpcTransport } from '../api/ipc';
import { EngineHost } from '../engine-host';
import { createMainWindow, isAppUrl } from './window';

// dist/main/electron-main.cjs -> app root (inside app.asar when packaged)
const appRoot = path.resolve(__dirname, '..', '..');
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(appRoot, 'resources');
let host: EngineHost | undefined;
let stopIpc: (() => void) | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(async () => {
    try {
      // BILLING_HTTP_HOST / BILLING_HTTP_PORT win over the stored settings; without them the settings decide.
      host = await EngineHost.start({
        dataDir: process.env.BILLING_DATA_DIR || app.getPath('userData'),
        http: {
          ...(process.env.BILLING_HTTP_HOST ? { host: process.env.BILLING_HTTP_HOST } : {}),
          ...(process.env.BILLING_HTTP_PORT ? { port: Number(process.env.BILLING_HTTP_PORT) } : {}),
        },
        adminPassword: process.env.BILLING_ADMIN_PASSWORD || undefined,
        rendererDir,
        resourcesDir,
      });
    } catch (err) {
      dialog.showErrorBox('Billing Workstation cannot start', err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }
    const engine = host.engine;
    if (engine.generatedAdminPassword) {
      void dialog.showMessageBox({
        type: 'info',
        title: 'First start',
        message: `The administrator account "admin" was created with the password:\n\n${engine.generatedAdminPassword}\n\nIt is shown only once; you will be asked to change it at the first login.`,
      });
    }
    stopIpc = registerIpcTransport(engine.services, engine.dispatcher, (_wc, url) => isAppUrl(rendererDir, url));
    // After a restore the engine is a new one: the window talks to it (its session ended; it logs in again).
    host.onRestart((next) => {
      stopIpc?.();
      stopIpc = registerIpcTransport(next.services, next.dispatcher, (_wc, url) => isAppUrl(rendererDir, url));
    });
    host.onFatal((err) => {
      dialog.showErrorBox('Billing Workstation cannot continue', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
    createMainWindow({ rendererDir, preload: path.join(__dirname, 'preload.cjs') });
  });

  app.on('window-all-closed', () => {
    app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !host) return;
    event.preventDefault();
    quitting = true;
    stopIpc?.();
    void host.stop().finally(() => app.quit());
  });
}
