/**
 * The Electron IPC transport, with Electron's ipcMain replaced by a recorder (the engine is tested without the Electron
 * binary): calls run through the dispatcher with the window's session, which stays in the main process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from './helpers/engine';

type Handler = (event: unknown, method: unknown, input: unknown) => Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>;
const handlers = vi.hoisted(() => new Map<string, unknown>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { IPC_CALL, registerIpcTransport } = await import('../src-main/api/ipc');

let t: TestEngine;
let unregister: () => void;
beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  unregister = registerIpcTransport(t.services, t.dispatcher, () => true);
});
afterAll(async () => {
  unregister();
  await t.dispose();
});

/** A window (web contents) as ipcMain's event names it. */
const windowEvent = (id: number) => ({ sender: { id, once: () => undefined, isDestroyed: () => false, send: () => undefined }, senderFrame: { url: 'file:///app/index.html' } });

describe('IPC transport', () => {
  it('keeps the session token in the main process: the window gets the login without it, and its calls carry the session', async () => {
    const call = handlers.get(IPC_CALL) as Handler;
    const login = await call(windowEvent(1), 'auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login).toMatchObject({ ok: true, result: { user: { username: 'admin' } } });
    expect(login.result).not.toHaveProperty('token');
    expect(JSON.stringify(login)).not.toMatch(/"token"/);
    expect(await call(windowEvent(1), 'auth.me', {})).toMatchObject({ ok: true, result: { username: 'admin' } });
    // Another window has no session.
    expect(await call(windowEvent(2), 'auth.me', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
