import { ApiError, type ErrorBody } from '../../../src-shared/api/errors';

/** What the Electron preload exposes (src-main/electron/preload.ts); nothing else crosses the bridge. */
export interface BillingBridge {
  call(method: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ErrorBody }>;
  on(event: string, handler: (data: unknown) => void): () => void;
}

declare global {
  interface Window {
    billing?: BillingBridge;
  }
}

export interface Transport {
  readonly kind: 'ipc' | 'http';
  call(method: string, input: unknown): Promise<unknown>;
  /** Subscribes to one engine event; returns the unsubscribe function. */
  on(event: string, handler: (data: unknown) => void): () => void;
  /** Runs `handler` when the event stream opens again after a break; returns the unsubscribe function. */
  onReconnect(handler: () => void): () => void;
  /** Opens the event stream for the current session (HTTP only; IPC follows the session by itself). */
  connectEvents(): void;
  disconnectEvents(): void;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).code === 'string';
}

export function ipcTransport(bridge: BillingBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const reply = await bridge.call(method, input);
      if (reply.ok) return reply.result;
      throw isErrorBody(reply.error) ? ApiError.fromBody(reply.error) : new ApiError('internal', 'Malformed reply.');
    },
    on: (event, handler) => bridge.on(event, handler),
    // The bridge lives as long as the window: no stream to break.
    onReconnect: () => () => {},
    connectEvents() {},
    disconnectEvents() {},
  };
}

/**
 * HTTP: `POST api/<method>` relative to the page, so the UI also works behind a reverse proxy on a sub-path.
 * The X-Billing-Client header is the server's proof that the call comes from this UI, not a cross-site form.
 */
export function httpTransport(): Transport {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  let source: EventSource | null = null;
  const listening = new Set<string>();
  const reconnectHandlers = new Set<() => void>();

  const listen = (event: string) => {
    if (!source || listening.has(event)) return;
    listening.add(event);
    source.addEventListener(event, (message) => {
      let data: unknown = null;
      try {
        data = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const handler of handlers.get(event) ?? []) handler(data);
    });
  };

  return {
    kind: 'http',
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(`api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Billing-Client': '1' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError('unavailable', 'The server cannot be reached.');
      }
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // A proxy or a crashed server answered with something that is not ours.
        throw new ApiError(response.ok ? 'internal' : 'unavailable', `Unexpected reply (HTTP ${response.status}).`);
      }
      if (response.ok) return body;
      const error = (body as { error?: unknown } | null)?.error;
      if (isErrorBody(error)) {
        const apiError = ApiError.fromBody(error);
        const retryAfter = Number(response.headers.get('Retry-After'));
        if (apiError.code === 'throttled' && retryAfter > 0 && !hasRetryAfter(apiError.details)) {
          throw new ApiError('throttled', apiError.message, { retryAfterSeconds: retryAfter }, apiError.problem);
        }
        throw apiError;
      }
      throw new ApiError('unavailable', `Unexpected reply (HTTP ${response.status}).`);
    },
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      listen(event);
      return () => {
        set.delete(handler);
      };
    },
    onReconnect(handler) {
      reconnectHandlers.add(handler);
      return () => {
        reconnectHandlers.delete(handler);
      };
    },
    connectEvents() {
      if (source || typeof EventSource === 'undefined') return;
      source = new EventSource('api/events', { withCredentials: true });
      // EventSource reconnects by itself after a break; what changed during the break was never announced.
      let broken = false;
      source.addEventListener('error', () => {
        broken = true;
      });
      source.addEventListener('open', () => {
        if (!broken) return;
        broken = false;
        for (const handler of reconnectHandlers) handler();
      });
      listening.clear();
      for (const event of handlers.keys()) listen(event);
    },
    disconnectEvents() {
      source?.close();
      source = null;
      listening.clear();
    },
  };
}

function hasRetryAfter(details: unknown): boolean {
  return typeof (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds === 'number';
}
