import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import { parseMoney } from '../src-shared/domain/money';
import { clockFrom } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup, sampleBase64 } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;
let groupId: number;

beforeAll(async () => {
  // The sample calls are of March 2026 (bills by call date, rerates of March): the engine lives in June 2026.
  t = await startTestEngine({ http: false, now: clockFrom('2026-06-15T10:00:00+08:00') });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  groupId = await createSampleRateGroup(t, clerk);
});
afterAll(() => t.dispose());

interface CdrRow {
  id: number;
  caller: string;
  callee: string;
  status: string;
  status_reason: string | null;
  call_type: string | null;
  normalized: string | null;
  cost: number | null;
  account_id: number | null;
  enterprise_id: number | null;
  user_account_id: number | null;
  gateway_id: number | null;
}

const cdrsOf = (deviceId: number) =>
  t.services.db.prepare('SELECT * FROM cdrs WHERE device_id = ? ORDER BY start_at, id').all(deviceId) as CdrRow[];

async function enterpriseWithUsers(name: string, deviceId: number) {
  const e = await t.call('enterprises.create', { name, rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'opening balance' }, clerk);
  const users: Record<string, number> = {};
  for (const [ext, user] of [['8001', 'Li Wei'], ['8002', 'Zhang Min'], ['8003', 'Wang Fang']] as const) {
    users[ext] = (await t.call('userAccounts.create', { enterpriseId: e.id, name: user, extensions: [{ deviceId, number: ext }] }, clerk)).id;
  }
  return { enterpriseId: e.id, users };
}

describe('charging the sample files', () => {
  it('rates and charges asterisk-master.csv as the worked examples say: 9.8500 in all, each call to its caller', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk Beijing' });
    const { enterpriseId, users } = await enterpriseWithUsers('Sample Enterprise', deviceId);

    const result = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect(result).toMatchObject({ received: 8, stored: 7, rejected: 1, rated: 7, unrated: 0 });

    const rows = cdrsOf(deviceId);
    expect(rows.map((r) => [r.callee, r.normalized, r.call_type, r.cost])).toEqual([
      ['902150001234', '02150001234', 'domestic', 6300],
      ['913800138000', '13800138000', 'local', 2200],
      ['8004', '8004', 'internal', 0],
      ['90044207946000', '0044207946000', 'international', 81000],
      ['962345678', '62345678', 'local', 0],
      ['9110', '110', 'special', 0],
      ['913912345678', '13912345678', 'domestic', 9000],
    ]);
    expect(rows.every((r) => r.status === 'rated' && r.enterprise_id === enterpriseId && r.account_id === enterpriseId)).toBe(true);
    expect(rows.map((r) => r.user_account_id)).toEqual([users['8001'], users['8002'], users['8003'], users['8001'], users['8002'], users['8003'], users['8001']]);

    const e = await t.call('enterprises.get', { id: enterpriseId }, clerk);
    expect(e.balance).toBe('90.1500'); // 100 - 9.8500
    const charges = await t.call('accounts.ledger', { accountId: enterpriseId, kinds: ['charge'], limit: 100 }, clerk);
    expect(charges.rows).toHaveLength(7);
    expect(charges.rows.reduce((sum, r) => sum + Number(r.amount.replace('.', '')), 0)).toBe(-98500);
    const liWei = await t.call('accounts.ledger', { accountId: users['8001']!, limit: 100 }, clerk);
    expect(liWei.rows.map((r) => r.amount).sort()).toEqual(['-0.6300', '-0.9000', '-8.1000']);

    // Importing the same file again changes nothing: no second charge.
    const again = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect(again).toMatchObject({ stored: 0, duplicates: 8 });
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe('90.1500');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it('charges a card number first, then the gateway trunk (Yeastar, numbers after the outbound route)', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Yeastar Beijing', format: 'yeastar' }, false);
    const { enterpriseId, users } = await enterpriseWithUsers('Yeastar Enterprise', deviceId);
    const cardUser = await t.call('userAccounts.create', { enterpriseId, name: 'Card holder', cardNumber: '700123', ownBalance: true }, clerk);
    await t.call('accounts.recharge', { accountId: cardUser.id, amount: '5', reason: 'card sold' }, clerk);
    const gateway = await t.call('gateways.create', { enterpriseId, name: 'Unicom', deviceId, trunk: 'CN-Unicom' }, clerk);

    const result = await t.call('cdrs.import', { deviceId, fileName: 'yeastar-newcdr.jsonl', content: sampleBase64('yeastar-newcdr.jsonl') }, clerk);
    expect(result).toMatchObject({ stored: 4, rated: 4 });
    const rows = cdrsOf(deviceId);
    const byCallee = Object.fromEntries(rows.map((r) => [r.callee, r]));
    // 8001 -> 02150001234 through CN-Unicom: the gateway pays (from the enterprise balance), 0.6300.
    expect(byCallee['02150001234']).toMatchObject({ cost: 6300, gateway_id: gateway.id, account_id: enterpriseId, user_account_id: null });
    // 8002 -> 13800138000 with card 700123: the card's user pays from its own balance, 0.2200.
    expect(byCallee['13800138000']).toMatchObject({ cost: 2200, user_account_id: cardUser.id, account_id: cardUser.id, gateway_id: null });
    // 8003 -> 8004, no trunk: the calling extension's user, free.
    expect(byCallee['8004']).toMatchObject({ cost: 0, call_type: 'internal', user_account_id: users['8003'] });
    expect((await t.call('userAccounts.get', { id: cardUser.id }, clerk)).balance).toBe('4.7800');
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe('99.3700');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it("falls back to the device's default enterprise, and leaves a call nobody pays for unrated with the reason", async () => {
    const orphanDevice = await createSampleDevice(t, clerk, { name: 'No default' });
    await t.call('cdrs.import', { deviceId: orphanDevice, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    const orphans = cdrsOf(orphanDevice);
    expect(orphans.every((r) => r.status === 'unrated' && r.cost === null)).toBe(true);
    expect(JSON.parse(orphans[0]!.status_reason!)).toMatchObject({ key: 'charging.noPayer' });

    const e = await t.call('enterprises.create', { name: 'Default payer', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    const deviceId = await createSampleDevice(t, clerk, { name: 'With default', defaultEnterpriseId: e.id });
    await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    const rows = cdrsOf(deviceId);
    expect(rows.every((r) => r.status === 'rated' && r.enterprise_id === e.id && r.user_account_id === null)).toBe(true);
    const postpaid = await t.call('enterprises.get', { id: e.id }, clerk);
    expect(postpaid).toMatchObject({ balance: '-9.8500', alertState: 'ok', status: 'active' });
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});

describe('the unrated queue and charging again', () => {
  it('groups unrated CDRs by reason and charges them after the fix', async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Queue device' });
    await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    const queue = await t.call('cdrs.unrated', { deviceId, limit: 3 }, clerk);
    const group = queue.groups.find((g) => g.key === 'charging.noPayer')!;
    expect(group.devices).toContainEqual({ deviceId, count: 7 });
    expect(queue.rows).toHaveLength(3);
    expect(queue.rows[0]!.reason.key).toBe('charging.noPayer');
    const next = await t.call('cdrs.unrated', { deviceId, limit: 10, cursor: queue.nextCursor! }, clerk);
    expect(new Set([...queue.rows, ...next.rows].map((r) => r.id)).size).toBe(7);

    // The fix: the device gets a default enterprise. Then the queue is charged again.
    const e = await t.call('enterprises.create', { name: 'Queue payer', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    await t.call('devices.update', { id: deviceId, defaultEnterpriseId: e.id }, clerk);
    const result = await t.call('cdrs.chargeUnrated', { deviceId }, clerk);
    expect(result).toEqual({ examined: 7, rated: 7, stillUnrated: 0 });
    expect((await t.call('cdrs.unrated', { deviceId, limit: 10 }, clerk)).rows).toEqual([]);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('-9.8500');
    // Charging again never charges twice.
    expect(await t.call('cdrs.chargeUnrated', { deviceId }, clerk)).toEqual({ examined: 0, rated: 0, stillUnrated: 0 });
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it("reprocessing a whole device after its fix reads its rejects again and charges its unrated CDRs", async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Reprocessed device' });
    const imported = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect(imported).toMatchObject({ stored: 7, rejected: 1, unrated: 7 });

    const e = await t.call('enterprises.create', { name: 'Reprocess payer', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    await t.call('devices.update', { id: deviceId, defaultEnterpriseId: e.id }, clerk);
    const result = await t.call('cdrs.reprocess', { deviceId }, clerk);
    expect(result).toMatchObject({ total: 1, stored: 0, stillRejected: 1, unrated: { examined: 7, rated: 7, stillUnrated: 0 } });
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('-9.8500');
    const log = t.services.db.prepare("SELECT summary FROM operation_log WHERE method = 'cdrs.reprocess' ORDER BY id DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(log)).toMatchObject({ total: 1, stillRejected: 1, unrated: { examined: 7, rated: 7, stillUnrated: 0 } });
    // Selected rejects alone leave the unrated queue to cdrs.chargeUnrated.
    const rejectId = (await t.call('cdrs.rejects', { deviceId, limit: 1 }, clerk)).rows[0]!.id;
    expect(await t.call('cdrs.reprocess', { ids: [rejectId] }, clerk)).not.toHaveProperty('unrated');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});

describe('rerating', () => {
  it('previews the difference of a rate change, applies exactly that as rerate entries, and never edits past entries', async () => {
    const group = await createSampleRateGroup(t, clerk, 'Rerated rates');
    const e = await t.call('enterprises.create', { name: 'Rerated Co', rateGroupId: group, billingMode: 'prepaid' }, clerk);
    await t.call('accounts.recharge', { accountId: e.id, amount: '50', reason: 'start' }, clerk);
    const deviceId = await createSampleDevice(t, clerk, { name: 'Rerate device', defaultEnterpriseId: e.id });
    await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('40.1500');
    const chargesBefore = t.services.db.prepare('SELECT * FROM ledger WHERE account_id = ? ORDER BY id').all(e.id);

    // Domestic calls now cost 0.60 per minute: rows 1 (126 s: 0.63 -> 1.26) and 8 (180 s: 0.90 -> 1.80) change.
    const domestic = (await t.call('rates.list', { rateGroupId: group }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    const period = { from: '2026-03-01T00:00:00+08:00', to: '2026-03-03T00:00:00+08:00', enterpriseId: e.id, reason: 'domestic price raised' };
    const preview = await t.call('cdrs.rerate', period, clerk);
    expect(preview).toMatchObject({ applied: false, examined: 7, changed: 2, unpriceable: 0, difference: '1.5300' });
    expect(preview.byAccount).toEqual([{ accountId: e.id, name: 'Rerated Co', cdrs: 2, difference: '1.5300' }]);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('40.1500');

    const applied = await t.call('cdrs.rerate', { ...period, preview: false }, clerk);
    expect({ ...applied, applied: false }).toEqual(preview);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('38.6200');
    const rerates = await t.call('accounts.ledger', { accountId: e.id, kinds: ['rerate'], limit: 10 }, clerk);
    expect(rerates.rows.map((r) => r.amount).sort()).toEqual(['-0.6300', '-0.9000']);
    expect(rerates.rows.every((r) => r.reason === 'domestic price raised' && r.operator === 'clerk1')).toBe(true);
    // The earlier entries are untouched; the CDRs carry their new prices.
    expect(t.services.db.prepare('SELECT * FROM ledger WHERE account_id = ? AND id <= ? ORDER BY id').all(e.id, (chargesBefore.at(-1) as { id: number }).id)).toEqual(chargesBefore);
    const costs = t.services.db.prepare('SELECT cost FROM cdrs WHERE device_id = ? ORDER BY start_at').pluck().all(deviceId);
    expect(costs).toEqual([12600, 2200, 0, 81000, 0, 0, 18000]);
    // Rerating again finds nothing to change.
    expect(await t.call('cdrs.rerate', { ...period, preview: false }, clerk)).toMatchObject({ changed: 0, difference: '0.0000' });
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it('writes a difference to the enterprise when the user it was charged to no longer holds a balance of its own', async () => {
    const group = await createSampleRateGroup(t, clerk, 'Own balance rates');
    const e = await t.call('enterprises.create', { name: 'Shared Again Co', rateGroupId: group, billingMode: 'prepaid' }, clerk);
    await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'start' }, clerk);
    const deviceId = await createSampleDevice(t, clerk, { name: 'Own balance device' });
    const user = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Sun Qiang', ownBalance: true, extensions: [{ deviceId, number: '8001' }] }, clerk);
    await t.call('accounts.recharge', { accountId: user.id, amount: '20', reason: 'own card' }, clerk);
    await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    // 8001's calls: 0.63 + 8.10 + 0.90 from its own 20.00.
    expect((await t.call('userAccounts.get', { id: user.id }, clerk)).balance).toBe('10.3700');
    // Moving it to another enterprise with money on its own balance is refused: the money would change books.
    const other = await t.call('enterprises.create', { name: 'Elsewhere Co', rateGroupId: group, billingMode: 'prepaid' }, clerk);
    await expect(t.call('userAccounts.update', { id: user.id, enterpriseId: other.id }, clerk)).rejects.toMatchObject({ code: 'conflict', details: { fields: { enterpriseId: ['own balance is not 0'] } } });
    await t.call('accounts.adjust', { accountId: user.id, amount: '-10.37', reason: 'balance paid out' }, clerk);
    await t.call('userAccounts.update', { id: user.id, ownBalance: false }, clerk);

    const domestic = (await t.call('rates.list', { rateGroupId: group }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    const applied = await t.call('cdrs.rerate', { from: '2026-03-01T00:00:00+08:00', to: '2026-03-03T00:00:00+08:00', deviceId, reason: 'raised', preview: false }, clerk);
    expect(applied).toMatchObject({ changed: 2, difference: '1.5300' });
    // The user's old balance stays at 0; the enterprise it draws on now takes the difference.
    expect(t.services.db.prepare('SELECT balance FROM accounts WHERE id = ?').pluck().get(user.id)).toBe(0);
    const rerates = t.services.db.prepare("SELECT account_id, charged_account_id, amount FROM ledger WHERE kind = 'rerate' AND charged_account_id = ?").all(user.id);
    expect(rerates).toEqual([
      { account_id: e.id, charged_account_id: user.id, amount: -6300 },
      { account_id: e.id, charged_account_id: user.id, amount: -9000 },
    ]);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

  it("prices past calls with the rate group of the enterprise that made them, after their user moved to another enterprise", async () => {
    const deviceId = await createSampleDevice(t, clerk, { name: 'Moving user device' });
    const { enterpriseId, users } = await enterpriseWithUsers('Old Home Co', deviceId);
    await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe('90.1500');

    // Li Wei (8001, two domestic calls) moves to an enterprise whose domestic calls cost twice as much.
    const dearer = await createSampleRateGroup(t, clerk, 'Dearer rates');
    const domestic = (await t.call('rates.list', { rateGroupId: dearer }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    const newHome = await t.call('enterprises.create', { name: 'New Home Co', rateGroupId: dearer, billingMode: 'postpaid' }, clerk);
    await t.call('userAccounts.update', { id: users['8001']!, enterpriseId: newHome.id }, clerk);
    // The old enterprise's statement of the calls' month still names Li Wei among the users whose calls it paid, and
    // its lines add up (bills are by call date: the sample file's calls are of March 2026).
    const zone = (await t.call('stats.settings', {}, clerk)).timeZone;
    const bill = await t.call('bills.get', { enterpriseId, month: calendarOf(zone).monthOf(Date.parse('2026-03-02T12:00:00+08:00')) }, clerk);
    expect(bill.chargesByUser.find((u) => u.accountId === users['8001'])).toMatchObject({ name: 'Li Wei', calls: 3, amount: '9.6300' });
    const lines = [...bill.chargesByUser, ...bill.chargesByGateway, bill.chargesToEnterprise].reduce((sum, l) => sum + parseMoney(l.amount), 0);
    expect(lines).toBe(-parseMoney(bill.movements.charges));

    const period = { from: '2026-03-01T00:00:00+08:00', to: '2026-03-03T00:00:00+08:00', deviceId, reason: 'check' };
    const rerun = await t.call('cdrs.rerate', { ...period, preview: false }, clerk);
    expect(rerun).toMatchObject({ examined: 7, changed: 0, difference: '0.0000' });
    expect(t.services.db.prepare('SELECT COUNT(*) FROM ledger WHERE kind = ? AND account_id IN (?, ?)').pluck().get('rerate', enterpriseId, newHome.id)).toBe(0);
    // A price change of the old enterprise's group still reaches the calls Li Wei made there.
    const oldDomestic = (await t.call('rates.list', { rateGroupId: groupId }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: oldDomestic.id, intervals: [{ start: 0, price: '0.45', unit: 60, increment: 6 }] }, clerk);
    try {
      const preview = await t.call('cdrs.rerate', period, clerk);
      // Li Wei's domestic calls: 126 s, 0.63 -> 0.945, and 180 s, 0.90 -> 1.35.
      expect(preview).toMatchObject({ changed: 2, difference: '0.7650' });
      expect(preview.byAccount).toEqual([{ accountId: users['8001'], name: 'Li Wei', cdrs: 2, difference: '0.7650' }]);
    } finally {
      await t.call('rates.update', { id: oldDomestic.id, intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] }, clerk);
    }
  });
});
