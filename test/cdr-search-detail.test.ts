import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup, sampleBase64 } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;
let groupId: number;
let deviceId: number;
let enterpriseId: number;
const users: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  groupId = await createSampleRateGroup(t, clerk);
  deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk Beijing' });
  enterpriseId = (await t.call('enterprises.create', { name: 'Sample Enterprise', rateGroupId: groupId, billingMode: 'prepaid' }, clerk)).id;
  await t.call('accounts.recharge', { accountId: enterpriseId, amount: '100', reason: 'opening balance' }, clerk);
  // 8003 has no user: its calls wait unrated (no payer) until it gets one.
  for (const [ext, name] of [['8001', 'Li Wei'], ['8002', 'Zhang Min']] as const) {
    users[ext] = (await t.call('userAccounts.create', { enterpriseId, name, extensions: [{ deviceId, number: ext }] }, clerk)).id;
  }
  const result = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
  expect(result).toMatchObject({ stored: 7, rated: 5, unrated: 2 });
}, 60_000);
afterAll(() => t.dispose());

const findCdr = async (callee: string) => (await t.call('cdrs.search', { deviceId, callee, limit: 1 }, clerk)).rows[0]!;

describe('cdrs.get', () => {
  it('explains a rated call: payer, normalization, call type, rate, billed seconds per interval, cost, ledger entry', async () => {
    const row = await findCdr('902150001234');
    const cdr = await t.call('cdrs.get', { id: row.id }, clerk);
    expect(cdr).toMatchObject({
      caller: '8001',
      callee: '902150001234',
      normalized: '02150001234',
      callType: 'domestic',
      status: 'rated',
      cost: '0.6300',
      userAccountName: 'Li Wei',
      enterpriseName: 'Sample Enterprise',
      deviceName: 'Asterisk Beijing',
      format: 'asterisk-csv',
      source: { kind: 'import', name: 'asterisk-master.csv', line: 1 },
    });
    expect(cdr.raw).toContain('"902150001234"');
    const x = cdr.explanation;
    expect(x).toMatchObject({
      matchesStored: true,
      differences: [],
      rated: true,
      cost: '0.6300',
      billedSeconds: 126,
      rate: { name: 'domestic' },
      payer: { accountId: users['8001'], accountName: 'Li Wei', kind: 'user', enterpriseName: 'Sample Enterprise', rateGroupId: groupId },
    });
    expect(x.payer!.why.key).toBe('charging.payerExtension');
    expect(x.classification!.steps.map((s) => s.key)).toEqual(expect.arrayContaining(['route.stripped', 'national.trunkPrefix', 'callType.domestic']));
    expect(x.intervals).toEqual([expect.objectContaining({ seconds: 122, billedSeconds: 126, price: '0.3000', unit: 60, increment: 6, amount: '0.6300' })]);
    expect(cdr.ledger).toEqual([expect.objectContaining({ kind: 'charge', amount: '-0.6300', accountId: enterpriseId, chargedAccountId: users['8001'] })]);
  });

  it('says when the configuration changed since the call was charged, and shows the rerate entry once applied', async () => {
    const row = await findCdr('902150001234');
    const domestic = (await t.call('rates.list', { rateGroupId: groupId }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    const changed = await t.call('cdrs.get', { id: row.id }, clerk);
    expect(changed.cost).toBe('0.6300');
    expect(changed.stored.cost).toBe('0.6300');
    expect(changed.explanation).toMatchObject({ matchesStored: false, differences: ['cost'], cost: '1.2600' });

    const period = { from: '2026-03-01T00:00:00+08:00', to: '2026-03-03T00:00:00+08:00', reason: 'domestic price corrected' };
    await t.call('cdrs.rerate', { ...period, preview: false }, clerk);
    const rerated = await t.call('cdrs.get', { id: row.id }, clerk);
    expect(rerated.cost).toBe('1.2600');
    expect(rerated.explanation).toMatchObject({ matchesStored: true, differences: [] });
    expect(rerated.ledger.map((l) => [l.kind, l.amount])).toEqual([
      ['charge', '-0.6300'],
      ['rerate', '-0.6300'],
    ]);
  });

  it('explains an unrated call: why no one pays, with the number still classified; and that a fix would rate it now', async () => {
    const row = await findCdr('8004'); // from 8003, whose extension has no user
    const cdr = await t.call('cdrs.get', { id: row.id }, clerk);
    expect(cdr).toMatchObject({ status: 'unrated', cost: null, statusReason: { key: 'charging.noPayer' }, stored: { status: 'unrated', cost: null } });
    expect(cdr.explanation).toMatchObject({ payer: null, rated: false, reason: { key: 'charging.noPayer' }, matchesStored: true });
    expect(cdr.explanation.classification!.callType).toBe('internal');
    expect(cdr.ledger).toEqual([]);

    await t.call('userAccounts.create', { enterpriseId, name: 'Wang Fang', extensions: [{ deviceId, number: '8003' }] }, clerk);
    const fixed = await t.call('cdrs.get', { id: row.id }, clerk);
    expect(fixed.status).toBe('unrated');
    expect(fixed.explanation).toMatchObject({ rated: true, matchesStored: false, differences: ['status'], payer: { accountName: 'Wang Fang' } });
  });

  it('answers 404 for a CDR that does not exist', async () => {
    await expect(t.call('cdrs.get', { id: 999_999 }, clerk)).rejects.toMatchObject({ code: 'not_found' });
  });
});
