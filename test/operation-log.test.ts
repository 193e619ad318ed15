import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationLogEntry } from '../src-shared/api/logs';
import { downloadBytes } from './helpers/account-files';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;
let clerk: string;
let auditor: string;
let acme: { id: number };
let card: { id: number };

const operations = async (filter: Record<string, unknown> = {}) =>
  (await t.call('logs.operation', { limit: 200, ...filter }, auditor)).rows;
const latest = async (method: string): Promise<OperationLogEntry> => (await operations({ action: method }))[0]!;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  await t.call('systemAccounts.create', { username: 'zhangsan', displayName: '张三', password: 'zhangsan-Password-1', role: 'clerk', mustChangePassword: false }, admin);
  clerk = (await t.login('zhangsan', 'zhangsan-Password-1')).token;
  auditor = await t.loginAs('auditor');
  const group = await t.call('rateGroups.create', { name: 'Standard' }, clerk);
  acme = await t.call('enterprises.create', { name: '企业 A', rateGroupId: group.id, billingMode: 'prepaid', phone: '010-6552 8888' }, clerk);
  card = await t.call('userAccounts.create', { enterpriseId: acme.id, name: 'Card user', ownBalance: true }, clerk);
});
afterAll(() => t.dispose());

describe('operation log rows name their target and what changed', () => {
  it('a recharge: who by display name, the enterprise by kind, id and name, the balance before and after', async () => {
    await t.call('accounts.recharge', { accountId: acme.id, amount: '1000', reason: 'March' }, clerk);
    const row = await latest('accounts.recharge');
    expect(row).toMatchObject({
      actorName: '张三',
      username: 'zhangsan',
      method: 'accounts.recharge',
      target: `account:${acme.id}`,
      targetKind: 'enterprise',
      targetId: String(acme.id),
      targetName: '企业 A',
    });
    expect(row.changes).toEqual([{ field: 'balance', before: '0.0000', after: '1000.0000' }]);
    expect((row.summary as { entry: { amount: string } }).entry.amount).toBe('1000.0000');
  });

  it('a recharge of a user account with its own balance names the user account', async () => {
    await t.call('accounts.recharge', { accountId: card.id, amount: '5', reason: 'card sold' }, clerk);
    const row = await latest('accounts.recharge');
    expect(row).toMatchObject({ targetKind: 'userAccount', targetId: String(card.id), targetName: 'Card user' });
    expect(row.changes).toEqual([{ field: 'balance', before: '0.0000', after: '5.0000' }]);
  });

  it('an enterprise update: only the changed fields, read before and after the handler', async () => {
    await t.call('enterprises.update', { id: acme.id, name: '企业 A2', phone: '010-6552 8899', creditLimit: '50' }, clerk);
    const row = await latest('enterprises.update');
    expect(row).toMatchObject({ targetKind: 'enterprise', targetId: String(acme.id), targetName: '企业 A2' });
    expect(row.changes).toEqual([
      { field: 'name', before: '企业 A', after: '企业 A2' },
      { field: 'creditLimit', before: '0.0000', after: '50.0000' },
      { field: 'phone', before: '010-6552 8888', after: '010-6552 8899' },
    ]);
    // The before/after objects became the list; they are not repeated in the details.
    expect(row.summary).toBeUndefined();

    // Saved again as it is: an empty list, and no before/after dump in the details.
    await t.call('enterprises.update', { id: acme.id, phone: '010-6552 8899' }, clerk);
    const same = await latest('enterprises.update');
    expect(same.changes).toEqual([]);
    expect(same.summary).toBeUndefined();
  });

  it('a secret that changed is shown masked, and a create names what it made', async () => {
    await t.call('userAccounts.update', { id: card.id, cardNumber: '8001', pin: '1234' }, clerk);
    const row = await latest('userAccounts.update');
    expect(row).toMatchObject({ targetKind: 'userAccount', targetName: 'Card user' });
    expect(row.changes).toContainEqual({ field: 'pin', before: null, after: '***' });
    expect(row.changes).toContainEqual({ field: 'cardNumber', before: null, after: '8001' });
    expect(JSON.stringify(row)).not.toContain('1234');

    const created = await latest('userAccounts.create');
    expect(created).toMatchObject({ targetKind: 'userAccount', targetId: String(card.id), targetName: 'Card user' });
  });

  it("an enterprise login: its creation keeps what was created, disabling it lists the change", async () => {
    await t.call('enterprises.createLogin', { id: acme.id, username: 'acme-portal', password: 'Acme-portal-12' }, clerk);
    const created = await latest('enterprises.createLogin');
    expect(created).toMatchObject({ targetKind: 'enterprise', targetName: '企业 A2' });
    expect((created.summary as { after: { username: string } }).after.username).toBe('acme-portal');
    await t.call('enterprises.disableLogin', { id: acme.id }, clerk);
    expect((await latest('enterprises.disableLogin')).changes).toEqual([{ field: 'disabled', before: false, after: true }]);
  });

  it('a deleted target keeps the name it had', async () => {
    const device = await t.call('devices.create', { name: 'PBX-9', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00' }, clerk);
    await t.call('devices.delete', { id: device.id }, clerk);
    expect(await latest('devices.delete')).toMatchObject({ targetKind: 'device', targetId: String(device.id), targetName: 'PBX-9' });
  });

  it('the log stays append-only', () => {
    expect(() => t.services.db.prepare("UPDATE operation_log SET target_name = 'x'").run()).toThrow(/append-only/);
    expect(() => t.services.db.prepare('DELETE FROM operation_log').run()).toThrow(/append-only/);
  });
});

describe('operation log filters', () => {
  it('by person (a system account, 0 for the engine jobs), listed by logs.operationActors', async () => {
    const actors = await t.call('logs.operationActors', {}, auditor);
    const zhang = actors.find((a) => a.username === 'zhangsan');
    expect(zhang).toMatchObject({ actorName: '张三' });
    expect(actors.find((a) => a.username === 'admin')).toBeDefined();
    const rows = await operations({ accountId: zhang!.accountId });
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.username))).toEqual(new Set(['zhangsan']));
    expect(await operations({ accountId: 0 })).toEqual([]);
  });

  it('by action: one method exactly, or an area', async () => {
    const create = await operations({ action: 'enterprises.create' });
    expect(create.map((r) => r.method)).toEqual(['enterprises.create']);
    const area = await operations({ action: 'accounts.' });
    expect(area.map((r) => r.method)).toEqual(['accounts.recharge', 'accounts.recharge']);
    await expect(t.call('logs.operation', { action: "x' OR 1", limit: 5 }, auditor)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('by target: kind and id (the money rows of "account:N" included), or part of its name', async () => {
    const byId = await operations({ targetKind: 'enterprise', targetId: String(acme.id) });
    expect(byId.map((r) => r.method)).toEqual(['enterprises.disableLogin', 'enterprises.createLogin', 'enterprises.update', 'enterprises.update', 'accounts.recharge', 'enterprises.create']);
    const byName = await operations({ target: 'card' });
    expect(byName.map((r) => r.method)).toEqual(['userAccounts.update', 'accounts.recharge', 'userAccounts.create']);
    const byKind = await operations({ targetKind: 'device' });
    expect(byKind.map((r) => r.method)).toEqual(['devices.delete', 'devices.create']);
  });
});

describe('operation log export', () => {
  it('writes who by display name, the target by its name of the time, and the changes', async () => {
    const ticket = await t.call('logs.exportOperation', { action: 'enterprises.update', format: 'csv', timeZone: 'Asia/Shanghai' }, auditor);
    expect(ticket.rows).toBe(2);
    const text = (await downloadBytes(t, auditor, ticket)).toString('utf8');
    expect(text).toContain('张三 (zhangsan)');
    expect(text).toContain(`企业 A2 (enterprise:${acme.id})`);
    expect(text).toContain('""field"":""creditLimit"",""before"":""0.0000"",""after"":""50.0000""');
  });
});
