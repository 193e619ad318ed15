/**
 * Money bounds (docs/api.md, "Money and its bounds"): each money field accepts its largest amount and refuses one
 * unit (0.0001) more, as invalid input on that field, never as an internal error; the amounts that once crashed the
 * UI are refused the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, MAX_BALANCE, MAX_RATE_PRICE, MAX_RECHARGE } from '../src-shared/domain/money';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let clerk: string;
let rateGroupId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk', 'cashier');
  rateGroupId = (await t.call('rateGroups.create', { name: 'Bounds' }, clerk)).id;
});
afterAll(() => t.dispose());

const plusOneUnit = (max: number) => formatMoney(max + 1);
const refusedOn = (field: string) => ({ code: 'invalid_input', details: { fields: { [field]: expect.any(Array) } } });

async function enterprise(name: string) {
  return t.call('enterprises.create', { name, rateGroupId, billingMode: 'prepaid' }, clerk);
}

describe('recharge, refund and adjustment amounts', () => {
  it('accept up to MAX_RECHARGE (100,000,000.0000) and refuse 0.0001 more', async () => {
    const acme = await enterprise('Acme');
    expect(formatMoney(MAX_RECHARGE)).toBe('100000000.0000');
    const entry = await t.call('accounts.recharge', { accountId: acme.id, amount: formatMoney(MAX_RECHARGE), reason: 'largest' }, clerk);
    expect(entry.amount).toBe('100000000.0000');
    await expect(t.call('accounts.recharge', { accountId: acme.id, amount: plusOneUnit(MAX_RECHARGE), reason: 'too large' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    await expect(t.call('accounts.refund', { accountId: acme.id, amount: plusOneUnit(MAX_RECHARGE), reason: 'too large' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    await expect(t.call('accounts.adjust', { accountId: acme.id, amount: `-${plusOneUnit(MAX_RECHARGE)}`, reason: 'too large' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    const back = await t.call('accounts.adjust', { accountId: acme.id, amount: `-${formatMoney(MAX_RECHARGE)}`, reason: 'largest back' }, clerk);
    expect(back.balanceAfter).toBe('0.0000');
  });

  it('refuse the amount typed in the issue (1,000,000,000,000) as invalid input', async () => {
    const acme = await enterprise('Typo Ltd');
    await expect(t.call('accounts.recharge', { accountId: acme.id, amount: '1000000000000', reason: 'typo' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    // Beyond an exact JS integer of units, too: refused by its size, not by a parse that throws.
    await expect(t.call('accounts.recharge', { accountId: acme.id, amount: '999999999999999', reason: 'typo' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    expect((await t.call('enterprises.get', { id: acme.id }, clerk)).balance).toBe('0.0000');
  });
});

describe('balances', () => {
  it('reach MAX_BALANCE (100,000,000,000.0000) by recharges, and refuse an operator entry that goes beyond it', async () => {
    const big = await enterprise('Big');
    for (let n = 0; n < MAX_BALANCE / MAX_RECHARGE; n++) {
      await t.call('accounts.adjust', { accountId: big.id, amount: formatMoney(MAX_RECHARGE), reason: `step ${n}` }, clerk);
    }
    expect((await t.call('enterprises.get', { id: big.id }, clerk)).balance).toBe('100000000000.0000');
    await expect(t.call('accounts.recharge', { accountId: big.id, amount: '0.0001', reason: 'one unit more' }, clerk)).rejects.toMatchObject(refusedOn('amount'));
    const last = await t.call('accounts.refund', { accountId: big.id, amount: '0.0001', reason: 'one unit less' }, clerk);
    expect(last.balanceAfter).toBe('99999999999.9999');
  });

  it('credit limits take MAX_BALANCE and refuse 0.0001 more', async () => {
    const limited = await t.call('enterprises.create', { name: 'Limited', rateGroupId, billingMode: 'postpaid', creditLimit: formatMoney(MAX_BALANCE) }, clerk);
    expect(limited.creditLimit).toBe('100000000000.0000');
    await expect(t.call('enterprises.create', { name: 'Unlimited', rateGroupId, billingMode: 'postpaid', creditLimit: plusOneUnit(MAX_BALANCE) }, clerk)).rejects.toMatchObject(refusedOn('creditLimit'));
  });
});

describe('rate prices', () => {
  const rate = (price: string, connectFee = '0') => ({ rateGroupId, name: `p ${price} ${connectFee}`, callType: 'domestic' as const, prefix: '', connectFee, intervals: [{ start: 0, price, unit: 60, increment: 60 }] });

  it('accept a price and a connect fee of MAX_RATE_PRICE (10,000.0000) and refuse 0.0001 more', async () => {
    expect(formatMoney(MAX_RATE_PRICE)).toBe('10000.0000');
    const created = await t.call('rates.create', rate(formatMoney(MAX_RATE_PRICE), formatMoney(MAX_RATE_PRICE)), clerk);
    expect(created.intervals[0]!.price).toBe('10000.0000');
    expect(created.connectFee).toBe('10000.0000');
    await expect(t.call('rates.create', rate(plusOneUnit(MAX_RATE_PRICE)), clerk)).rejects.toMatchObject(refusedOn('intervals.0.price'));
    await expect(t.call('rates.create', rate('1', plusOneUnit(MAX_RATE_PRICE)), clerk)).rejects.toMatchObject(refusedOn('connectFee'));
  });

  it('refuse the price typed in the issue (99,999,999,999,999) as invalid input', async () => {
    await expect(t.call('rates.create', rate('99999999999999'), clerk)).rejects.toMatchObject(refusedOn('intervals.0.price'));
  });
});
