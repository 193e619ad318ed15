/**
 * One call, one charge for Cisco CUCM through a real engine. A consultative transfer (Cisco's CDR definition,
 * "Transfer with Consultation") is written as three records, each of its own stretch of talk: each is charged once,
 * to its own caller, for its own time, and importing the file again charges nothing. A recording or monitoring call
 * is linked to the call it records by either of that call's leg ids, and never charged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { fixture } from './ingest-helpers';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;
let groupId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  groupId = await createSampleRateGroup(t, clerk);
});
afterAll(() => t.dispose());

interface Row {
  id: number;
  native_id: string;
  caller: string;
  callee: string;
  status: string;
  status_reason: string | null;
  cost: number | null;
  user_account_id: number | null;
  leg_role: string | null;
  leg_call_id: string | null;
  leg_billed: number | null;
}

const rowsOf = (deviceId: number) =>
  t.services.db.prepare('SELECT * FROM cdrs WHERE device_id = ? ORDER BY id').all(deviceId) as Row[];
const balanceOf = async (enterpriseId: number) => (await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance;
const chargesOf = async (accountId: number) =>
  (await t.call('accounts.ledger', { accountId, kinds: ['charge'], limit: 100 }, clerk)).rows.map((r) => r.amount).sort();
const importFile = (deviceId: number, name: string) =>
  t.call('cdrs.import', { deviceId, fileName: name, content: Buffer.from(fixture(name)).toString('base64') }, clerk);

let seq = 0;
/** A CUCM device of the README's Beijing numbering plan and an enterprise whose users own 8001, 8002 and 8005. */
async function cucmSetUp() {
  const name = `CUCM ${++seq}`;
  const deviceId = await createSampleDevice(t, clerk, { name, format: 'cucm' });
  const e = await t.call('enterprises.create', { name: `${name} enterprise`, rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'opening balance' }, clerk);
  const users: Record<string, number> = {};
  for (const [ext, user] of [['8001', 'Li Wei'], ['8002', 'Zhang Min'], ['8005', 'Zhao Lei']] as const) {
    users[ext] = (await t.call('userAccounts.create', { enterpriseId: e.id, name: `${user} ${seq}`, extensions: [{ deviceId, number: ext }] }, clerk)).id;
  }
  return { deviceId, enterpriseId: e.id, users };
}

describe('cucm: a consultative transfer', () => {
  it('charges the original call, the consultation call and the joined call once each, for their own time', async () => {
    const { deviceId, enterpriseId, users } = await cucmSetUp();
    const file = 'cucm-consult-cdr_Cluster1_01_202603031400_000003';
    expect(await importFile(deviceId, file)).toMatchObject({ received: 3, stored: 3, rejected: 0, duplicates: 0, rated: 2, unrated: 1 });

    const rows = rowsOf(deviceId);
    expect(rows.map((r) => [r.caller, r.callee, r.status, r.cost, r.user_account_id, r.leg_role, r.leg_billed])).toEqual([
      // 8001 -> 902150001234 before the hold: domestic, 120 s at 0.30 a minute.
      ['8001', '902150001234', 'rated', 6000, users['8001'], null, 1],
      // 8001 -> 8002, the consultation: internal, free.
      ['8001', '8002', 'rated', 0, users['8001'], null, 1],
      // The outside party with 8002 after the join: its caller is the outside number, nobody here pays for it.
      ['902150001234', '8002', 'unrated', null, null, null, 1],
    ]);
    expect(JSON.parse(rows[2]!.status_reason!)).toMatchObject({ key: 'charging.noPayer' });
    expect(await chargesOf(users['8001']!)).toEqual(['-0.6000', '0.0000']);
    expect(await chargesOf(users['8002']!)).toEqual([]);
    expect(await balanceOf(enterpriseId)).toBe('99.4000');

    const again = await importFile(deviceId, file);
    expect(again).toMatchObject({ stored: 0, rejected: 0, duplicates: 3 });
    expect(await balanceOf(enterpriseId)).toBe('99.4000');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});

describe('cucm: recording and monitoring calls', () => {
  it("links a monitoring call naming the monitored call's dest leg to that call, and charges only the call", async () => {
    const { deviceId, enterpriseId, users } = await cucmSetUp();
    // 51001 8001 -> 902150001234 (122 s); 51002 its recording (names the orig leg 24000101); 51003 8005 monitoring
    // 8001 (names the dest leg 24000102, stored after the call); 51004 8002 -> 7990 (a recorder CUCM did not mark).
    const result = await importFile(deviceId, 'cucm-cdr_Cluster1_01_202603031200_000002');
    expect(result).toMatchObject({ stored: 4, rejected: 2 });
    const byNative = Object.fromEntries(rowsOf(deviceId).map((r) => [r.native_id, r]));
    expect(byNative['1:51001']).toMatchObject({ status: 'rated', cost: 6300, user_account_id: users['8001'], leg_role: null, leg_call_id: '1:24000101', leg_billed: 1 });
    for (const leg of ['1:51002', '1:51003']) {
      expect(byNative[leg]).toMatchObject({ status: 'pending', cost: null, leg_role: 'recording', leg_call_id: '1:24000101', leg_billed: 0 });
    }
    const detail = await t.call('cdrs.get', { id: byNative['1:51001']!.id }, clerk);
    expect(detail.leg!.others.map((o) => [o.id, o.role, o.billed])).toEqual([
      [byNative['1:51002']!.id, 'recording', false],
      [byNative['1:51003']!.id, 'recording', false],
    ]);
    expect(await chargesOf(users['8005']!)).toEqual([]);
    // Without recorderNumbers on the device, the call to 7990 is a call of its own: 7990 rates as no known number.
    expect(byNative['1:51004']).toMatchObject({ status: 'unrated', leg_role: null, leg_billed: 1 });
    expect(JSON.parse(byNative['1:51004']!.status_reason!)).toMatchObject({ key: 'number.unrecognized' });
    expect(await chargesOf(users['8001']!)).toEqual(['-0.6300']);
    expect(await balanceOf(enterpriseId)).toBe('99.3700'); // 100 - 0.63 (122 s domestic, README row 1)
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});
