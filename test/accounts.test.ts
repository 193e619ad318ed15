import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;
let auditor: string;
let groupId: number;
let deviceId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  groupId = (await t.call('rateGroups.create', { name: 'Standard' }, clerk)).id;
  deviceId = (await t.call('devices.create', beijingDevice(), clerk)).id;
});
afterAll(() => t.dispose());

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

const enterprise = (name: string, extra: Record<string, unknown> = {}) =>
  t.call('enterprises.create', { name, rateGroupId: groupId, billingMode: 'prepaid', ...extra } as never, clerk);

describe('enterprises', () => {
  it('creates a prepaid enterprise with a zero balance and money as 4-place strings', async () => {
    const e = await enterprise('Acme', { creditLimit: '50', lowBalance: '20.5' });
    expect(e).toMatchObject({
      name: 'Acme',
      rateGroupId: groupId,
      billingMode: 'prepaid',
      balance: '0.0000',
      creditLimit: '50.0000',
      lowBalance: '20.5000',
      available: '50.0000',
      status: 'active',
      alertState: 'low',
      users: 0,
    });
  });

  it('keeps on update every field the update leaves out', async () => {
    const e = await enterprise('Kept Co', { creditLimit: '50', lowBalance: '20', freezeWhenExhausted: true, contact: 'Ms Wu' });
    const after = await t.call('enterprises.update', { id: e.id, phone: '010-6552 8888' }, clerk);
    expect(after).toMatchObject({ creditLimit: '50.0000', lowBalance: '20.0000', freezeWhenExhausted: true, contact: 'Ms Wu', phone: '010-6552 8888' });
    const u = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Own', ownBalance: true, creditLimit: '3' }, clerk);
    const renamed = await t.call('userAccounts.update', { id: u.id, name: 'Own renamed' }, clerk);
    expect(renamed).toMatchObject({ ownBalance: true, creditLimit: '3.0000' });
  });

  it('refuses an unknown rate group and a taken name with the field that is wrong', async () => {
    const noGroup = await apiError(t.call('enterprises.create', { name: 'X', rateGroupId: 999, billingMode: 'prepaid' }, clerk));
    expect(noGroup.code).toBe('invalid_input');
    expect(noGroup.details).toMatchObject({ fields: { rateGroupId: ['no such rate group'] } });
    await enterprise('Taken Ltd');
    const taken = await apiError(enterprise('taken ltd'));
    expect(taken.code).toBe('conflict');
  });

  it('lists and searches by name, with keyset pages that never repeat a row', async () => {
    for (let i = 0; i < 5; i++) await enterprise(`Paged ${i}`);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const p = await t.call('enterprises.list', { q: 'Paged', limit: 2, ...(cursor ? { cursor } : {}) }, auditor);
      seen.push(...p.rows.map((r) => r.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('money actions on the ledger', () => {
  it('recharges, refunds and adjusts: each an entry with operator and reason, the balance their sum', async () => {
    const e = await enterprise('Ledger Co', { lowBalance: '10' });
    const r = await t.call('accounts.recharge', { accountId: e.id, amount: '100.50', method: 'transfer', reference: 'TX-1', reason: 'March' }, clerk);
    expect(r).toMatchObject({ kind: 'recharge', amount: '100.5000', balanceAfter: '100.5000', operator: 'clerk1', method: 'transfer', reference: 'TX-1' });
    await t.call('accounts.refund', { accountId: e.id, amount: '0.5', reason: 'overpaid' }, clerk);
    await t.call('accounts.adjust', { accountId: e.id, amount: '-10.0001', reason: 'correction' }, clerk);
    const after = await t.call('enterprises.get', { id: e.id }, clerk);
    expect(after.balance).toBe('89.9999');
    const ledger = await t.call('accounts.ledger', { accountId: e.id, limit: 10 }, auditor);
    expect(ledger.rows.map((x) => [x.kind, x.amount])).toEqual([
      ['adjustment', '-10.0001'],
      ['refund', '-0.5000'],
      ['recharge', '100.5000'],
    ]);
    const check = await t.call('accounts.verify', {}, auditor);
    expect(check.ok).toBe(true);
    expect(check.balanceMismatches).toEqual([]);
  });

  it('refuses amounts that are not positive, not money or lack a reason', async () => {
    const e = await enterprise('Strict Co');
    for (const bad of [{ amount: '0' }, { amount: '-5' }, { amount: '1.23456' }, { amount: '5', reason: '' }]) {
      const input = Object.assign({ accountId: e.id, amount: '1', reason: 'x' }, bad);
      const err = await apiError(t.call('accounts.recharge', input, clerk));
      expect(err.code, JSON.stringify(bad)).toBe('invalid_input');
    }
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('0.0000');
  });

  it('freezes and unfreezes with a zero entry; a second freeze is a conflict', async () => {
    const e = await enterprise('Frosty');
    const f = await t.call('accounts.freeze', { accountId: e.id, reason: 'unpaid invoice' }, clerk);
    expect(f).toMatchObject({ kind: 'freeze', amount: '0.0000' });
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('frozen');
    expect((await apiError(t.call('accounts.freeze', { accountId: e.id, reason: 'again' }, clerk))).code).toBe('conflict');
    await t.call('accounts.unfreeze', { accountId: e.id, reason: 'paid' }, clerk);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('active');
  });

  it('lets auditors read money but never move it', async () => {
    const e = await enterprise('Audited');
    expect((await apiError(t.call('accounts.recharge', { accountId: e.id, amount: '1', reason: 'x' }, auditor))).code).toBe('forbidden');
  });

  it('keeps the ledger append-only and balances written only through it', () => {
    const db = t.services.db;
    expect(() => db.prepare('UPDATE ledger SET amount = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE accounts SET balance = balance + 1000 WHERE kind = 'enterprise'").run()).toThrow(
      /only through a ledger entry/,
    );
    const id = db.prepare("SELECT id FROM accounts WHERE kind = 'enterprise' LIMIT 1").pluck().get();
    expect(() =>
      db
        .prepare("INSERT INTO ledger (account_id, at, kind, amount, balance_after, operator) VALUES (?, 1, 'recharge', 5, 999999, 'x')")
        .run(id),
    ).toThrow(/balance_after/);
  });
});

describe('alerts on prepaid balances', () => {
  it('announces low and exhausted once per crossing, freezes when asked, unfreezes after a recharge', async () => {
    const alerts: unknown[] = [];
    const off = t.services.events.subscribe((m) => {
      if (m.event === 'accounts.alert') alerts.push(m.data);
    });
    const e = await enterprise('Alerting', { lowBalance: '10', creditLimit: '5', freezeWhenExhausted: true });
    await t.call('accounts.recharge', { accountId: e.id, amount: '20', reason: 'start' }, clerk);
    await t.call('accounts.adjust', { accountId: e.id, amount: '-15', reason: 'spend' }, clerk); // 5: low
    await t.call('accounts.adjust', { accountId: e.id, amount: '-1', reason: 'spend' }, clerk); // 4: still low, no new alert
    await t.call('accounts.adjust', { accountId: e.id, amount: '-9.0001', reason: 'spend' }, clerk); // -5.0001: exhausted
    const frozen = await t.call('enterprises.get', { id: e.id }, clerk);
    expect(frozen).toMatchObject({ status: 'frozen', alertState: 'exhausted', balance: '-5.0001' });
    await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'paid' }, clerk);
    expect(await t.call('enterprises.get', { id: e.id }, clerk)).toMatchObject({ status: 'active', alertState: 'ok' });
    off();
    // Created at 0 below its threshold: low; recharged: ok; then low, exhausted (frozen), and ok again (unfrozen).
    expect(alerts.map((a) => (a as { state: string }).state)).toEqual(['low', 'ok', 'low', 'exhausted', 'ok']);
    expect(alerts[3]).toMatchObject({ frozen: true });
    expect(alerts[4]).toMatchObject({ unfrozen: true });
    const kinds = (await t.call('accounts.ledger', { accountId: e.id, limit: 20, kinds: ['freeze', 'unfreeze'] }, clerk)).rows;
    expect(kinds.map((k) => [k.kind, k.operator])).toEqual([
      ['unfreeze', 'system'],
      ['freeze', 'system'],
    ]);
  });

  it("keeps a person's unfreeze of an exhausted account until the balance recovers; the next exhaustion freezes again", async () => {
    const e = await enterprise('Overridden', { creditLimit: '5', freezeWhenExhausted: true });
    await t.call('accounts.adjust', { accountId: e.id, amount: '-6', reason: 'spend' }, clerk); // exhausted: frozen
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('frozen');
    await t.call('accounts.unfreeze', { accountId: e.id, reason: 'paying tomorrow, let them call' }, clerk);
    expect(await t.call('enterprises.get', { id: e.id }, clerk)).toMatchObject({ status: 'active', alertState: 'exhausted' });
    // More spending while still exhausted does not undo the person's decision.
    await t.call('accounts.adjust', { accountId: e.id, amount: '-1', reason: 'spend' }, clerk);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('active');
    // Recovered, then exhausted again: frozen again.
    await t.call('accounts.recharge', { accountId: e.id, amount: '20', reason: 'paid' }, clerk);
    await t.call('accounts.adjust', { accountId: e.id, amount: '-30', reason: 'spend' }, clerk);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('frozen');
    const kinds = (await t.call('accounts.ledger', { accountId: e.id, limit: 20, kinds: ['freeze', 'unfreeze'] }, clerk)).rows;
    expect(kinds.map((k) => [k.kind, k.operator]).reverse()).toEqual([
      ['freeze', 'system'],
      ['unfreeze', 'clerk1'],
      ['freeze', 'system'],
    ]);
  });

  it('does not unfreeze an account a person froze', async () => {
    const e = await enterprise('Held');
    await t.call('accounts.freeze', { accountId: e.id, reason: 'dispute' }, clerk);
    await t.call('accounts.recharge', { accountId: e.id, amount: '10', reason: 'paid' }, clerk);
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('frozen');
  });
});

describe('user and gateway accounts', () => {
  it('creates a user with extensions, card number and PIN; it draws on the enterprise balance', async () => {
    const e = await enterprise('Users Inc');
    await t.call('accounts.recharge', { accountId: e.id, amount: '30', reason: 'start' }, clerk);
    const u = await t.call(
      'userAccounts.create',
      { enterpriseId: e.id, name: 'Li Wei', extensions: [{ deviceId, number: '8001' }], cardNumber: '700123', pin: '4321' },
      clerk,
    );
    expect(u).toMatchObject({ enterpriseName: 'Users Inc', extensions: [{ deviceId, number: '8001' }], cardNumber: '700123', hasPin: true, ownBalance: false, balance: '30.0000', balanceAccountId: e.id });
    expect(JSON.stringify(u)).not.toContain('4321');
    // Money actions go to the enterprise.
    const err = await apiError(t.call('accounts.recharge', { accountId: u.id, amount: '5', reason: 'x' }, clerk));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/Users Inc/);
    // The extension now belongs to the user.
    const ext = await t.call('extensions.list', { deviceId, q: '8001', limit: 5 }, clerk);
    expect(ext.rows[0]).toMatchObject({ number: '8001', userAccountId: u.id, userAccountName: 'Li Wei' });
    // A second user cannot take the same card number.
    const dup = await apiError(t.call('userAccounts.create', { enterpriseId: e.id, name: 'Other', cardNumber: '700123' }, clerk));
    expect(dup.code).toBe('conflict');
    // Updating without a PIN keeps it; moving the extension to another user takes it away from the first.
    const kept = await t.call('userAccounts.update', { id: u.id, name: 'Li Wei (sales)' }, clerk);
    expect(kept.hasPin).toBe(true);
    const other = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Zhang Min', extensions: [{ deviceId, number: '8001' }] }, clerk);
    expect((await t.call('userAccounts.get', { id: u.id }, clerk)).extensions).toEqual([]);
    expect(other.extensions).toEqual([{ deviceId, number: '8001' }]);
  });

  it('gives a user its own prepaid balance when asked, and refuses to drop a non-zero one', async () => {
    const e = await enterprise('Own Balances');
    const u = await t.call('userAccounts.create', { enterpriseId: e.id, name: 'Prepaid user', ownBalance: true }, clerk);
    await t.call('accounts.recharge', { accountId: u.id, amount: '12', reason: 'card' }, clerk);
    expect((await t.call('userAccounts.get', { id: u.id }, clerk)).balance).toBe('12.0000');
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).balance).toBe('0.0000');
    expect((await apiError(t.call('userAccounts.update', { id: u.id, ownBalance: false }, clerk))).code).toBe('conflict');
  });

  it('binds a gateway account to one device trunk', async () => {
    const e = await enterprise('Gateways Ltd');
    const g = await t.call('gateways.create', { enterpriseId: e.id, name: 'Unicom trunk', deviceId, trunk: 'CN-Unicom' }, clerk);
    expect(g).toMatchObject({ deviceId, trunk: 'CN-Unicom', enterpriseName: 'Gateways Ltd' });
    const taken = await apiError(t.call('gateways.create', { enterpriseId: e.id, name: 'Another', deviceId, trunk: 'CN-Unicom' }, clerk));
    expect(taken.code).toBe('conflict');
    expect((await t.call('gateways.list', { deviceId, limit: 10 }, auditor)).rows.map((x) => x.id)).toContain(g.id);
  });
});
