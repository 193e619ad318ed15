import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, ADMIN_PASSWORD, type TestEngine } from './helpers/engine';

let t: TestEngine;
let base: string;

beforeAll(async () => {
  t = await startTestEngine();
  base = t.http!.url;
});
afterAll(() => t.dispose());

const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function loginCookie(): Promise<{ cookie: string; token: string }> {
  const res = await post('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  const { token } = (await res.json()) as { token: string };
  return { cookie: setCookie.split(';')[0]!, token };
}

describe('HTTP transport', () => {
  it('logs in and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await post('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^billing_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    expect(cookie).not.toContain('Secure'); // plain HTTP on loopback
    const body = (await res.json()) as { token: string; user: { username: string } };
    expect(body.user.username).toBe('admin');
  });

  it('accepts a cookie call from the UI (same origin, client header)', async () => {
    const { cookie } = await loginCookie();
    const res = await post('auth.me', {}, { Cookie: cookie, 'X-Billing-Client': '1', Origin: base, 'Sec-Fetch-Site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'admin' });
  });

  it('rejects cross-site cookie calls', async () => {
    const { cookie } = await loginCookie();
    const cases: Record<string, string>[] = [
      { Cookie: cookie }, // no client header (a plain cross-site form could not add one)
      { Cookie: cookie, 'X-Billing-Client': '1', Origin: 'http://evil.example' },
      { Cookie: cookie, 'X-Billing-Client': '1', 'Sec-Fetch-Site': 'cross-site' },
      { Cookie: cookie, 'X-Billing-Client': '1', Origin: 'null' },
    ];
    for (const headers of cases) {
      const res = await post('systemAccounts.list', {}, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('accepts bearer tokens from scripts without the browser checks', async () => {
    const { token } = await loginCookie();
    const res = await post('systemAccounts.list', {}, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('maps errors to status codes with a JSON error body', async () => {
    const { token } = await loginCookie();
    const auth = { Authorization: `Bearer ${token}` };
    expect((await post('no.such', {}, auth)).status).toBe(404);
    expect((await post('systemAccounts.list', {})).status).toBe(401);
    const bad = await post('systemAccounts.create', { username: '!' }, auth);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { fields: Record<string, string[]> } } };
    expect(body.error.code).toBe('invalid_input');
    expect(Object.keys(body.error.details.fields)).toContain('username');
    expect((await post('auth.me', 'not json', auth)).status).toBe(400);
    const text = await fetch(`${base}/api/auth.me`, { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    expect((await fetch(`${base}/api/auth.me`, { headers: auth })).status).toBe(404);
  });

  it('answers 429 with Retry-After when throttled', async () => {
    const throttled = await startTestEngine({ authPolicy: { maxFailuresPerAccount: 2, baseLockMs: 5000 } });
    try {
      const url = `${throttled.http!.url}/api/auth.login`;
      const attempt = () =>
        fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'x' }) });
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401);
      const res = await attempt();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    } finally {
      await throttled.dispose();
    }
  });

  it('caps the body size (413) without reading it all', async () => {
    const { token } = await loginCookie();
    const big = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
    const res = await post('auth.me', big, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(413);
    // Chunked upload without Content-Length is cut off as well.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/auth.me`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      });
      req.on('response', (r) => resolve(r.statusCode!));
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('refuses an anonymous caller, or a role the method is not for, before reading a large body', async () => {
    // Headers that announce 50 MB, then only 1 KiB of it: the answer comes without the rest, and the connection closes.
    const ask = (method: string, headers: Record<string, string>) =>
      new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const req = http.request(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024), ...headers },
        });
        req.on('response', (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode!, connection: r.headers.connection, body }));
        });
        req.on('error', reject);
        req.write(`{"deviceId":1,"fileName":"x.csv","content":"${'A'.repeat(1024)}`);
      });
    const anonymous = await ask('cdrs.import', {});
    expect(anonymous).toMatchObject({ status: 401, connection: 'close' });
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: 'unauthenticated' } });
    const clerk = await t.loginAs('clerk');
    const wrongRole = await ask('system.restore', { Authorization: `Bearer ${clerk}` });
    expect(wrongRole).toMatchObject({ status: 403, connection: 'close' });
    expect(JSON.parse(wrongRole.body)).toMatchObject({ error: { code: 'forbidden', message: 'Role clerk may not call system.restore.' } });
  });

  /** A request to `url` with a chosen Host header (fetch does not let a script set it). */
  const withHost = (url: string, host: string, method: 'GET' | 'POST') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method, headers: { Host: host, 'Content-Type': 'application/json' } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode!, body }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });

  it('answers a loopback server only at loopback names (DNS rebinding)', async () => {
    const ask = async (host: string) => (await withHost(`${base}/api/auth.me`, host, 'POST')).status;
    const port = new URL(base).port;
    const refused = await withHost(`${base}/api/auth.me`, `evil.example:${port}`, 'POST');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('not at "evil.example:') } });
    expect(await ask('evil.example')).toBe(403);
    expect(await ask(`127.0.0.1.evil.example:${port}`)).toBe(403);
    expect(await ask(`localhost.evil.example:${port}`)).toBe(403);
    expect((await withHost(`${base}/api/events`, `evil.example:${port}`, 'GET')).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `127.1.2.3:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) expect(await ask(host)).toBe(401);
  });

  it('answers at any Host name when it listens for remote access (not on loopback)', async () => {
    const remote = await startTestEngine({ http: { host: '0.0.0.0', port: 0 } });
    try {
      const port = new URL(remote.http!.url).port;
      expect((await withHost(`${remote.http!.url}/api/auth.me`, `billing.example:${port}`, 'POST')).status).toBe(401);
    } finally {
      await remote.dispose();
    }
  });

  it('answers a malformed percent-encoding in a path with 404, not 500', async () => {
    const res = await fetch(`${base}/api/auth.me%E0%A4%A`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'method_not_found', message: 'There is no method "auth.me%E0%A4%A".' } });
    const { token } = await loginCookie();
    const download = await fetch(`${base}/download/%E0%A4%A`, { headers: { Authorization: `Bearer ${token}` } });
    expect(download.status).toBe(404);
    expect(await download.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('This download does not exist') } });
    expect((await fetch(`${base}/download/%E0%A4%A`)).status).toBe(401);
    const push = await fetch(`${base}/cdr/%E0%A4%A`, { method: 'POST', body: 'x' });
    expect(push.status).toBe(404);
    expect(await push.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('There is no CDR format "%E0%A4%A"') } });
  });

  it('never leaks internals in a 500', async () => {
    const broken = await startTestEngine();
    try {
      const { token } = await broken.login();
      broken.services.db.close(); // a real failure below the API
      const res = await fetch(`${broken.http!.url}/api/system.ping`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{}',
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('internal');
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|database connection/i);
    } finally {
      await broken.stop();
      fs.rmSync(broken.dataDir, { recursive: true, force: true });
    }
  });

  it('streams events to the session over server-sent events and closes them at logout', async () => {
    const { cookie, token } = await loginCookie();
    const res = await fetch(`${base}/api/events`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    t.services.events.emit('data.changed', { domain: 'test', ids: [7] });
    t.services.events.emit('data.changed', { domain: 'hidden' }, { roles: ['auditor'] });
    await post('auth.logout', {}, { Authorization: `Bearer ${token}` });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('event: data.changed\ndata: {"domain":"test","ids":[7]}');
    expect(text).not.toContain('hidden');
    expect(text).toContain('event: session.ended');
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('serves security headers with API answers', async () => {
    const res = await post('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
