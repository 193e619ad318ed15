import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from '../money';
import type { Tariff } from './rate';
import { rateCall } from './rate-call';
import { interval } from './test-fixtures';

const tariff = (fields: Partial<Tariff>): Tariff => ({ connectFee: 0, intervals: [], freeSeconds: 0, minSeconds: 0, ...fields });
/** DESIGN §6: initial 120 s for 0.20, then 0.30 per 60 s. */
const twoStep = tariff({ intervals: [interval(0, '0.20', 120, 120), interval(120, '0.30', 60, 60)] });
const perSecond = tariff({ intervals: [interval(0, '0.07', 60, 1)] });
const perMinuteWithFee = tariff({ connectFee: parseMoney('0.10'), intervals: [interval(0, '0.30', 60, 60)] });
const sixSix = tariff({ intervals: [interval(0, '0.30', 60, 6)] });

describe('rateCall: worked examples of DESIGN §6', () => {
  it.each([
    [twoStep, 68, '0.2000'],
    [twoStep, 125, '0.5000'],
    [twoStep, 190, '0.8000'],
    [twoStep, 380, '1.7000'],
    [perSecond, 61, '0.0712'],
    [perMinuteWithFee, 61, '0.7000'],
  ])('%#: %i s -> %s', (t, billsec, cost) => {
    expect(formatMoney(rateCall(t, billsec).cost)).toBe(cost);
  });

  it('rounds the exact total once, never per increment', () => {
    // Per-increment rounding would give 61 x 0.0012 = 0.0732.
    expect(rateCall(perSecond, 61).cost).toBe(712);
    // 1 s at 0.0003 per 2 s = 0.00015: exactly half a unit rounds up.
    expect(rateCall(tariff({ intervals: [interval(0, '0.0003', 2, 1)] }), 1).cost).toBe(2);
    // 1 s at 0.0001 per 3 s = 0.0000333...: rounds down.
    expect(rateCall(tariff({ intervals: [interval(0, '0.0001', 3, 1)] }), 1).cost).toBe(0);
    // 0.0001 per 3 s and 0.0001 per 2 s: 1/3 + 1/2 of a unit = 5/6 -> 1, although each part alone rounds to 0 and 1.
    const mixed = tariff({ intervals: [interval(0, '0.0001', 3, 1), interval(1, '0.0001', 2, 1)] });
    expect(rateCall(mixed, 2).cost).toBe(1);
  });

  it('itemizes each interval', () => {
    const charge = rateCall(twoStep, 380);
    expect(charge.intervals).toEqual([
      { index: 1, start: 0, end: 120, seconds: 120, billedSeconds: 120, price: 2000, unit: 120, increment: 120, amount: 2000 },
      { index: 2, start: 120, end: null, seconds: 260, billedSeconds: 300, price: 3000, unit: 60, increment: 60, amount: 15000 },
    ]);
    expect(charge.billedSeconds).toBe(420);
    expect(charge.chargedSeconds).toBe(380);
    expect(charge.steps.map((s) => s.key)).toEqual(['rating.interval', 'rating.interval', 'rating.total']);
  });
});

describe('rateCall: boundaries', () => {
  const withFree = { ...perMinuteWithFee, freeSeconds: 10 };
  const withMinimum = { ...sixSix, minSeconds: 30 };
  it.each([
    ['unanswered', twoStep, 0, 0, 0],
    ['negative billsec', twoStep, -5, 0, 0],
    ['NaN billsec', twoStep, Number.NaN, 0, 0],
    ['1 s', twoStep, 1, 2000, 120],
    ['exactly on the second interval start', twoStep, 120, 2000, 120],
    ['one second past it', twoStep, 121, 5000, 180],
    ['= freeSeconds: free, no connect fee', withFree, 10, 0, 0],
    ['= freeSeconds + 1: charged with connect fee', withFree, 11, 4000, 60],
    ['freeSeconds 0 and 1 s', perMinuteWithFee, 1, 4000, 60],
    ['minSeconds above billsec', withMinimum, 10, 1500, 30],
    ['minSeconds above billsec, not a multiple of the increment', withMinimum, 29, 1500, 30],
    ['minSeconds below billsec', withMinimum, 31, 1800, 36],
    ['6/6 billing: 122 s -> 126 s', sixSix, 122, 6300, 126],
    ['a started second counts', sixSix, 60.2, 3300, 66],
    ['no intervals: only the connect fee', tariff({ connectFee: 500 }), 30, 500, 0],
  ] as const)('%s', (_name, t, billsec, cost, billedSeconds) => {
    const charge = rateCall(t, billsec);
    expect(charge.cost).toBe(cost);
    expect(charge.billedSeconds).toBe(billedSeconds);
  });

  it('says why a call is free', () => {
    expect(rateCall(twoStep, 0).steps).toEqual([{ key: 'rating.unanswered', params: {} }]);
    expect(rateCall({ ...twoStep, freeSeconds: 10 }, 10).steps).toEqual([{ key: 'rating.free', params: { billsec: 10, freeSeconds: 10 } }]);
    expect(rateCall({ ...sixSix, minSeconds: 30 }, 10).steps[0]).toEqual({ key: 'rating.minimum', params: { billsec: 10, minSeconds: 30 } });
  });

  it('stays exact beyond 2^53 intermediate products', () => {
    // 10,000,000 s at 99,999.9999 per 7 s: the numerator needs BigInt; the cost still fits.
    const costly = tariff({ intervals: [interval(0, '99999.9999', 7, 1)] });
    const expected = (10_000_000n * 999_999_999n * 2n + 7n) / 14n; // half up
    expect(rateCall(costly, 10_000_000).cost).toBe(Number(expected));
  });

  it('refuses a cost that cannot be an amount, and rates it cannot apply', () => {
    const absurd = tariff({ intervals: [interval(0, '99999999999', 1, 1)] });
    expect(() => rateCall(absurd, 100_000_000)).toThrow(/too large/);
    expect(() => rateCall(tariff({ intervals: [{ start: 0, price: 1, unit: 0, increment: 1 }] }), 5)).toThrow(/unit and increment/);
  });
});

/** Independent reference: sum of exact fractions with BigInt, no common-denominator tricks. */
function referenceCost(t: Tariff, billsec: number): bigint {
  if (billsec <= 0 || billsec <= t.freeSeconds) return 0n;
  const charged = Math.max(billsec, t.minSeconds);
  let num = BigInt(t.connectFee);
  let den = 1n;
  t.intervals.forEach((iv, i) => {
    const end = t.intervals[i + 1]?.start ?? Infinity;
    const part = Math.min(charged, end) - iv.start;
    if (part <= 0) return;
    const billed = BigInt(Math.ceil(part / iv.increment) * iv.increment);
    num = num * BigInt(iv.unit) + billed * BigInt(iv.price) * den;
    den *= BigInt(iv.unit);
  });
  return (2n * num + den) / (2n * den);
}

const tariffs = fc
  .record({
    connectFee: fc.integer({ min: 0, max: 100_000 }),
    freeSeconds: fc.integer({ min: 0, max: 30 }),
    minSeconds: fc.integer({ min: 0, max: 120 }),
    parts: fc.array(
      fc.record({ length: fc.integer({ min: 1, max: 300 }), price: fc.integer({ min: 0, max: 200_000 }), unit: fc.integer({ min: 1, max: 120 }), increment: fc.integer({ min: 1, max: 90 }) }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ parts, ...rest }): Tariff => {
    let start = 0;
    const intervals = parts.map((p) => {
      const iv = { start, price: p.price, unit: p.unit, increment: p.increment };
      start += p.length;
      return iv;
    });
    return { ...rest, intervals };
  });

describe('rateCall properties', () => {
  it('cost is a non-negative integer equal to the exact total rounded half up once', () => {
    fc.assert(
      fc.property(tariffs, fc.integer({ min: 0, max: 20_000 }), (t, billsec) => {
        const { cost } = rateCall(t, billsec);
        expect(Number.isSafeInteger(cost)).toBe(true);
        expect(cost).toBeGreaterThanOrEqual(0);
        expect(BigInt(cost)).toBe(referenceCost(t, billsec));
      }),
      { numRuns: 3000 },
    );
  });

  it('cost never decreases when billsec grows', () => {
    fc.assert(
      fc.property(tariffs, fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 400 }), (t, billsec, more) => {
        expect(rateCall(t, billsec + more).cost).toBeGreaterThanOrEqual(rateCall(t, billsec).cost);
        expect(rateCall(t, billsec + 1).cost).toBeGreaterThanOrEqual(rateCall(t, billsec).cost);
      }),
      { numRuns: 3000 },
    );
  });
});
