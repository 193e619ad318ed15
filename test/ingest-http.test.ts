import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../src-shared/api/devices';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixture } from './ingest-helpers';

let t: TestEngine;
let admin: string;
let fsXml: Device;
let fsJson: Device;
let yeastar: Device;
const PASSWORD = 'Push-Secret-123';
const goodAuth = `Basic ${Buffer.from(`pbx:${PASSWORD}`).toString('base64')}`;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** POSTs like a device: from `localAddress`, with the given Authorization header. */
function post(path: string, body: string | Buffer, opts: { auth?: string; localAddress?: string; contentType?: string } = {}): Promise<Reply> {
  const url = new URL(path, t.http!.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        localAddress: opts.localAddress ?? '127.0.0.1',
        headers: {
          'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          ...(opts.auth !== undefined ? { Authorization: opts.auth } : { Authorization: goodAuth }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const count = (sql: string, ...args: unknown[]) => t.services.db.prepare(sql).pluck().get(...args) as number;

beforeAll(async () => {
  t = await startTestEngine({ cdrListener: false });
  admin = await t.loginAs('admin');
  fsXml = await t.call('devices.create', beijingDevice({ name: 'FS xml', format: 'freeswitch-xml', addresses: ['127.0.0.1'] }), admin);
  fsJson = await t.call('devices.create', beijingDevice({ name: 'FS json', format: 'freeswitch-json', addresses: ['127.0.0.1'] }), admin);
  yeastar = await t.call('devices.create', beijingDevice({ name: 'Yeastar', format: 'yeastar', addresses: ['127.0.0.0/24'] }), admin);
});
afterAll(() => t.dispose());

describe('HTTP push POST /cdr/<format>', () => {
  it('refuses pushes while the billing interface has no password, then checks Basic auth', async () => {
    const xml = fixture('freeswitch-xml-cdr.xml');
    const noPassword = await post('/cdr/freeswitch-xml', xml);
    expect(noPassword.status).toBe(401);
    expect(noPassword.body.error).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/no password set/) });

    await t.call('settings.update', { billingInterface: { account: 'pbx', password: PASSWORD } }, admin);
    const missing = await post('/cdr/freeswitch-xml', xml, { auth: '' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Basic realm="billing interface"/);
    const wrong = await post('/cdr/freeswitch-xml', xml, { auth: `Basic ${Buffer.from('pbx:nope-nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ message: 'Wrong billing interface account or password.' });
    expect(count('SELECT COUNT(*) FROM cdrs')).toBe(0);
  });

  it('stores a FreeSWITCH XML CDR in each encoding once: the first post stores it, the others are duplicates', async () => {
    const xml = fixture('freeswitch-xml-cdr.xml');
    const bodies = {
      bare: xml,
      urlencoded: `cdr=${encodeURIComponent(xml)}`,
      unencoded: `cdr=${xml}`,
      base64: `cdr=${encodeURIComponent(Buffer.from(xml).toString('base64'))}`,
    };
    const replies: Record<string, unknown>[] = [];
    for (const [encoding, body] of Object.entries(bodies)) {
      const reply = await post('/cdr/freeswitch-xml', body, { contentType: encoding === 'bare' ? 'text/xml' : undefined });
      expect(reply.status, encoding).toBe(200);
      replies.push(reply.body);
    }
    expect(replies).toEqual([
      { received: 1, stored: 1, duplicates: 0, rejected: 0 },
      { received: 1, stored: 0, duplicates: 1, rejected: 0 },
      { received: 1, stored: 0, duplicates: 1, rejected: 0 },
      { received: 1, stored: 0, duplicates: 1, rejected: 0 },
    ]);
    const row = t.services.db.prepare('SELECT * FROM cdrs WHERE device_id = ?').get(fsXml.id) as Record<string, unknown>;
    expect(row).toMatchObject({ caller: '8001', callee: '0044207946000', billsec: 600, source_kind: 'http', source_name: '127.0.0.1 POST /cdr/freeswitch-xml' });
  });

  it('stores a FreeSWITCH JSON CDR posted bare, url-encoded and base64', async () => {
    const json = fixture('freeswitch-json-cdr.json');
    const bare = await post('/cdr/freeswitch-json', json, { contentType: 'application/json' });
    const form = await post('/cdr/freeswitch-json', `cdr=${encodeURIComponent(json)}`);
    const base64 = await post('/cdr/freeswitch-json', `cdr=${Buffer.from(json).toString('base64')}`);
    expect([bare.body, form.body, base64.body]).toEqual([
      { received: 1, stored: 1, duplicates: 0, rejected: 0 },
      { received: 1, stored: 0, duplicates: 1, rejected: 0 },
      { received: 1, stored: 0, duplicates: 1, rejected: 0 },
    ]);
    expect(count('SELECT caller_name FROM cdrs WHERE device_id = ?', fsJson.id)).toBe('张敏');
  });

  it('stores Yeastar NewCdr JSON (one event, or JSON lines) and answers a duplicate re-send with 200 and no change', async () => {
    const lines = fixture('yeastar-newcdr.jsonl');
    const one = lines.split('\n')[0]!;
    const first = await post('/cdr/yeastar', one, { contentType: 'application/json', localAddress: '127.0.0.7' });
    expect(first).toMatchObject({ status: 200, body: { received: 1, stored: 1, duplicates: 0, rejected: 0 } });
    const all = await post('/cdr/yeastar', lines, { contentType: 'application/json', localAddress: '127.0.0.7' });
    expect(all.body).toEqual({ received: 4, stored: 3, duplicates: 1, rejected: 0 });
    const again = await post('/cdr/yeastar', lines, { contentType: 'application/json', localAddress: '127.0.0.7' });
    expect(again).toMatchObject({ status: 200, body: { received: 4, stored: 0, duplicates: 4, rejected: 0 } });
    expect(count('SELECT COUNT(*) FROM cdrs WHERE device_id = ?', yeastar.id)).toBe(4);
  });

  it('keeps an unreadable body as a reject and answers 200, so devices that re-send until 200 stop', async () => {
    const garbage = await post('/cdr/yeastar', 'this is not JSON', { localAddress: '127.0.0.7' });
    expect(garbage).toMatchObject({ status: 200, body: { received: 1, stored: 0, duplicates: 0, rejected: 1 } });
    const again = await post('/cdr/yeastar', 'this is not JSON', { localAddress: '127.0.0.7' });
    expect(again.body).toEqual({ received: 1, stored: 0, duplicates: 1, rejected: 0 });
    expect(count("SELECT COUNT(*) FROM cdr_rejects WHERE raw = 'this is not JSON' AND source_kind = 'http'")).toBe(1);
    const empty = await post('/cdr/yeastar', '', { localAddress: '127.0.0.7' });
    expect(empty.status).toBe(400);
  });

  it('refuses an oversized body (413), an unknown format (404) and an address no device of the format allows (403)', async () => {
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    const tooBig = await post('/cdr/yeastar', huge, { localAddress: '127.0.0.7' });
    expect(tooBig.status).toBe(413);
    expect((await post('/cdr/avaya-cms', '{}')).status).toBe(404);
    const stranger = await post('/cdr/freeswitch-xml', fixture('freeswitch-xml-cdr.xml'), { localAddress: '127.0.0.9' });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toMatchObject({ message: expect.stringMatching(/127\.0\.0\.9 is not an allowed address/) });
    expect(stranger.body.error).toMatchObject({ message: expect.stringMatching(/Yeastar.*yeastar/) });
  });

  it('lets ?device= choose among devices of the format at one address', async () => {
    const other = await t.call('devices.create', beijingDevice({ name: 'FS xml 2', format: 'freeswitch-xml', addresses: ['127.0.0.1'] }), admin);
    const xml = fixture('freeswitch-xml-cdr.xml');
    const ambiguous = await post('/cdr/freeswitch-xml', xml);
    expect(ambiguous.status).toBe(403);
    expect(ambiguous.body.error).toMatchObject({ message: expect.stringMatching(/2 devices accept CDRs from 127\.0\.0\.1 .*\?device=/) });
    const named = await post(`/cdr/freeswitch-xml?device=${encodeURIComponent('FS xml 2')}`, xml);
    expect(named.body).toEqual({ received: 1, stored: 1, duplicates: 0, rejected: 0 });
    expect(count('SELECT COUNT(*) FROM cdrs WHERE device_id = ?', other.id)).toBe(1);
    await t.call('devices.update', { id: other.id, enabled: false }, admin);
  });

  it('throttles an address after repeated wrong passwords', async () => {
    const wrong = `Basic ${Buffer.from('pbx:wrong-wrong').toString('base64')}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post('/cdr/yeastar', '{}', { auth: wrong, localAddress: '127.0.0.11' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const right = await post('/cdr/yeastar', '{}', { localAddress: '127.0.0.12' });
    expect(right.status).toBe(200);
  });

  it('counts guesses sent all at once before their passwords are checked', async () => {
    const guesses = Array.from({ length: 25 }, (_, i) => `Basic ${Buffer.from(`pbx:guess-${i}`).toString('base64')}`);
    const statuses = await Promise.all(guesses.map(async (auth) => (await post('/cdr/yeastar', '{}', { auth, localAddress: '127.0.0.13' })).status));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });
});
