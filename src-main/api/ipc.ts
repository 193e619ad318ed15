import { ipcMain, type WebContents } from 'electron';
import { ApiError } from '../../src-shared/api/errors';
import type { LoginResult } from '../../src-shared/api/auth';
import { deliverable } from '../events';
import type { AuthService } from '../auth/service';
import type { EventBus } from '../events';
import type { Dispatcher } from './dispatcher';

export const IPC_CALL = 'billing:call';
export const IPC_EVENT = 'billing:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ReturnType<ApiError['toBody']> };

/**
 * The Electron transport: `billing:call` (invoke) runs a method through the dispatcher with the window's session;
 * engine events go to the windows whose session may see them. The token never leaves the main process' map.
 */
export function registerIpcTransport(
  services: { auth: AuthService; events: EventBus },
  dispatcher: Dispatcher,
  isTrustedSender: (contents: WebContents, frameUrl: string) => boolean,
): () => void {
  const tokens = new Map<number, string>();
  const contentsById = new Map<number, WebContents>();

  ipcMain.handle(IPC_CALL, async (event, method: unknown, input: unknown): Promise<IpcReply> => {
    const wc = event.sender;
    if (!isTrustedSender(wc, event.senderFrame?.url ?? '')) {
      return { ok: false, error: ApiError.keyed('forbidden', 'api.untrustedSender', 'Untrusted sender.').toBody() };
    }
    if (!contentsById.has(wc.id)) {
      contentsById.set(wc.id, wc);
      wc.once('destroyed', () => {
        tokens.delete(wc.id);
        contentsById.delete(wc.id);
      });
    }
    try {
      const token = tokens.get(wc.id);
      const result = await dispatcher.call(String(method), input, {
        transport: 'ipc',
        address: 'desktop',
        ...(token ? { token } : {}),
      });
      if (method === 'auth.logout') tokens.delete(wc.id);
      if (method === 'auth.login') {
        // The window's session is kept here; the renderer gets the login without its token.
        const { token: sessionToken, ...login } = result as LoginResult;
        tokens.set(wc.id, sessionToken);
        return { ok: true, result: login };
      }
      return { ok: true, result };
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError('internal', 'Internal error.');
      return { ok: false, error: apiErr.toBody() };
    }
  });

  const unsubscribe = services.events.subscribe((message, audience) => {
    for (const [id, token] of tokens) {
      const session = services.auth.authenticate(token, { touch: false });
      const wc = contentsById.get(id);
      if (!session || !wc || wc.isDestroyed()) continue;
      const who = { role: session.user.role, accountId: session.user.id, sessionId: session.sessionId, enterpriseId: session.enterpriseId };
      if (deliverable(message, audience, who)) wc.send(IPC_EVENT, message);
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
