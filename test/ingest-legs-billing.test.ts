/**
 * One call, one charge: a FreeSWITCH set-up with legs="ab" writes both legs of every call (mod_cdr_csv lines,
 * mod_xml_cdr / mod_json_cdr documents). Through a real engine, each call is charged exactly once, to the right
 * account, with the leg the device's `billedLeg` setting names; the other legs are stored, linked, found by search,
 * and never charged, queued as unrated or counted in the statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../src-shared/domain/money';
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

const A = (n: number) => `5b1e7c40-2d9a-4c1e-8f3b-6a0d2e9c4a1${n}`;
const B = (n: number) => `5b1e7c40-2d9a-4c1e-8f3b-6a0d2e9c4b1${n}`;

interface LegRow {
  id: number;
  native_id: string;
  status: string;
  status_reason: string | null;
  cost: number | null;
  user_account_id: number | null;
  leg_role: string | null;
  leg_call_id: string | null;
  leg_billed: number | null;
}

const rowsOf = (deviceId: number): Record<string, LegRow> =>
  Object.fromEntries(
    (t.services.db.prepare('SELECT * FROM cdrs WHERE device_id = ? ORDER BY id').all(deviceId) as LegRow[]).map((r) => [r.native_id, r]),
  );

let seq = 0;
/** A FreeSWITCH device of the README's Beijing numbering plan and an enterprise whose users own 8001-8003. */
async function freeswitchSetUp(format: 'freeswitch-csv' | 'freeswitch-xml' | 'freeswitch-json', billedLeg?: 'a' | 'b') {
  const name = `FreeSWITCH ${++seq}`;
  const deviceId = await createSampleDevice(t, clerk, { name, format, ...(billedLeg ? { formatOptions: { billedLeg } } : {}) });
  const e = await t.call('enterprises.create', { name: `${name} enterprise`, rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'opening balance' }, clerk);
  const users: Record<string, number> = {};
  for (const [ext, user] of [['8001', 'Li Wei'], ['8002', 'Zhang Min'], ['8003', 'Wang Fang']] as const) {
    users[ext] = (await t.call('userAccounts.create', { enterpriseId: e.id, name: `${user} ${seq}`, extensions: [{ deviceId, number: ext }] }, clerk)).id;
  }
  return { deviceId, enterpriseId: e.id, users };
}

const importText = (deviceId: number, fileName: string, text: string) =>
  t.call('cdrs.import', { deviceId, fileName, content: Buffer.from(text).toString('base64') }, clerk);

const balanceOf = async (enterpriseId: number) => (await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance;
const chargesOf = async (accountId: number) =>
  (await t.call('accounts.ledger', { accountId, kinds: ['charge'], limit: 100 }, clerk)).rows.map((r) => r.amount).sort();

async function expectBooksBalance() {
  expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  expect(await t.call('stats.verify', {}, clerk)).toMatchObject({ ok: true, mismatchCount: 0 });
}

/** The statistics of the enterprise for the file's day: calls counted and money. */
async function statsOf(enterpriseId: number) {
  const day = Date.parse('2026-03-02T16:00:00Z'); // 2026-03-03 00:00 in Beijing
  const table = await t.call('stats.enterprise', { from: day, to: day + 86_400_000, timeZone: 'Asia/Shanghai' }, clerk);
  const row = table.rows.find((r) => r.id === enterpriseId);
  return row ? { calls: row.total.calls, amount: row.total.amount } : { calls: 0, amount: '0.0000' };
}

describe('FreeSWITCH mod_cdr_csv with legs="ab"', () => {
  it('bills the A legs by default: each call once, to its caller, with exact money; B legs linked and never charged', async () => {
    const { deviceId, enterpriseId, users } = await freeswitchSetUp('freeswitch-csv');
    const result = await importText(deviceId, 'Master.csv', fixture('freeswitch-legs-ab.csv'));
    // 13 lines: 5 calls with both legs, 1 A leg without a B leg, 2 damaged lines.
    expect(result).toMatchObject({ received: 13, stored: 11, rejected: 2, rated: 5, unrated: 1 });

    const rows = rowsOf(deviceId);
    expect([1, 2, 3, 4, 5, 6].map((n) => [rows[A(n)]!.status, rows[A(n)]!.cost, rows[A(n)]!.leg_billed])).toEqual([
      ['rated', 6300, 1], // 8001 -> 902150001234, domestic, 122 s
      ['rated', 4400, 1], // 8002 -> 913800138000, local mobile, 241 s
      ['rated', 0, 1], // 8003 -> 8004, internal
      ['rated', 81000, 1], // 8001 -> 90044207946000, UK, 600 s
      ['rated', 0, 1], // 8002 -> 962345678, no B leg, not answered
      ['unrated', null, 1], // inbound from a trunk: nobody pays (no default enterprise)
    ]);
    expect(JSON.parse(rows[A(6)]!.status_reason!)).toMatchObject({ key: 'charging.noPayer' });
    expect([A(1), A(4)].map((id) => rows[id]!.user_account_id)).toEqual([users['8001'], users['8001']]);
    for (const n of [1, 2, 3, 4, 6]) {
      // Whether the B line came before its A line (calls 1, 4, 6) or after it (2, 3).
      expect(rows[B(n)]).toMatchObject({ status: 'pending', cost: null, leg_role: 'b', leg_call_id: A(n), leg_billed: 0, status_reason: null });
    }

    expect(await balanceOf(enterpriseId)).toBe('90.8300'); // 100 - (0.63 + 0.44 + 0 + 8.10 + 0)
    expect(await chargesOf(users['8001']!)).toEqual(['-0.6300', '-8.1000']);
    expect(await chargesOf(users['8002']!)).toEqual(['-0.4400', '0.0000']);
    // Only the inbound A leg waits in the unrated queue; statistics count five calls, not ten.
    expect(t.services.db.prepare("SELECT native_id FROM cdrs WHERE device_id = ? AND status = 'unrated'").pluck().all(deviceId)).toEqual([A(6)]);
    expect(await statsOf(enterpriseId)).toEqual({ calls: 5, amount: '9.1700' });
    await expectBooksBalance();

    // cdrs.search still lists the legs; the detail shows the link both ways.
    const search = await t.call('cdrs.search', { deviceId, count: true, limit: 50 }, clerk);
    expect(search.total).toBe(11);
    const bDetail = await t.call('cdrs.get', { id: rows[B(1)]!.id }, clerk);
    expect(bDetail.leg).toMatchObject({ role: 'b', callId: A(1), billed: false, others: [{ id: rows[A(1)]!.id, role: 'a', billed: true }] });
    const aDetail = await t.call('cdrs.get', { id: rows[A(1)]!.id }, clerk);
    expect(aDetail.leg).toMatchObject({ role: 'a', billed: true, others: [{ id: rows[B(1)]!.id, role: 'b', billed: false }] });

    // Importing the file again changes nothing.
    const again = await importText(deviceId, 'Master.csv', fixture('freeswitch-legs-ab.csv'));
    expect(again).toMatchObject({ stored: 0, rejected: 0, duplicates: 13 });
    expect(await balanceOf(enterpriseId)).toBe('90.8300');
    expect(await statsOf(enterpriseId)).toEqual({ calls: 5, amount: '9.1700' });
    await expectBooksBalance();
  });

  it("bills the B legs instead when the device's billedLeg is 'b'", async () => {
    const { deviceId, enterpriseId, users } = await freeswitchSetUp('freeswitch-csv', 'b');
    const result = await importText(deviceId, 'Master.csv', fixture('freeswitch-legs-ab.csv'));
    expect(result).toMatchObject({ stored: 11, rejected: 2, rated: 5, unrated: 1 });
    const rows = rowsOf(deviceId);
    expect([1, 2, 3, 4, 6].map((n) => [rows[B(n)]!.status, rows[B(n)]!.cost, rows[B(n)]!.leg_billed])).toEqual([
      ['rated', 6300, 1], // 02150001234, 122 s
      ['rated', 3300, 1], // 13800138000, 240 s: 180 s for 0.22 and one more minute for 0.11
      ['rated', 0, 1],
      ['rated', 81000, 1], // 0044207946000, 599 s
      ['unrated', null, 1],
    ]);
    expect(rows[A(5)]).toMatchObject({ status: 'rated', cost: 0, leg_role: null }); // a call of one leg is charged anyway
    for (const n of [1, 2, 3, 4, 6]) expect(rows[A(n)]).toMatchObject({ status: 'pending', leg_role: 'a', leg_billed: 0 });
    expect(await chargesOf(users['8002']!)).toEqual(['-0.3300', '0.0000']);
    expect(await balanceOf(enterpriseId)).toBe('90.9400'); // 100 - 9.06
    expect(await statsOf(enterpriseId)).toEqual({ calls: 5, amount: '9.0600' });
    await expectBooksBalance();
  });

  it('links the legs of a call whose lines come in two files, in either order, and charges the call once', async () => {
    const lines = fixture('freeswitch-legs-ab.csv').split('\n');
    // The line whose own uuid (the column after the hangup cause) is `uuid`; an A line also names its B leg's.
    const line = (uuid: string) => `${lines.find((l) => new RegExp(`"[A-Z_]+","${uuid}"`).test(l))!}\n`;

    // A line first, B line in a later file: the B leg is linked as it arrives and never charged.
    const first = await freeswitchSetUp('freeswitch-csv');
    expect(await importText(first.deviceId, 'Master.csv.1', line(A(2)))).toMatchObject({ rated: 1 });
    expect(await importText(first.deviceId, 'Master.csv.2', line(B(2)))).toMatchObject({ stored: 1, rated: 0, unrated: 0 });
    expect(rowsOf(first.deviceId)[B(2)]).toMatchObject({ status: 'pending', leg_role: 'b', leg_call_id: A(2), leg_billed: 0 });
    expect(await chargesOf(first.users['8002']!)).toEqual(['-0.4400']);

    // B line first, charged as a call of its own before its A line came: that charge stands and the A line is the
    // linked leg, so the call is still charged once.
    const second = await freeswitchSetUp('freeswitch-csv');
    expect(await importText(second.deviceId, 'Master.csv.1', line(B(1)))).toMatchObject({ rated: 1 });
    expect(await importText(second.deviceId, 'Master.csv.2', line(A(1)))).toMatchObject({ stored: 1, rated: 0, unrated: 0 });
    const rows = rowsOf(second.deviceId);
    expect(rows[B(1)]).toMatchObject({ status: 'rated', cost: 6300, leg_role: 'b', leg_call_id: A(1), leg_billed: 1 });
    expect(rows[A(1)]).toMatchObject({ status: 'pending', leg_role: 'a', leg_billed: 0 });
    expect(await chargesOf(second.users['8001']!)).toEqual(['-0.6300']);

    // A B line left unrated on its own leaves the unrated queue when its A line comes and is charged.
    const third = await freeswitchSetUp('freeswitch-csv');
    const unknownCaller = line(B(1)).replace('"Li Wei","8001"', '"","66668888"');
    expect(await importText(third.deviceId, 'Master.csv.1', unknownCaller)).toMatchObject({ unrated: 1 });
    expect(await importText(third.deviceId, 'Master.csv.2', line(A(1)))).toMatchObject({ rated: 1 });
    expect(rowsOf(third.deviceId)[B(1)]).toMatchObject({ status: 'pending', status_reason: null, leg_billed: 0 });
    expect(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE device_id = ? AND status = 'unrated'").pluck().get(third.deviceId)).toBe(0);
    await expectBooksBalance();
  });
});

describe('FreeSWITCH mod_xml_cdr and mod_json_cdr documents with log-b-leg', () => {
  it.each([
    ['freeswitch-xml', 'freeswitch-legs-a.xml', 'freeswitch-legs-b.xml', '8003', '-0.9000'],
    ['freeswitch-json', 'freeswitch-legs-a.json', 'freeswitch-legs-b.json', '8002', '-0.2200'],
  ] as const)('%s: charges the A leg once, whichever document comes first, never the B or loopback legs', async (format, a, b, ext, amount) => {
    const { deviceId, enterpriseId, users } = await freeswitchSetUp(format);
    expect(await importText(deviceId, b, fixture(b))).toMatchObject({ stored: 1, rated: 0, unrated: 0 });
    expect(await importText(deviceId, a, fixture(a))).toMatchObject({ stored: 1, rated: 1 });
    if (format === 'freeswitch-json') {
      expect(await importText(deviceId, 'loopback.json', fixture('freeswitch-legs-loopback.json'))).toMatchObject({ stored: 1, rated: 0, unrated: 0 });
    }
    expect(await chargesOf(users[ext]!)).toEqual([amount]);
    expect(parseMoney(await balanceOf(enterpriseId))).toBe(1_000_000 + parseMoney(amount));
    expect((await statsOf(enterpriseId)).calls).toBe(1);
    // Sent again (FreeSWITCH retries a post that failed): nothing changes.
    expect(await importText(deviceId, a, fixture(a))).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await importText(deviceId, b, fixture(b))).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await chargesOf(users[ext]!)).toEqual([amount]);
    await expectBooksBalance();
  });

  it("charges the B leg with billedLeg 'b' (its own talk time and number)", async () => {
    const { deviceId, users } = await freeswitchSetUp('freeswitch-json', 'b');
    await importText(deviceId, 'a.json', fixture('freeswitch-legs-a.json'));
    await importText(deviceId, 'b.json', fixture('freeswitch-legs-b.json'));
    const rows = rowsOf(deviceId);
    expect(rows['9a4e1b27-6c3d-4e5f-8a7b-2c1d0e9f8b08']).toMatchObject({ status: 'rated', cost: 2200, leg_role: 'b', leg_billed: 1 });
    expect(rows['9a4e1b27-6c3d-4e5f-8a7b-2c1d0e9f8a08']).toMatchObject({ status: 'pending', leg_role: 'a', leg_billed: 0 });
    expect(await chargesOf(users['8002']!)).toEqual(['-0.2200']);
    await expectBooksBalance();
  });
});
