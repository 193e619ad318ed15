import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src-shared/api/errors';
import { call, onSessionProblem, setTransport } from './client';
import { httpTransport, ipcTransport, type BillingBridge } from './transports';

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('HTTP transport', () => {
  it('posts JSON to api/<method> with the client header and the session cookie', async () => {
    const fetchMock = vi.fn(async () => reply(200, { now: '2026-03-02T01:00:00.000Z', version: '1.0.0' }));
    vi.stubGlobal('fetch', fetchMock);
    setTransport(httpTransport());
    await expect(call('system.ping', {})).resolves.toEqual({ now: '2026-03-02T01:00:00.000Z', version: '1.0.0' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('api/system.ping');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Billing-Client': '1' });
    expect(init.body).toBe('{}');
  });

  it('turns an error body into an ApiError with its details', async () => {
    vi.stubGlobal('fetch', async () =>
      reply(400, { error: { code: 'invalid_input', message: 'Invalid input', details: { fields: { username: ['is taken'] } } } }),
    );
    setTransport(httpTransport());
    const error = await call('systemAccounts.list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_input');
    expect((error as ApiError).details).toEqual({ fields: { username: ['is taken'] } });
  });

  it('takes the wait from Retry-After when the body has none', async () => {
    vi.stubGlobal('fetch', async () => reply(429, { error: { code: 'throttled', message: 'Wait' } }, { 'Retry-After': '42' }));
    setTransport(httpTransport());
    const error = (await call('auth.login', { username: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('throttled');
    expect(error.details).toEqual({ retryAfterSeconds: 42 });
  });

  it('reports a server that cannot be reached or answers with something else', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    setTransport(httpTransport());
    expect(((await call('system.ping', {}).catch((e: unknown) => e)) as ApiError).code).toBe('unavailable');
    vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(((await call('system.ping', {}).catch((e: unknown) => e)) as ApiError).code).toBe('unavailable');
  });
});

describe('IPC transport', () => {
  it('unwraps { ok, result } and { ok: false, error }', async () => {
    const bridge: BillingBridge = {
      call: vi.fn(async (method: string) =>
        method === 'system.ping'
          ? { ok: true as const, result: { now: 'x', version: 'y' } }
          : { ok: false as const, error: { code: 'forbidden' as const, message: 'Role clerk may not call systemAccounts.list.' } },
      ),
      on: () => () => undefined,
    };
    setTransport(ipcTransport(bridge));
    await expect(call('system.ping', {})).resolves.toEqual({ now: 'x', version: 'y' });
    const error = (await call('systemAccounts.list', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('forbidden');
  });
});

describe('session problems', () => {
  const failing = (code: string): BillingBridge => ({
    call: async () => ({ ok: false, error: { code: code as 'unauthenticated', message: code } }),
    on: () => () => undefined,
  });

  it('are announced for ordinary calls', async () => {
    const seen: string[] = [];
    const stop = onSessionProblem((problem, method) => seen.push(`${problem}:${method}`));
    setTransport(ipcTransport(failing('unauthenticated')));
    await call('logs.login', { limit: 10 }).catch(() => undefined);
    setTransport(ipcTransport(failing('password_change_required')));
    await call('systemAccounts.list', {}).catch(() => undefined);
    stop();
    expect(seen).toEqual(['unauthenticated:logs.login', 'password_change_required:systemAccounts.list']);
  });

  it('are not announced when a wrong password or no session is the expected answer', async () => {
    const seen: string[] = [];
    const stop = onSessionProblem((problem) => seen.push(problem));
    setTransport(ipcTransport(failing('unauthenticated')));
    await call('auth.login', { username: 'a', password: 'b' }).catch(() => undefined);
    await call('auth.me', {}).catch(() => undefined);
    stop();
    expect(seen).toEqual([]);
  });
});
