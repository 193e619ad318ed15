/**
 * One write per call: a CDR is priced before it is stored and inserted once with its rated columns (or as unrated with
 * its reason); the common path never updates a cdrs row. A persistent trigger on the database file counts every
 * UPDATE of cdrs, whichever connection makes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup, sampleBase64 } from './helpers/sample-billing';
import { fixtureLines } from './ingest-helpers';

let t: TestEngine;
let clerk: string;
let groupId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false, now: clockFrom('2026-06-15T10:00:00+08:00') });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  groupId = await createSampleRateGroup(t, clerk);
  t.services.db.exec(`
    CREATE TABLE cdr_updates (cdr_id INTEGER NOT NULL, old_status TEXT, new_status TEXT);
    CREATE TRIGGER cdr_updates_count AFTER UPDATE ON cdrs
    BEGIN INSERT INTO cdr_updates VALUES (old.id, old.status, new.status); END;`);
});
afterAll(() => t.dispose());

const updates = () => t.services.db.prepare('SELECT COUNT(*) FROM cdr_updates').pluck().get() as number;
const balanceOf = async (id: number) => (await t.call('enterprises.get', { id }, clerk)).balance;

describe('one write per call', () => {
  it('stores every call of a file rated, charged and counted without updating a CDR row', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk one write' });
    const e = await t.call('enterprises.create', { name: 'One Write Ltd', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
    await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'opening balance' }, clerk);
    await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Li Wei', extensions: [{ deviceId, number: '8001' }] }, clerk);
    await t.call('devices.update', { id: deviceId, defaultEnterpriseId: e.id }, clerk);
    const before = updates();

    const result = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect(result).toMatchObject({ stored: 7, rated: 7, unrated: 0 });
    expect(updates()).toBe(before);
    expect(await balanceOf(e.id)).toBe('90.1500');
    const rows = t.services.db
      .prepare('SELECT status, cost, rated_at, account_id FROM cdrs WHERE device_id = ?')
      .all(deviceId) as { status: string; cost: number; rated_at: number; account_id: number }[];
    expect(rows.every((r) => r.status === 'rated' && r.rated_at > 0 && r.account_id === e.id)).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.cost, 0)).toBe(98_500);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
  });

  it('stores a call nobody pays for as unrated with its reason, in one write, and charges it by id once it has a payer', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk nobody pays' });
    const before = updates();
    const result = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect(result).toMatchObject({ stored: 7, rated: 0, unrated: 7 });
    expect(updates()).toBe(before);
    const reasons = t.services.db
      .prepare("SELECT DISTINCT json_extract(status_reason, '$.key') FROM cdrs WHERE device_id = ?")
      .pluck()
      .all(deviceId);
    expect(reasons).toEqual(['charging.noPayer']);

    // After the fix, charging again is the path that updates the stored rows: each exactly once, to rated.
    const e = await t.call('enterprises.create', { name: 'Late Payer Ltd', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    await t.call('devices.update', { id: deviceId, defaultEnterpriseId: e.id }, clerk);
    const again = await t.call('cdrs.chargeUnrated', { deviceId }, clerk);
    expect(again.rated).toBe(7);
    const changed = t.services.db
      .prepare('SELECT old_status, new_status, COUNT(*) AS n FROM cdr_updates WHERE rowid > ? GROUP BY 1, 2')
      .all(before);
    expect(changed).toEqual([{ old_status: 'unrated', new_status: 'rated', n: 7 }]);
    expect(await balanceOf(e.id)).toBe('-9.8500');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
  });

  it('prices each call of one batch by its own payer, and charges a call met twice in the batch once', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk one batch' });
    const e = await t.call('enterprises.create', { name: 'One Batch Ltd', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    const liWei = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Li Wei', extensions: [{ deviceId, number: '8001' }] }, clerk);
    const card = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Card holder', cardNumber: '700123', ownBalance: true }, clerk);
    await t.call('accounts.recharge', { accountId: card.id, amount: '5', reason: 'card sold' }, clerk);
    // The same extension calls twice in one file: once with a card number in the account code, once without.
    const [first] = fixtureLines('asterisk-master.csv');
    const withCard = first!.replace('"ent-a"', '"700123"').replace(/2026-03-02 09:/g, '2026-03-02 11:');
    const file = Buffer.from(`${first}\n${withCard}\n${first}\n`).toString('base64');

    const result = await t.call('cdrs.import', { deviceId, fileName: 'mixed.csv', content: file }, clerk);
    expect(result).toMatchObject({ received: 3, stored: 2, duplicates: 1, rated: 2 });
    const rows = t.services.db
      .prepare('SELECT user_account_id, account_id, cost FROM cdrs WHERE device_id = ? ORDER BY start_at')
      .all(deviceId);
    expect(rows).toEqual([
      { user_account_id: liWei.id, account_id: e.id, cost: 6300 },
      { user_account_id: card.id, account_id: card.id, cost: 6300 },
    ]);
    expect(t.services.db.prepare("SELECT COUNT(*) FROM ledger l JOIN cdrs c ON c.id = l.cdr_id WHERE c.device_id = ? AND l.kind = 'charge'").pluck().get(deviceId)).toBe(2);
    expect(await balanceOf(e.id)).toBe('-0.6300');
    expect((await t.call('userAccounts.get', { id: card.id }, clerk)).balance).toBe('4.3700');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});
