import { describe, expect, it } from 'vitest';
import type { Rate } from './rate';
import { buildRateSnapshot } from './rate-snapshot';
import { rate } from './test-fixtures';

const SH = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const noon = at('2026-03-04T12:00:00+08:00'); // a Wednesday

function selectedName(rates: Rate[], callType: Rate['callType'], number: string, start = noon, zone = SH): string | null {
  return buildRateSnapshot(rates).select(callType, number, start, zone).rate?.name ?? null;
}

describe('rate selection: longest prefix', () => {
  const domestic = [
    rate({ name: 'default', callType: 'domestic' }),
    rate({ name: '2x', callType: 'domestic', prefix: '2' }),
    rate({ name: 'Shanghai', callType: 'domestic', prefix: '21' }),
    rate({ name: 'Shanghai 215', callType: 'domestic', prefix: '215' }),
    rate({ name: 'mobile 13x', callType: 'domestic', prefix: '13' }),
    rate({ name: 'local 21', callType: 'local', prefix: '21' }),
  ];
  it.each([
    ['2150001234', 'Shanghai 215'],
    ['2160001234', 'Shanghai'],
    ['2250001234', '2x'],
    ['13912345678', 'mobile 13x'],
    ['75512345678', 'default'],
    ['21', 'Shanghai'], // the number is exactly a prefix
    ['2', '2x'],
  ])('%s -> %s', (number, name) => {
    expect(selectedName(domestic, 'domestic', number)).toBe(name);
  });

  it('matches international prefixes against the number after the international prefix', () => {
    const international = [
      rate({ name: 'world', callType: 'international' }),
      rate({ name: 'Europe 4', callType: 'international', prefix: '4' }),
      rate({ name: 'UK', callType: 'international', prefix: '44' }),
      rate({ name: 'NANP', callType: 'international', prefix: '1' }),
    ];
    expect(selectedName(international, 'international', '44207946000')).toBe('UK');
    expect(selectedName(international, 'international', '4930123456')).toBe('Europe 4');
    expect(selectedName(international, 'international', '12125551234')).toBe('NANP');
    expect(selectedName(international, 'international', '8613800138000')).toBe('world');
  });

  it('keeps call types apart', () => {
    expect(selectedName(domestic, 'local', '2150001234')).toBe('local 21');
    expect(selectedName(domestic, 'local', '1062345678')).toBeNull();
  });

  it('sets aside rates whose prefix can never match', () => {
    const snapshot = buildRateSnapshot([...domestic, rate({ name: 'bad', callType: 'domestic', prefix: '2x' })]);
    expect(snapshot.rateCount).toBe(domestic.length);
    expect(snapshot.skipped.map((r) => r.name)).toEqual(['bad']);
  });

  it('says why there is no rate', () => {
    const selection = buildRateSnapshot(domestic).select('international', '44207946000', noon, SH);
    expect(selection.rate).toBeNull();
    expect(selection.reason).toEqual({ key: 'rate.none', params: { callType: 'international', number: '44207946000' } });
  });
});

describe('rate selection: time bands in device time', () => {
  const night = { days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '08:00' };
  const rates = [
    rate({ name: 'day', callType: 'domestic', prefix: '21' }),
    rate({ name: 'night', callType: 'domestic', prefix: '21', timeBand: night }),
    rate({ name: 'default', callType: 'domestic' }),
  ];
  it.each([
    ['2026-03-04T12:00:00+08:00', 'day'],
    ['2026-03-04T22:00:00+08:00', 'night'], // from is inclusive
    ['2026-03-04T21:59:59+08:00', 'day'],
    ['2026-03-05T07:59:59+08:00', 'night'],
    ['2026-03-05T08:00:00+08:00', 'day'], // to is exclusive
    ['2026-03-05T02:00:00+08:00', 'night'], // after midnight
  ])('%s -> %s', (iso, name) => {
    expect(selectedName(rates, 'domestic', '2150001234', at(iso))).toBe(name);
  });

  it('reads the band in the device time zone', () => {
    const instant = at('2026-03-04T23:00:00+08:00'); // 16:00 in Berlin
    expect(selectedName(rates, 'domestic', '2150001234', instant, SH)).toBe('night');
    expect(selectedName(rates, 'domestic', '2150001234', instant, 'Europe/Berlin')).toBe('day');
  });

  it('prefers a banded rate even when it is older, as DESIGN §6 orders it', () => {
    const older = [
      rate({ name: 'new flat', callType: 'domestic', effectiveFrom: at('2026-02-01T00:00:00+08:00') }),
      rate({ name: 'old night', callType: 'domestic', timeBand: night, effectiveFrom: at('2025-01-01T00:00:00+08:00') }),
    ];
    expect(selectedName(older, 'domestic', '2150001234', at('2026-03-04T23:00:00+08:00'))).toBe('old night');
  });

  it('skips banded rates, with a step, when the zone is unknown', () => {
    const selection = buildRateSnapshot(rates).select('domestic', '2150001234', at('2026-03-04T23:00:00+08:00'), 'Nowhere/Else');
    expect(selection.rate?.name).toBe('day');
    expect(selection.steps.map((s) => s.key)).toContain('rate.badTimeZone');
  });

  it('breaks ties between overlapping bands by rate id, whatever the input order', () => {
    const a = rate({ name: 'evening A', callType: 'domestic', timeBand: { days: [3], from: '18:00', to: '23:00' } });
    const b = rate({ name: 'evening B', callType: 'domestic', timeBand: { days: [3], from: '20:00', to: '22:00' } });
    const start = at('2026-03-04T21:00:00+08:00');
    expect(selectedName([a, b], 'domestic', '2150001234', start)).toBe('evening A');
    expect(selectedName([b, a], 'domestic', '2150001234', start)).toBe('evening A');
  });
});

describe('rate selection: effective dates', () => {
  const march = at('2026-03-01T00:00:00+08:00');
  const rates = [
    rate({ name: 'January', callType: 'local', effectiveFrom: at('2026-01-01T00:00:00+08:00') }),
    rate({ name: 'March', callType: 'local', effectiveFrom: march }),
    rate({ name: 'always', callType: 'local', effectiveFrom: null }),
  ];
  it('takes the latest effective date not after the start; equal counts', () => {
    expect(selectedName(rates, 'local', '1062345678', march)).toBe('March');
    expect(selectedName(rates, 'local', '1062345678', march - 1)).toBe('January');
    expect(selectedName(rates, 'local', '1062345678', at('2025-12-31T23:59:59+08:00'))).toBe('always');
  });

  it('falls back to a shorter prefix when the longer one is not effective yet, and says so', () => {
    const future = [
      rate({ name: 'Shanghai from April', callType: 'domestic', prefix: '21', effectiveFrom: at('2026-04-01T00:00:00+08:00') }),
      rate({ name: 'default', callType: 'domestic' }),
    ];
    const selection = buildRateSnapshot(future).select('domestic', '2150001234', march, SH);
    expect(selection.rate?.name).toBe('default');
    expect(selection.steps.map((s) => s.key)).toEqual(['rate.prefixNotApplicable', 'rate.selectedDefault']);
  });

  it('explains the chosen rate', () => {
    const selection = buildRateSnapshot(rates).select('local', '1062345678', march, SH);
    expect(selection.steps).toEqual([
      { key: 'rate.selectedDefault', params: { name: 'March', id: rates[1]!.id, callType: 'local' } },
      { key: 'rate.effectiveFrom', params: { effectiveFrom: '2026-02-28T16:00:00.000Z' } },
    ]);
  });
});
