/**
 * The engine refuses text longer than its contract allows, with the field that is too long, and keeps nothing of the
 * request; text at the limit is stored whole. Contact phone numbers and e-mail addresses are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { csvFile, refusalOf } from './helpers/account-files';

let t: TestEngine;
let clerk: string;
let admin: string;
let groupId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk', 'cashier');
  admin = await t.loginAs('admin', 'boss');
  groupId = (await t.call('rateGroups.create', { name: 'Limits' }, clerk)).id;
});
afterAll(() => t.dispose());

/** The field errors of a refused call (it must be refused as invalid input). */
async function refusedFields(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  return ((err as ApiError).details as { fields: Record<string, string[]> }).fields;
}

const long = (n: number) => 'x'.repeat(n);
const count = (sql: string, ...args: unknown[]) => t.services.db.prepare(sql).pluck().get(...args) as number;

describe('over-long text is refused, not cut', () => {
  it('a device name of 10,000 characters', async () => {
    const before = count('SELECT COUNT(*) FROM devices');
    const fields = await refusedFields(t.call('devices.create', beijingDevice({ name: long(10_000) }), clerk));
    expect(Object.keys(fields)).toEqual(['name']);
    expect(fields.name!.join(' ')).toMatch(/100/);
    expect(count('SELECT COUNT(*) FROM devices')).toBe(before);

    const kept = await t.call('devices.create', beijingDevice({ name: `D${long(99)}` }), clerk);
    expect(kept.name).toHaveLength(100);
    expect(Object.keys(await refusedFields(t.call('devices.update', { id: kept.id, name: `E${long(100)}` }, clerk)))).toEqual(['name']);
    expect(Object.keys(await refusedFields(t.call('devices.update', { id: kept.id, notes: long(2001) }, clerk)))).toEqual(['notes']);
    expect((await t.call('devices.get', { id: kept.id }, clerk)).name).toBe(`D${long(99)}`);
  });

  it('a recharge, refund or freeze reason over 500 characters, and nothing reaches the ledger', async () => {
    const acme = await t.call('enterprises.create', { name: 'Reasons Ltd', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
    const entries = () => count('SELECT COUNT(*) FROM ledger WHERE account_id = ?', acme.id);
    for (const call of [
      t.call('accounts.recharge', { accountId: acme.id, amount: '10', reason: long(501) }, clerk),
      t.call('accounts.refund', { accountId: acme.id, amount: '1', reason: long(501) }, clerk),
      t.call('accounts.adjust', { accountId: acme.id, amount: '1', reason: long(501) }, clerk),
      t.call('accounts.freeze', { accountId: acme.id, reason: long(501) }, clerk),
    ]) {
      expect(Object.keys(await refusedFields(call))).toEqual(['reason']);
    }
    expect(entries()).toBe(0);
    const entry = await t.call('accounts.recharge', { accountId: acme.id, amount: '10', reason: long(500) }, clerk);
    expect(entry.reason).toHaveLength(500);
    expect(entries()).toBe(1);
  });

  it('names, codes, contacts and notes of enterprises, users and gateways', async () => {
    const base = { rateGroupId: groupId, billingMode: 'prepaid' as const };
    for (const [field, max] of [['name', 100], ['code', 50], ['contact', 100], ['notes', 2000]] as const) {
      const fields = await refusedFields(t.call('enterprises.create', { ...base, name: 'Long Co', [field]: long(max + 1) }, clerk));
      expect(Object.keys(fields), field).toEqual([field]);
    }
    expect(count("SELECT COUNT(*) FROM accounts WHERE name IN ('Long Co', ?)", long(101))).toBe(0);
    const e = await t.call('enterprises.create', { ...base, name: `N${long(99)}`, notes: long(2000) }, clerk);
    expect([e.name.length, e.notes.length]).toEqual([100, 2000]);

    expect(Object.keys(await refusedFields(t.call('userAccounts.create', { enterpriseId: e.id, name: long(101) }, clerk)))).toEqual(['name']);
    expect(Object.keys(await refusedFields(t.call('userAccounts.create', { enterpriseId: e.id, name: 'U', notes: long(2001) }, clerk)))).toEqual(['notes']);
    const device = await t.call('devices.create', beijingDevice({ name: 'Gateway host' }), clerk);
    const gateway = { enterpriseId: e.id, name: 'G', deviceId: device.id, trunk: 'trunk-1' };
    expect(Object.keys(await refusedFields(t.call('gateways.create', { ...gateway, trunk: long(101) }, clerk)))).toEqual(['trunk']);
    expect(count('SELECT COUNT(*) FROM accounts WHERE enterprise_id = ?', e.id)).toBe(0);
  });

  it('rate group and rate names and notes, route prefix notes, system account display names', async () => {
    expect(Object.keys(await refusedFields(t.call('rateGroups.create', { name: long(101) }, clerk)))).toEqual(['name']);
    expect(Object.keys(await refusedFields(t.call('rateGroups.update', { id: groupId, notes: long(2001) }, clerk)))).toEqual(['notes']);
    const device = await t.call('devices.create', beijingDevice({ name: 'Prefixes' }), clerk);
    expect(Object.keys(await refusedFields(t.call('routePrefixes.create', { deviceId: device.id, prefix: '9', notes: long(501) }, clerk)))).toEqual(['notes']);
    expect(count('SELECT COUNT(*) FROM route_prefixes WHERE device_id = ?', device.id)).toBe(0);
    const account = { username: 'longname', password: 'Long-pass-123', role: 'clerk' as const, displayName: long(101) };
    expect(Object.keys(await refusedFields(t.call('systemAccounts.create', account, admin)))).toEqual(['displayName']);
  });
});

describe('over-long text in an extension file', () => {
  it('refuses a name over the contract limit at its row and applies nothing; a name at the limit is stored whole', async () => {
    const device = await t.call('devices.create', beijingDevice({ name: 'Import limits' }), clerk);
    const file = (name: string) => csvFile(['Number,Name', `8001,${name}`]);
    const refusal = await refusalOf(t.call('extensions.import', { fileName: 'long.csv', deviceId: device.id, content: file(long(101)) }, clerk));
    expect(refusal.problems).toEqual([expect.objectContaining({ row: 2, column: 'Name', problem: expect.stringMatching(/100/) })]);
    expect(count('SELECT COUNT(*) FROM extensions WHERE device_id = ?', device.id)).toBe(0);
    await t.call('extensions.import', { fileName: 'ok.csv', deviceId: device.id, content: file(long(100)) }, clerk);
    const [row] = (await t.call('extensions.list', { deviceId: device.id }, clerk)).rows;
    expect(row?.name).toHaveLength(100);
  });
});

describe('contact phone and e-mail', () => {
  const base = () => ({ rateGroupId: groupId, billingMode: 'prepaid' as const });

  it('refuses a phone that is not a telephone number and an e-mail that is not an address', async () => {
    const fields = await refusedFields(t.call('enterprises.create', { ...base(), name: 'Contact Co', phone: 'abcdef', email: 'not-an-email' }, clerk));
    expect(Object.keys(fields).sort()).toEqual(['email', 'phone']);
    for (const phone of ['12345', '95588', '1381234567', '010-1234']) {
      expect(Object.keys(await refusedFields(t.call('enterprises.create', { ...base(), name: 'Contact Co', phone }, clerk))), phone).toEqual(['phone']);
    }
    for (const email of ['name@', '@example.com', 'name example.com', 'a@b']) {
      expect(Object.keys(await refusedFields(t.call('enterprises.create', { ...base(), name: 'Contact Co', email }, clerk))), email).toEqual(['email']);
    }
    expect(count("SELECT COUNT(*) FROM accounts WHERE name = 'Contact Co'")).toBe(0);
  });

  it('accepts mobile, fixed-line with extension, foreign numbers and addresses, and empty fields', async () => {
    const e = await t.call('enterprises.create', { ...base(), name: 'Callable Co', phone: '010-6552 8888 转 8001', email: ' wu@example.com.cn ' }, clerk);
    expect([e.phone, e.email]).toEqual(['010-6552 8888 转 8001', 'wu@example.com.cn']);
    for (const phone of ['138 1234 5678', '+44 20 7946 0958', '']) {
      expect((await t.call('enterprises.update', { id: e.id, phone }, clerk)).phone).toBe(phone);
    }
    expect(Object.keys(await refusedFields(t.call('enterprises.update', { id: e.id, email: 'not-an-email' }, clerk)))).toEqual(['email']);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).email).toBe('wu@example.com.cn');
  });
});
