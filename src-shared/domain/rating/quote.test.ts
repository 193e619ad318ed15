import { describe, expect, it } from 'vitest';
import { formatMoney } from '../money';
import { explainText } from './explain';
import { quoteCall } from './quote';
import { beijingQuoteContext, interval, rate, sampleRates } from './test-fixtures';

const ctx = beijingQuoteContext();
const start = Date.parse('2026-03-02T09:15:02+08:00');

describe('quoteCall: the sample README table end to end (normalize -> classify -> select -> rate)', () => {
  const table = [
    // dialled, billsec, normalized, call type, rate name, cost, billed seconds
    ['902150001234', 122, '02150001234', 'domestic', 'domestic', '0.6300', 126],
    ['913800138000', 61, '13800138000', 'local', 'local', '0.2200', 180],
    ['8004', 300, '8004', 'internal', 'inter', '0.0000', 300],
    ['90044207946000', 600, '0044207946000', 'international', 'UK', '8.1000', 600],
    ['962345678', 0, '62345678', 'local', 'local', '0.0000', 0],
    ['9110', 60, '110', 'special', 'special', '0.0000', 60],
    ['913912345678', 180, '13912345678', 'domestic', 'domestic', '0.9000', 180],
  ] as const;

  it.each(table)('%s, %i s', (callee, billsec, normalized, callType, rateName, cost, billedSeconds) => {
    const quote = quoteCall({ callee, start, billsec }, ctx);
    expect(quote.normalized).toBe(normalized);
    expect(quote.callType).toBe(callType);
    expect(quote.rate?.name).toBe(rateName);
    expect(quote.rated).toBe(true);
    expect(formatMoney(quote.cost)).toBe(cost);
    expect(quote.billedSeconds).toBe(billedSeconds);
  });

  it('charges 9.8500 in total', () => {
    const total = table.reduce((sum, [callee, billsec]) => sum + quoteCall({ callee, start, billsec }, ctx).cost, 0);
    expect(formatMoney(total)).toBe('9.8500');
  });

  it('reports area, region and country', () => {
    expect(quoteCall({ callee: '913912345678', start, billsec: 180 }, ctx)).toMatchObject({ area: '519', region: '江苏省常州市', numberKind: 'mobile' });
    expect(quoteCall({ callee: '90044207946000', start, billsec: 600 }, ctx)).toMatchObject({ country: 'GB', ratingNumber: '44207946000' });
  });

  it('explains the whole path in readable steps', () => {
    const lines = quoteCall({ callee: '90044207946000', start, billsec: 600 }, ctx).steps.map(explainText);
    expect(lines).toEqual([
      'Route prefix rule 1: stripped 9 (90044207946000 -> 0044207946000)',
      'Starts with the international prefix 00: international number 44207946000',
      'Calling code +44: destination GB',
      'Call type: international',
      `Rate "UK" (#${sampleRates.find((r) => r.name === 'UK')!.id}) for prefix 44`,
      'Interval 1 from 0 s: 600 s rounded up to 600 s (increments of 60 s) at 0.8000 per 60 s = 8.0000',
      'Connect fee 0.1000',
      'Total 8.1000 for 600 billed seconds (rounded once, half up)',
    ]);
  });
});

describe('quoteCall: calls that are not rated', () => {
  it('leaves an unknown call unrated with the classification reason', () => {
    const quote = quoteCall({ callee: '0999123456', start, billsec: 60 }, ctx);
    expect(quote).toMatchObject({ callType: 'unknown', rated: false, cost: 0, intervals: [] });
    expect(quote.reason?.key).toBe('national.noArea');
    expect(quote.rate).toBeUndefined();
  });

  it('leaves a call without a matching rate unrated', () => {
    const noInternational = beijingQuoteContext(sampleRates.filter((r) => r.callType !== 'international'));
    const quote = quoteCall({ callee: '+12125551234', start, billsec: 60 }, noInternational);
    expect(quote).toMatchObject({ callType: 'international', country: 'US', rated: false, cost: 0 });
    expect(quote.reason?.key).toBe('rate.none');
  });

  it('reports a rate that cannot be applied instead of throwing', () => {
    const broken = beijingQuoteContext([rate({ name: 'broken', callType: 'local', intervals: [{ start: 0, price: 1, unit: 0, increment: 1 }] })]);
    const quote = quoteCall({ callee: '62345678', start, billsec: 60 }, broken);
    expect(quote).toMatchObject({ rated: false, cost: 0, rate: { name: 'broken' } });
    expect(quote.reason?.key).toBe('rating.failed');
  });

  it('rates an unanswered call at 0 but still says which rate applies', () => {
    const quote = quoteCall({ callee: '02150001234', start, billsec: 0 }, ctx);
    expect(quote).toMatchObject({ rated: true, cost: 0, rate: { name: 'domestic' } });
    expect(quote.steps.at(-1)?.key).toBe('rating.unanswered');
  });

  it('applies minimum seconds and connect fee through the whole path', () => {
    const withMinimum = beijingQuoteContext([
      rate({ name: 'Shanghai', callType: 'domestic', prefix: '21', connectFee: 1000, minSeconds: 60, intervals: [interval(0, '0.30', 60, 6)] }),
    ]);
    const quote = quoteCall({ callee: '02150001234', start, billsec: 5 }, withMinimum);
    expect(formatMoney(quote.cost)).toBe('0.4000');
    expect(quote.chargedSeconds).toBe(60);
  });
});
