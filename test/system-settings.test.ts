import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { generateSelfSignedCertificate } from '../src-main/settings/tls';
import { HTTP_HANDOVER_MS } from '../src-main/system/http-server-control';
import { startTestEngine, tempDir, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await t.loginAs('admin');
});
afterAll(() => t.dispose());

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  return (err as ApiError & { details: { fields: Record<string, string[]> } }).details.fields;
}

const ping = (url: string, token: string) =>
  fetch(`${url}/api/system.ping`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settings', () => {
  it('starts from defaults: billing interface on 9000, web server on this computer only, 6 months retention, daily backups', async () => {
    const s = await t.call('settings.get', {}, admin);
    expect(s.billingInterface).toMatchObject({ enabled: true, cdrPort: 9000, account: 'billing', hasPassword: false, addresses: [] });
    expect(s.http).toMatchObject({ remoteAccess: false, port: 8080, tls: { enabled: false, source: 'none', hasPrivateKey: false } });
    expect(s.http.active?.url).toBe(t.http!.url);
    expect(s.http.startOverrides).toEqual({ host: '127.0.0.1', port: 0 });
    expect(s.retention.months).toBe(6);
    expect(s.currency).toEqual({ code: 'CNY', symbol: '¥' });
    expect(s.backup).toMatchObject({ defaultFolder: true, schedule: 'daily', timeOfDay: '02:00', keep: 7 });
    expect(s.backup.folder).toBe(`${t.dataDir}/backups`);
  });

  it('is for admins only', async () => {
    const clerk = await t.loginAs('clerk');
    await expect(t.call('settings.get', {}, clerk)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('never returns the billing interface password or its hash, and checks it for devices', async () => {
    const result = await t.call('settings.update', { billingInterface: { account: 'pbx-push', password: 'Cdr-Secret-123' } }, admin);
    expect(result.changed.sort()).toEqual(['billingInterface.account', 'billingInterface.password']);
    expect(result.settings.billingInterface.hasPassword).toBe(true);
    const got = await t.call('settings.get', {}, admin);
    for (const json of [JSON.stringify(result), JSON.stringify(got)]) {
      expect(json).not.toContain('Cdr-Secret-123');
      expect(json).not.toContain('scrypt');
      expect(json).not.toMatch(/passwordHash/);
    }
    expect(await t.services.settings.verifyBillingInterface('pbx-push', 'Cdr-Secret-123')).toBe(true);
    expect(await t.services.settings.verifyBillingInterface('pbx-push', 'wrong-password')).toBe(false);
    const log = t.services.db.prepare("SELECT summary FROM operation_log WHERE method = 'settings.update'").pluck().all().join('\n');
    expect(log).toContain('billingInterface.password');
    expect(log).not.toContain('Cdr-Secret-123');

    // "" removes the password; an omitted one keeps it.
    await t.call('settings.update', { billingInterface: { addresses: ['10.0.0.0/8'] } }, admin);
    expect((await t.call('settings.get', {}, admin)).billingInterface.hasPassword).toBe(true);
    await t.call('settings.update', { billingInterface: { password: '' } }, admin);
    expect((await t.call('settings.get', {}, admin)).billingInterface.hasPassword).toBe(false);
  });

  it('tells listeners when the CDR port changes, after the change is saved', async () => {
    const port = await freePort();
    const seen: { section: string; port: number }[] = [];
    const off = t.services.settings.onChange((section) => seen.push({ section, port: t.services.settings.get('billingInterface').cdrPort }));
    try {
      const result = await t.call('settings.update', { billingInterface: { cdrPort: port } }, admin);
      expect(result.applied).toContain('billingInterface.cdrPort');
      expect(seen).toEqual([{ section: 'billingInterface', port }]);
    } finally {
      off();
    }
  });

  it('refuses a CDR port that something else listens on, and keeps the old one', async () => {
    const before = t.services.settings.get('billingInterface').cdrPort;
    const busy = await occupy();
    try {
      const fields = await fieldErrors(t.call('settings.update', { billingInterface: { cdrPort: busy.port } }, admin));
      expect(fields['billingInterface.cdrPort']).toEqual([`port ${busy.port} is already in use on 0.0.0.0`]);
    } finally {
      await busy.close();
    }
    expect(t.services.settings.get('billingInterface').cdrPort).toBe(before);
  });

  it('rejects bad values with an error per field', async () => {
    const fields = await fieldErrors(
      t.call(
        'settings.update',
        {
          billingInterface: { cdrPort: 70000, password: 'short', addresses: ['not-an-ip'] },
          http: { host: 'example.com', port: 0 },
          currency: { code: 'rmb' },
          retention: { months: 0 },
          backup: { timeOfDay: '25:00', schedule: 'hourly', weekday: 8, timeZone: 'Mars/Olympus' },
        } as never,
        admin,
      ),
    );
    expect(Object.keys(fields).sort()).toEqual([
      'backup.schedule',
      'backup.timeOfDay',
      'backup.timeZone',
      'backup.weekday',
      'billingInterface.addresses.0',
      'billingInterface.cdrPort',
      'billingInterface.password',
      'currency.code',
      'http.host',
      'http.port',
      'retention.months',
    ]);
    expect(fields['currency.code']![0]).toMatch(/ISO 4217/);
  });

  it('rejects settings that do not fit together or cannot work here', async () => {
    expect(await fieldErrors(t.call('settings.update', { backup: { folder: 'relative/backups' } }, admin))).toEqual({
      'backup.folder': ['must be an absolute path, e.g. D:\\Backups\\billing or /srv/backups'],
    });
    expect(await fieldErrors(t.call('settings.update', { http: { tls: { enabled: true } } }, admin))).toHaveProperty('http.tls.enabled');
    const cdrPort = t.services.settings.get('billingInterface').cdrPort;
    expect(await fieldErrors(t.call('settings.update', { http: { port: cdrPort } }, admin))).toEqual({
      'http.port': [`port ${cdrPort} is used by both the web server and the CDR listener`],
    });
    expect(await fieldErrors(t.call('settings.update', { http: { remoteAccess: true, host: '203.0.113.9' } }, admin))).toEqual({
      'http.host': ['203.0.113.9 is not an address of this computer'],
    });
  });

  it('moves the web server to a new port at once: the new port answers, the old one closes', async () => {
    const oldUrl = t.http!.url;
    const port = await freePort();
    const result = await t.call('settings.update', { http: { port } }, admin);
    expect(result.applied).toEqual(['http.port']);
    expect(result.restartRequired).toEqual([]);
    expect(result.overriddenAtStart).toEqual(['http.port']); // the test engine was started with a port
    expect(result.httpUrl).toBe(`http://127.0.0.1:${port}`);
    expect(result.settings.http.active).toMatchObject({ port, tls: false });

    expect((await ping(result.httpUrl!, admin)).status).toBe(200);
    await sleep(HTTP_HANDOVER_MS + 300);
    await expect(ping(oldUrl, admin)).rejects.toThrow();
    expect(t.services.httpServer.url).toBe(result.httpUrl);
  });

  it('keeps the web server where it is when the new port is taken', async () => {
    const url = t.services.httpServer.url;
    const busy = await occupy();
    try {
      const fields = await fieldErrors(t.call('settings.update', { http: { port: busy.port } }, admin));
      expect(fields['http.port']).toEqual([`port ${busy.port} is already in use on 127.0.0.1`]);
    } finally {
      await busy.close();
    }
    expect(t.services.httpServer.url).toBe(url);
    expect((await ping(url, admin)).status).toBe(200);
  });

  it('refuses an uploaded key that does not belong to the certificate', async () => {
    const a = await generateSelfSignedCertificate(Date.now());
    const b = await generateSelfSignedCertificate(Date.now());
    const fields = await fieldErrors(t.call('settings.update', { http: { tls: { enabled: true, certificate: a.certificate, privateKey: b.privateKey } } }, admin));
    expect(fields['http.tls.privateKey']).toEqual(['does not belong to the certificate (their public keys differ)']);
  });

  it('stores a certificate while TLS is off without touching the web server', async () => {
    const url = t.services.httpServer.url;
    const result = await t.call('settings.update', { http: { tls: { generateSelfSigned: true } } }, admin);
    expect(result.changed).toEqual(['http.tls.certificate']);
    expect(result.httpUrl).toBeUndefined();
    expect(result.settings.http.tls).toMatchObject({ enabled: false, source: 'selfSigned', hasPrivateKey: true });
    await sleep(HTTP_HANDOVER_MS + 300);
    expect(t.services.httpServer.url).toBe(url);
    expect((await ping(url, admin)).status).toBe(200);
  });

  it('turns TLS on with a generated self-signed certificate and never returns its private key', async () => {
    const result = await t.call('settings.update', { http: { tls: { enabled: true, generateSelfSigned: true } } }, admin);
    expect(result.changed.sort()).toEqual(['http.tls.certificate', 'http.tls.enabled']);
    expect(result.settings.http.tls).toMatchObject({ enabled: true, source: 'selfSigned', hasPrivateKey: true });
    expect(result.settings.http.tls.certificate?.subjectAltName).toContain('IP Address:127.0.0.1');
    await sleep(HTTP_HANDOVER_MS + 300);
    const url = t.services.httpServer.url;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const fingerprint = await new Promise<string>((resolve, reject) => {
      const req = https.request(`${url}/api/system.ping`, { method: 'POST', rejectUnauthorized: false, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` } }, (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.resume();
        res.on('end', () => resolve(cert.fingerprint256));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(fingerprint).toBe(result.settings.http.tls.certificate!.fingerprint256);
    const json = JSON.stringify(await t.call('settings.get', {}, admin));
    expect(json).not.toContain('PRIVATE KEY');
    expect(json).not.toContain('privateKeySealed');
    expect(result.warnings).toContain('Browsers warn about a self-signed certificate until it is trusted on each computer.');
  });
});

describe('settings at start', () => {
  it('the stored port decides when no start option is given; a given one wins', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = await startTestEngine({ dataDir, http: false });
    const token = await first.loginAs('admin');
    const result = await first.call('settings.update', { http: { port } }, token);
    expect(result.restartRequired).toEqual(['http.port']); // no web server in that engine
    await first.stop();

    const fromSettings = await startTestEngine({ dataDir, http: { host: '127.0.0.1' } });
    try {
      expect(fromSettings.http!.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await fromSettings.stop();
    }
    const fromFlag = await startTestEngine({ dataDir, http: { host: '127.0.0.1', port: 0 } });
    try {
      expect(fromFlag.http!.url).not.toBe(`http://127.0.0.1:${port}`);
    } finally {
      await fromFlag.dispose();
    }
  });
});
