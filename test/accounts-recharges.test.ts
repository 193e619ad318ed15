import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { downloadBytes, xlsxRows } from './helpers/account-files';

let t: TestEngine;
let clerk: string;
let auditor: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk', 'cashier');
  auditor = await t.loginAs('auditor');
});
afterAll(() => t.dispose());

describe('recharges.export', () => {
  it('writes the recharges, refunds and adjustments of the filter, latest first, with operator, payment and reason', async () => {
    const group = await t.call('rateGroups.create', { name: 'Standard' }, clerk);
    const acme = await t.call('enterprises.create', { name: 'Acme', rateGroupId: group.id, billingMode: 'prepaid' }, clerk);
    const other = await t.call('enterprises.create', { name: 'Other', rateGroupId: group.id, billingMode: 'prepaid' }, clerk);
    const card = await t.call('userAccounts.create', { enterpriseId: acme.id, name: 'Card user', ownBalance: true, freezeWhenExhausted: true }, clerk);
    expect(card.freezeWhenExhausted).toBe(true);
    await t.call('accounts.recharge', { accountId: acme.id, amount: '100', method: 'transfer', reference: 'TX-7', reason: 'March' }, clerk);
    await t.call('accounts.refund', { accountId: acme.id, amount: '12.5', method: 'cash', reason: 'overpaid' }, clerk);
    await t.call('accounts.recharge', { accountId: card.id, amount: '20', reason: 'card sold' }, clerk);
    await t.call('accounts.adjust', { accountId: card.id, amount: '-0.0001', reason: 'rounding' }, clerk);
    await t.call('accounts.freeze', { accountId: acme.id, reason: 'not a recharge' }, clerk);
    await t.call('accounts.recharge', { accountId: other.id, amount: '5', reason: 'other enterprise' }, clerk);

    const ticket = await t.call('recharges.export', { enterpriseId: acme.id, format: 'xlsx', timeZone: 'Asia/Shanghai' }, auditor);
    expect(ticket.rows).toBe(4);
    const rows = await xlsxRows(await downloadBytes(t, auditor, ticket));
    expect(rows[0]![0]).toBe('Recharge records');
    expect(rows.find((r) => r[0] === 'Filters')?.[1]).toBe('enterprise Acme');
    const headings = rows.findIndex((r) => r[0] === 'Time');
    expect(rows[headings]).toEqual(['Time', 'Enterprise', 'Account', 'Account kind', 'Kind', 'Amount', 'Balance after', 'Method', 'Reference', 'Operator', 'Reason', 'Entry']);
    const data = rows.slice(headings + 1).map((r) => [r[2], r[4], r[5], r[7], r[8], r[9], r[10]]);
    expect(data).toEqual([
      ['Card user', 'adjustment', '-0.0001', '', '', 'cashier', 'rounding'],
      ['Card user', 'recharge', '20', '', '', 'cashier', 'card sold'],
      ['Acme', 'refund', '-12.5', 'cash', '', 'cashier', 'overpaid'],
      ['Acme', 'recharge', '100', 'transfer', 'TX-7', 'cashier', 'March'],
    ]);

    const csv = await t.call('recharges.export', { kinds: ['refund'], format: 'csv', timeZone: 'UTC' }, auditor);
    const text = (await downloadBytes(t, auditor, csv)).toString('utf8');
    expect(text).toContain('Filters,kinds refund');
    expect(text).toContain(',Acme,Acme,enterprise,refund,-12.5000,87.5000,cash,,cashier,overpaid,');
    expect(csv.rows).toBe(1);
  });
});
