/**
 * The billing interface login cannot be guessed: TCP `LOGIN` and HTTP push share one throttle (per address and per
 * account, checks in flight counted), a throttled login is refused without its password being checked, a wrong
 * account costs the same hash check as a wrong password, and connections waiting on a login are capped and have a
 * deadline. Staff logins of the web UI are a bucket of their own.
 */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestEngine, ADMIN_PASSWORD, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixtureLines, TcpSender, waitFor } from './ingest-helpers';

/** Every password hash check, by the hash it ran against; `hold` keeps checks running until released. */
const checks = vi.hoisted(() => ({ hashes: [] as string[], hold: null as Promise<void> | null, running: 0 }));
vi.mock('../src-main/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src-main/auth/passwords')>();
  return {
    ...real,
    verifyPassword: async (password: string, stored: string) => {
      checks.hashes.push(stored);
      checks.running++;
      try {
        if (checks.hold) await checks.hold;
        return await real.verifyPassword(password, stored);
      } finally {
        checks.running--;
      }
    },
  };
});

const PASSWORD = 'Cdr-Secret-123';
const basic = (account: string, password: string) => `Basic ${Buffer.from(`${account}:${password}`).toString('base64')}`;

/** POSTs a CDR push from `localAddress` with the given Authorization header; resolves with the status and body. */
function push(e: TestEngine, auth: string, localAddress: string): Promise<{ status: number; body: { error?: { message: string } } }> {
  const body = fixtureLines('asterisk-master.csv')[0]!;
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL('/cdr/asterisk-csv', e.http!.url),
      { method: 'POST', localAddress, headers: { Authorization: auth, 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') as { error?: { message: string } } }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a TCP connection from `address`, sends a LOGIN line and returns the one answer line. */
async function tcpLogin(port: number, address: string, account: string, password: string): Promise<string> {
  const sender = new TcpSender(port, address);
  await sender.write(`LOGIN ${account} ${password}\n`);
  const reply = await sender.waitForReply(/\n/);
  await sender.end();
  return reply;
}

const THROTTLED = /^ERROR login refused: too many failed logins from ([\d.]+); try again in (\d+) s \(the password was not checked\)\n$/;

let t: TestEngine;
let port: number;
let billingHash: string;

beforeAll(async () => {
  // Room for a dozen waiting logins from one address: the throttle, not the cap, is under test here.
  t = await startTestEngine({ cdrListener: { host: '127.0.0.1', port: 0, maxWaitingLoginsPerAddress: 16 } });
  const admin = await t.loginAs('admin');
  await t.call('devices.create', beijingDevice({ name: 'PBX', addresses: ['127.0.0.0/8'] }), admin);
  await t.call('settings.update', { billingInterface: { account: 'pbx', password: PASSWORD } }, admin);
  billingHash = t.services.settings.get('billingInterface').passwordHash!;
  port = t.services.cdrListener!.address!.port;
});
afterAll(() => t.dispose());
// Every failure window of an earlier test is over.
beforeEach(() => t.advance(11 * 60_000));

describe('one throttle for TCP LOGIN and HTTP push', () => {
  it('refuses TCP guesses from an address HTTP push throttles, without checking them, until the lock expires', async () => {
    const from = '127.0.0.21';
    for (let i = 0; i < 10; i++) expect((await push(t, basic('pbx', `guess-${i}`), from)).status).toBe(401);
    const throttled = await push(t, basic('pbx', 'guess-10'), from);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error!.message).toMatch(/^Too many failed logins from 127\.0\.0\.21; try again in \d+ s\.$/);

    const before = checks.hashes.length;
    for (let i = 0; i < 5; i++) {
      const reply = await tcpLogin(port, from, 'pbx', `guess-tcp-${i}`);
      const [, address, seconds] = THROTTLED.exec(reply) ?? [];
      expect(address).toBe(from);
      expect(Number(seconds)).toBeGreaterThanOrEqual(1);
      expect(Number(seconds)).toBeLessThanOrEqual(60);
    }
    // The right password too: a lock that let it through would tell the guesser it was right.
    expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toMatch(THROTTLED);
    expect(checks.hashes.length).toBe(before);
    // Another address is not held.
    expect(await tcpLogin(port, '127.0.0.22', 'pbx', PASSWORD)).toBe('OK PBX\n');

    t.advance(61_000);
    expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toBe('OK PBX\n');
  });

  it('throttles HTTP push after wrong TCP logins from the same address', async () => {
    const from = '127.0.0.23';
    for (let i = 0; i < 10; i++) expect(await tcpLogin(port, from, 'pbx', `guess-${i}`)).toBe('ERROR login refused: wrong account or password\n');
    const before = checks.hashes.length;
    const right = await push(t, basic('pbx', PASSWORD), from);
    expect(right.status).toBe(429);
    expect(checks.hashes.length).toBe(before);
  });

  it('counts wrong logins sent in parallel while their checks run: the right one after them is refused unchecked', async () => {
    const from = '127.0.0.24';
    let release!: () => void;
    checks.hold = new Promise((resolve) => (release = resolve));
    const before = checks.hashes.length;
    const senders = Array.from({ length: 12 }, () => new TcpSender(port, from));
    try {
      await Promise.all(senders.map((s, i) => s.write(`LOGIN pbx guess-${i}\n`)));
      // Ten checks are held running (the address' limit); the other two are refused before theirs, and so is the
      // right password while the ten are still unknown.
      await waitFor('ten checks running', () => checks.running === 10);
      await waitFor('two refusals', () => senders.filter((s) => THROTTLED.test(s.received)).length === 2);
      expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toMatch(THROTTLED);
      expect(checks.running).toBe(10);
    } finally {
      checks.hold = null;
      release();
    }
    const replies = await Promise.all(senders.map((s) => s.waitForReply(/\n/)));
    expect(replies.filter((r) => r === 'ERROR login refused: wrong account or password\n')).toHaveLength(10);
    expect(replies.filter((r) => THROTTLED.test(r))).toHaveLength(2);
    await Promise.all(senders.map((s) => s.end()));
    expect(checks.hashes.length - before).toBe(10);
    // The ten failures hold the address until their window (a minute from the first) is over.
    expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toMatch(THROTTLED);
    t.advance(45_000);
    expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toMatch(THROTTLED);
    t.advance(16_000);
    expect(await tcpLogin(port, from, 'pbx', PASSWORD)).toBe('OK PBX\n');
  });

  it('locks an account name guessed from many addresses, except at addresses that logged in with it before', async () => {
    expect(await tcpLogin(port, '127.0.0.30', 'pbx', PASSWORD)).toBe('OK PBX\n');
    for (let a = 31; a <= 33; a++) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => tcpLogin(port, `127.0.0.${a}`, 'pbx', `guess-${a}-${i}`)));
      for (const reply of replies) expect(reply).toBe('ERROR login refused: wrong account or password\n');
    }
    const before = checks.hashes.length;
    const fresh = await tcpLogin(port, '127.0.0.34', 'pbx', PASSWORD);
    expect(fresh).toMatch(/^ERROR login refused: too many failed logins giving the account "pbx"; try again in \d+ s \(the password was not checked\)\n$/);
    expect((await push(t, basic('pbx', PASSWORD), '127.0.0.34')).status).toBe(429);
    expect(checks.hashes.length).toBe(before);
    // The device that logged in before keeps logging in; another account name is not held by this lock.
    expect(await tcpLogin(port, '127.0.0.30', 'pbx', PASSWORD)).toBe('OK PBX\n');
    expect(await tcpLogin(port, '127.0.0.35', 'billing', PASSWORD)).toBe('ERROR login refused: wrong account or password\n');
    t.advance(10 * 60_000 + 1000);
    expect(await tcpLogin(port, '127.0.0.34', 'pbx', PASSWORD)).toBe('OK PBX\n');
  });
});

describe('a wrong account name and a wrong password cost the same', () => {
  it('checks the password against a hash of the same cost when the account name is wrong', async () => {
    const [, n, r, p, , key] = billingHash.split('$');
    const sameCost = (hash: string) => {
      const parts = hash.split('$');
      return parts.slice(0, 4).join('$') === `scrypt$${n}$${r}$${p}` && Buffer.from(parts[5]!, 'base64').length === Buffer.from(key!, 'base64').length;
    };

    let before = checks.hashes.length;
    expect(await tcpLogin(port, '127.0.0.41', 'nobody', 'guess-1')).toBe('ERROR login refused: wrong account or password\n');
    const unknownAccount = checks.hashes.slice(before);
    before = checks.hashes.length;
    expect(await tcpLogin(port, '127.0.0.41', 'pbx', 'guess-2')).toBe('ERROR login refused: wrong account or password\n');
    const wrongPassword = checks.hashes.slice(before);
    before = checks.hashes.length;
    expect((await push(t, basic('PBX', PASSWORD), '127.0.0.41')).status).toBe(401);
    const unknownOverHttp = checks.hashes.slice(before);

    expect(wrongPassword).toEqual([billingHash]);
    for (const hashes of [unknownAccount, unknownOverHttp]) {
      expect(hashes).toHaveLength(1);
      expect(hashes[0]).not.toBe(billingHash);
      expect(sameCost(hashes[0]!)).toBe(true);
    }
    // The right account name with the right password (even next to a wrong name's stand-in) still passes.
    expect(await t.services.settings.verifyBillingInterface('pbx', PASSWORD)).toBe(true);
    expect(await t.services.settings.verifyBillingInterface('pbx ', PASSWORD)).toBe(false);
  });
});

describe('staff logins are a bucket of their own', () => {
  /** Twenty wrong staff logins (the default address limit) from `where`, each with another user name. */
  const guessStaff = async (where: { address: string }) => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => t.login(`clerk${i}`, 'guess', where)));
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(Array(20).fill('unauthenticated'));
  };

  it('never locks the admin out of the web UI at an address the admin logged in from, nor for billing interface guesses', async () => {
    const office = { address: '127.0.0.44' };
    await t.login('admin', ADMIN_PASSWORD, office);
    // Someone else behind the same address guesses staff accounts until the address is locked for them...
    await guessStaff(office);
    await expect(t.login('clerk99', 'guess', office)).rejects.toMatchObject({ code: 'throttled' });
    // ...but not for the admin, who logged in from there before.
    await expect(t.login('admin', ADMIN_PASSWORD, office)).resolves.toMatchObject({ user: { username: 'admin' } });
    // Nor for the devices there: staff failures are not billing interface failures.
    expect(await tcpLogin(port, office.address, 'pbx', PASSWORD)).toBe('OK PBX\n');

    // Billing interface guesses from an address do not touch the staff login there.
    await Promise.all(Array.from({ length: 10 }, (_, i) => tcpLogin(port, '127.0.0.42', 'pbx', `guess-${i}`)));
    expect(await tcpLogin(port, '127.0.0.42', 'pbx', PASSWORD)).toMatch(THROTTLED);
    await expect(t.login('admin', ADMIN_PASSWORD, { address: '127.0.0.42' })).resolves.toBeTruthy();
  });
});

describe('connections waiting on a login', () => {
  let c: TestEngine;
  let cPort: number;
  beforeAll(async () => {
    c = await startTestEngine({
      http: false,
      cdrListener: { host: '127.0.0.1', port: 0, maxWaitingLoginsPerAddress: 3, maxWaitingLogins: 5, loginDeadlineMs: 2000 },
    });
    const admin = await c.loginAs('admin');
    await c.call('devices.create', beijingDevice({ name: 'PBX', addresses: ['127.0.0.0/8'] }), admin);
    await c.call('settings.update', { billingInterface: { account: 'pbx', password: PASSWORD } }, admin);
    cPort = c.services.cdrListener!.address!.port;
  });
  afterAll(() => c.dispose());

  it('are capped per address and in all, refused at once with a line saying why; logged-in connections keep flowing', async () => {
    const cdrs = () => c.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
    const lines = fixtureLines('asterisk-master.csv');
    const listener = c.services.cdrListener!;
    const loggedIn = new TcpSender(cPort, '127.0.0.50');
    await loggedIn.write(`LOGIN pbx ${PASSWORD}\n`);
    expect(await loggedIn.waitForReply(/\n/)).toBe('OK PBX\n');

    // Logins that never finish their line: three from one address fill its share.
    const stuck = Array.from({ length: 3 }, () => new TcpSender(cPort, '127.0.0.51'));
    await Promise.all(stuck.map((s) => s.write('LOGIN pbx ')));
    await waitFor('three waiting logins', () => listener.waitingLogins === 3);
    const before = checks.hashes.length;
    const fourth = new TcpSender(cPort, '127.0.0.51');
    await fourth.write(`LOGIN pbx ${PASSWORD}\n`);
    expect(await fourth.waitForReply(/\n/)).toBe('ERROR 127.0.0.51 already has 3 connections waiting on a login; try again later\n');
    await fourth.waitClosed();

    // Two more from another address fill the listener's share.
    stuck.push(new TcpSender(cPort, '127.0.0.52'), new TcpSender(cPort, '127.0.0.52'));
    await Promise.all(stuck.slice(3).map((s) => s.write('DEVICE PB')));
    await waitFor('five waiting logins', () => listener.waitingLogins === 5);
    const sixth = new TcpSender(cPort, '127.0.0.53');
    await sixth.write(`LOGIN pbx ${PASSWORD}\n`);
    expect(await sixth.waitForReply(/\n/)).toBe('ERROR 5 connections are waiting on a login; try again later\n');
    await sixth.waitClosed();
    expect(checks.hashes.length).toBe(before);

    // Meanwhile the logged-in connection and a device that sends no preamble are read as ever.
    await loggedIn.write(`${lines[0]}\n${lines[1]}\n${lines[2]}\n`);
    await waitFor('three calls', () => cdrs() === 3);
    const plain = new TcpSender(cPort, '127.0.0.54');
    await plain.write(`${lines[3]}\n`);
    await waitFor('the call of a device without a login', () => cdrs() === 4);
    expect(plain.received).toBe('');

    // The stuck logins run out of time and free their places.
    const refusals = await Promise.all(stuck.map((s) => s.waitForReply(/\n/)));
    for (const r of refusals) expect(r).toBe('ERROR the LOGIN / DEVICE lines were not complete within 2 s of their first byte\n');
    await Promise.all(stuck.map((s) => s.waitClosed()));
    expect(listener.waitingLogins).toBe(0);
    expect(await tcpLogin(cPort, '127.0.0.51', 'pbx', PASSWORD)).toBe('OK PBX\n');
    await loggedIn.write(`${lines[4]}\n`);
    await waitFor('the logged-in connection still read', () => cdrs() === 5);
    await Promise.all([loggedIn.end(), plain.end()]);
  });
});
