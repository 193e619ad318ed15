import { describe, expect, it } from 'vitest';
import { validateRate, validateRateGroup, type RateDraft } from './rate-validation';
import { interval } from './test-fixtures';

const valid: RateDraft = {
  name: 'Shanghai',
  callType: 'domestic',
  prefix: '21',
  connectFee: 0,
  intervals: [interval(0, '0.20', 120, 120), interval(120, '0.30', 60, 60)],
  freeSeconds: 0,
  minSeconds: 0,
  effectiveFrom: null,
  timeBand: { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
};

describe('validateRate', () => {
  it('accepts a valid rate', () => {
    expect(validateRate(valid)).toEqual([]);
    expect(validateRate({ ...valid, prefix: '', timeBand: { days: [6, 7], from: '00:00', to: '24:00' } })).toEqual([]);
    expect(validateRate({ ...valid, timeBand: { days: [5], from: '22:00', to: '06:00' } })).toEqual([]);
  });

  it.each<[string, Partial<RateDraft>, string[]]>([
    ['empty name', { name: ' ' }, ['name']],
    ['unknown call type', { callType: 'unknown' as never }, ['callType']],
    ['prefix with non-digits', { prefix: '+44' }, ['prefix']],
    ['prefix too long to match', { prefix: '4420794600012345' }, ['prefix']],
    ['negative connect fee', { connectFee: -1 }, ['connectFee']],
    ['fractional free seconds', { freeSeconds: 1.5 }, ['freeSeconds']],
    ['negative minimum', { minSeconds: -1 }, ['minSeconds']],
    ['effective date not a number', { effectiveFrom: Number.NaN }, ['effectiveFrom']],
    ['no intervals', { intervals: [] }, ['intervals']],
    ['first interval not at 0', { intervals: [interval(10, '0.1', 60, 60)] }, ['intervals.0.start']],
    ['intervals not ascending', { intervals: [interval(0, '0.1', 60, 60), interval(120, '0.1', 60, 60), interval(120, '0.1', 60, 60)] }, ['intervals.2.start']],
    ['zero unit', { intervals: [{ start: 0, price: 1, unit: 0, increment: 60 }] }, ['intervals.0.unit']],
    ['zero increment', { intervals: [{ start: 0, price: 1, unit: 60, increment: 0 }] }, ['intervals.0.increment']],
    ['negative price', { intervals: [{ start: 0, price: -1, unit: 60, increment: 60 }] }, ['intervals.0.price']],
    ['no days', { timeBand: { days: [], from: '08:00', to: '18:00' } }, ['timeBand.days']],
    ['day 8', { timeBand: { days: [1, 8], from: '08:00', to: '18:00' } }, ['timeBand.days.1']],
    ['day 0', { timeBand: { days: [0], from: '08:00', to: '18:00' } }, ['timeBand.days.0']],
    ['a day twice', { timeBand: { days: [1, 1], from: '08:00', to: '18:00' } }, ['timeBand.days']],
    ['bad from', { timeBand: { days: [1], from: '8:00', to: '18:00' } }, ['timeBand.from']],
    ['from 24:00', { timeBand: { days: [1], from: '24:00', to: '06:00' } }, ['timeBand.from']],
    ['bad to', { timeBand: { days: [1], from: '08:00', to: '18:60' } }, ['timeBand.to']],
    ['empty band', { timeBand: { days: [1], from: '08:00', to: '08:00' } }, ['timeBand.to']],
  ])('%s', (_name, change, paths) => {
    expect(validateRate({ ...valid, ...change }).map((e) => e.path)).toEqual(paths);
  });
});

describe('validateRateGroup', () => {
  it('refuses two rates with the same call type, prefix, band and effective date', () => {
    const same = { ...valid, name: 'copy', timeBand: { days: [5, 4, 3, 2, 1], from: '08:00', to: '18:00' } };
    const errors = validateRateGroup([valid, same]);
    expect(errors).toEqual([
      { path: '1', message: expect.stringContaining('rate 0 ("Shanghai")'), key: 'field.rateDuplicate', params: { name: 'Shanghai' } },
    ]);
  });

  it.each<[string, Partial<RateDraft>]>([
    ['another prefix', { prefix: '22' }],
    ['another call type', { callType: 'local' }],
    ['another band', { timeBand: { days: [6, 7], from: '08:00', to: '18:00' } }],
    ['no band', { timeBand: null }],
    ['another effective date', { effectiveFrom: Date.parse('2026-04-01T00:00:00+08:00') }],
  ])('accepts rates that differ by %s', (_name, change) => {
    expect(validateRateGroup([valid, { ...valid, ...change }])).toEqual([]);
  });

  it('prefixes field errors with the rate position', () => {
    expect(validateRateGroup([valid, { ...valid, prefix: 'x' }]).map((e) => e.path)).toEqual(['1.prefix']);
  });
});
