import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AUTHORIZED_SECONDS } from '../src-main/accounts/authorize';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';

let t: TestEngine;
let admin: string;
let clerk: string;
let deviceId: number;
let groupId: number;
let prepaidId: number;
let liWeiId: number;
const PASSWORD = 'Authorize-Secret-1';
const goodAuth = `Basic ${Buffer.from(`pbx:${PASSWORD}`).toString('base64')}`;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

function authorize(query: Record<string, string>, auth: string | null = goodAuth): Promise<Reply> {
  const url = new URL('/cdr/authorize', t.http!.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: auth ? { Authorization: auth } : {} }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });
}

/** The same question POSTed as a form (the PIN stays out of the URL). */
function authorizeByForm(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<Reply> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(new URL('/cdr/authorize', t.http!.url), { method: 'POST', headers: { Authorization: goodAuth, 'Content-Type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ask = (caller: string, callee: string, extra: Record<string, string> = {}) =>
  authorize({ device: 'Beijing HQ', caller, callee, ...extra });

beforeAll(async () => {
  t = await startTestEngine({ cdrListener: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('settings.update', { billingInterface: { account: 'pbx', password: PASSWORD } }, admin);
  groupId = await createSampleRateGroup(t, clerk);
  deviceId = await createSampleDevice(t, clerk);
  prepaidId = (await t.call('enterprises.create', { name: 'Prepaid Co', rateGroupId: groupId, billingMode: 'prepaid' }, clerk)).id;
  await t.call('accounts.recharge', { accountId: prepaidId, amount: '10', reason: 'opening balance' }, clerk);
  liWeiId = (await t.call('userAccounts.create', { enterpriseId: prepaidId, name: 'Li Wei', extensions: [{ deviceId, number: '8001' }] }, clerk)).id;
});
afterAll(() => t.dispose());

describe('GET /cdr/authorize for a prepaid balance', () => {
  it('allows a domestic call for the seconds 10.00 covers at 0.30 per minute in 6 s steps: 1998 s', async () => {
    // 0.30 / 60 s in 6 s steps = 0.03 a step; 10.00 pays 333 steps (9.99) = 1998 s; a 334th step would cost 10.02.
    const r = await ask('8001', '902150001234');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      allowed: true,
      reason: 'prepaid',
      maxSeconds: 1998,
      callType: 'domestic',
      normalized: '02150001234',
      rate: { name: 'domestic', prefix: '' },
      payer: { accountId: liWeiId, kind: 'user', name: 'Li Wei', via: 'extension', balanceAccountId: prepaidId, billingMode: 'prepaid', balance: '10.0000', available: '10.0000' },
    });
  });

  it('counts the credit limit, the first interval and the connect fee', async () => {
    // local: 0.22 for the first 180 s, then 0.11 a minute: 0.22 + 88 x 0.11 = 9.90 <= 10.00 -> 180 + 88 x 60 = 5460 s.
    expect((await ask('8001', '913800138000')).body).toMatchObject({ allowed: true, callType: 'local', maxSeconds: 5460 });
    // UK: 0.10 connect fee + 0.80 a minute: 0.10 + 12 x 0.80 = 9.70 <= 10.00 -> 720 s.
    expect((await ask('8001', '90044207946000')).body).toMatchObject({ allowed: true, callType: 'international', maxSeconds: 720, rate: { name: 'UK', prefix: '44' } });
    // A credit limit of 5.00 adds to what may be spent: 15.00 / 0.03 = 500 steps = 3000 s.
    await t.call('enterprises.update', { id: prepaidId, creditLimit: '5' }, clerk);
    expect((await ask('8001', '902150001234')).body).toMatchObject({ allowed: true, maxSeconds: 3000, payer: { available: '15.0000' } });
    await t.call('enterprises.update', { id: prepaidId, creditLimit: '0' }, clerk);
  });

  it('does not limit free calls (internal, special) and caps what a large balance covers at a day', async () => {
    expect((await ask('8001', '8004')).body).toMatchObject({ allowed: true, reason: 'freeRate', unlimited: true, callType: 'internal' });
    expect((await ask('8001', '9110')).body).toMatchObject({ allowed: true, reason: 'freeRate', unlimited: true, callType: 'special' });
    expect((await ask('8001', '8004')).body.maxSeconds).toBeUndefined();
    const rich = await t.call('enterprises.create', { name: 'Rich Co', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
    await t.call('accounts.recharge', { accountId: rich.id, amount: '100000', reason: 'big' }, clerk);
    await t.call('userAccounts.create', { enterpriseId: rich.id, name: 'Rich user', extensions: [{ deviceId, number: '8070' }] }, clerk);
    expect((await ask('8070', '902150001234')).body).toMatchObject({ allowed: true, maxSeconds: MAX_AUTHORIZED_SECONDS });
  });

  it('refuses a frozen enterprise, a frozen user, an exhausted balance, and a balance below the first step', async () => {
    await t.call('accounts.freeze', { accountId: prepaidId, reason: 'unpaid' }, clerk);
    expect((await ask('8001', '902150001234')).body).toMatchObject({ allowed: false, reason: 'frozen', payer: { name: 'Li Wei' } });
    await t.call('accounts.unfreeze', { accountId: prepaidId, reason: 'paid' }, clerk);
    await t.call('accounts.freeze', { accountId: liWeiId, reason: 'left the company' }, clerk);
    expect((await ask('8001', '902150001234')).body).toMatchObject({ allowed: false, reason: 'frozen', message: 'Li Wei is frozen.' });
    await t.call('accounts.unfreeze', { accountId: liWeiId, reason: 'back' }, clerk);

    const poor = await t.call('enterprises.create', { name: 'Poor Co', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
    await t.call('userAccounts.create', { enterpriseId: poor.id, name: 'Poor user', extensions: [{ deviceId, number: '8050' }] }, clerk);
    await t.call('accounts.adjust', { accountId: poor.id, amount: '-0.01', reason: 'spent' }, clerk);
    expect((await ask('8050', '902150001234')).body).toMatchObject({ allowed: false, reason: 'exhausted', payer: { balance: '-0.0100' } });
    await t.call('accounts.adjust', { accountId: poor.id, amount: '0.03', reason: 'top up' }, clerk);
    expect((await ask('8050', '902150001234')).body).toMatchObject({ allowed: false, reason: 'insufficientBalance' });
    // Free calls need no money.
    expect((await ask('8050', '8004')).body).toMatchObject({ allowed: true, reason: 'freeRate' });
  });

  it('refuses a prepaid call that cannot be priced, and a caller nobody pays for', async () => {
    expect((await ask('8001', '90999')).body).toMatchObject({ allowed: false, reason: 'notRated', callType: 'unknown' });
    expect((await ask('8999', '902150001234')).body).toMatchObject({ allowed: false, reason: 'noPayer', callType: 'domestic' });
  });
});

describe('GET /cdr/authorize for cards and postpaid accounts', () => {
  it('charges a card with its PIN to its own balance; a wrong or missing PIN and an unknown card refuse', async () => {
    const card = await t.call('userAccounts.create', { enterpriseId: prepaidId, name: 'Card holder', cardNumber: '700123', pin: '4321', ownBalance: true }, clerk);
    await t.call('accounts.recharge', { accountId: card.id, amount: '5', reason: 'card sold' }, clerk);
    // 5.00 / 0.03 = 166 steps (4.98) = 996 s, wherever it is dialled from.
    expect((await ask('8999', '902150001234', { card: '700123', pin: '4321' })).body).toMatchObject({
      allowed: true,
      maxSeconds: 996,
      payer: { accountId: card.id, via: 'card', balanceAccountId: card.id, balance: '5.0000' },
    });
    expect((await ask('8001', '902150001234', { card: '700123', pin: '1111' })).body).toMatchObject({ allowed: false, reason: 'wrongPin' });
    expect((await ask('8001', '902150001234', { card: '700123' })).body).toMatchObject({ allowed: false, reason: 'wrongPin', message: 'Card 700123 needs its PIN (pin=).' });
    expect((await ask('8001', '902150001234', { card: '799999', pin: '4321' })).body).toMatchObject({ allowed: false, reason: 'unknownCard' });
    // The refusals said nothing about the balance behind the card.
    expect((await ask('8001', '902150001234', { card: '700123', pin: '1111' })).body.payer).toBeUndefined();
    // The same as a form, with the PIN out of the URL; an invalid PIN is not repeated in the answer.
    const byForm = await authorizeByForm({ device: 'Beijing HQ', caller: '8999', callee: '902150001234', card: '700123', pin: '4321' });
    expect(byForm).toMatchObject({ status: 200, body: { allowed: true, maxSeconds: 996, payer: { via: 'card' } } });
    const badPin = await authorizeByForm({ device: 'Beijing HQ', caller: '8999', callee: '902150001234', card: '700123', pin: '43x1-secret' });
    expect(badPin.status).toBe(400);
    expect(JSON.stringify(badPin.body)).not.toContain('43x1-secret');
    expect((await authorizeByForm({ device: 'Beijing HQ' }, 'application/json')).status).toBe(415);
  });

  it('locks a card after 5 wrong PINs, even for the right one', async () => {
    await t.call('userAccounts.create', { enterpriseId: prepaidId, name: 'Guessed', cardNumber: '700555', pin: '2468' }, clerk);
    for (let i = 0; i < 5; i++) expect((await ask('8001', '902150001234', { card: '700555', pin: `000${i}` })).body.reason).toBe('wrongPin');
    expect((await ask('8001', '902150001234', { card: '700555', pin: '2468' })).body).toMatchObject({ allowed: false, reason: 'pinLocked' });
  });

  it('counts parallel guesses: of 12 wrong PINs sent at once only 5 are checked, the rest find the card locked', async () => {
    await t.call('userAccounts.create', { enterpriseId: prepaidId, name: 'Raced', cardNumber: '700556', pin: '8642' }, clerk);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => ask('8001', '902150001234', { card: '700556', pin: `11${String(i).padStart(2, '0')}` })));
    const reasons = answers.map((a) => a.body.reason);
    expect(reasons.filter((r) => r === 'wrongPin')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'pinLocked')).toHaveLength(7);
  });

  it('does not limit postpaid accounts, and says so', async () => {
    const post = await t.call('enterprises.create', { name: 'Postpaid Co', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    await t.call('accounts.adjust', { accountId: post.id, amount: '-500', reason: 'last month' }, clerk);
    const other = await createSampleDevice(t, clerk, { name: 'Postpaid PBX', defaultEnterpriseId: post.id });
    const r = await authorize({ device: String(other), caller: '8001', callee: '902150001234' });
    expect(r.body).toMatchObject({ allowed: true, reason: 'postpaid', unlimited: true, payer: { via: 'deviceDefault', billingMode: 'postpaid', balance: '-500.0000' } });
    expect(r.body.maxSeconds).toBeUndefined();
  });
});

describe('GET /cdr/authorize refusals before the question', () => {
  it('refuses bad credentials (401 with a challenge), an unknown device (404) and missing parameters (400)', async () => {
    const wrong = await authorize({ device: 'Beijing HQ', caller: '8001', callee: '902150001234' }, `Basic ${Buffer.from('pbx:nope').toString('base64')}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm="billing interface"/);
    expect(wrong.body).toMatchObject({ allowed: false, reason: 'unauthenticated', error: { code: 'unauthenticated', message: 'Wrong billing interface account or password.' } });
    expect((await authorize({ device: 'Beijing HQ', caller: '8001', callee: '1' }, null)).status).toBe(401);

    const unknown = await authorize({ device: 'Nowhere', caller: '8001', callee: '902150001234' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ allowed: false, reason: 'not_found', error: { message: 'Refused: there is no enabled device "Nowhere".' } });

    const missing = await authorize({ device: 'Beijing HQ', caller: '8001' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ allowed: false, error: { details: { fields: { callee: ['is required'] } } } });
    const pinWithoutCard = await authorize({ device: 'Beijing HQ', caller: '8001', callee: '8004', pin: '1234' });
    expect(pinWithoutCard.status).toBe(400);
  });

  it('refuses a device that does not accept requests from this address', async () => {
    await createSampleDevice(t, clerk, { name: 'Remote PBX', addresses: ['10.1.2.3'] }, false);
    const r = await authorize({ device: 'Remote PBX', caller: '8001', callee: '8004' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ allowed: false, reason: 'forbidden' });
  });

  it('writes nothing: the ledger still checks and no CDR was stored', async () => {
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get()).toBe(0);
  });

  // Last: turning the interface back on would check that its TCP port is free, which other test files may hold.
  it('answers 503 while the billing interface is turned off', async () => {
    await t.call('settings.update', { billingInterface: { enabled: false } }, admin);
    const r = await ask('8001', '8004');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ allowed: false, reason: 'unavailable' });
  });
});
