import { describe, expect, it } from 'vitest';
import { amountInWords } from './amountInWords';
import { formatDuration } from './duration';
import { formatMoneyText } from './money';
import { dayRangeToInstants, formatDateTime, todayIn } from './time';

describe('formatMoneyText', () => {
  it.each([
    ['12.3400', 'en', '¥12.34'],
    ['12.3450', 'en', '¥12.35'],
    ['-0.0050', 'en', '-¥0.01'],
    ['1234567.8900', 'en', '¥1,234,567.89'],
    ['0.0000', 'zh-CN', '¥0.00'],
    ['98765432109.8765', 'en', '¥98,765,432,109.88'],
  ])('%s in %s -> %s', (amount, locale, expected) => {
    expect(formatMoneyText(amount, locale, 'CNY')).toBe(expected);
  });

  it('uses the currency given', () => {
    expect(formatMoneyText('5.0000', 'en', 'USD')).toBe('$5.00');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00:00'],
    [65, '0:01:05'],
    [3725, '1:02:05'],
    [90000, '25:00:00'],
  ])('%d s -> %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('amountInWords', () => {
  it.each([
    [1_000_000, '壹佰元整'],
    [1_234_500, '壹佰贰拾叁元肆角伍分'],
    [1_000_500, '壹佰元零伍分'],
    [5_000, '伍角'],
    [1_000_050_000, '壹拾万零伍元整'],
    [100_000_000_000, '壹仟万元整'],
    [1_000_000_010_000, '壹亿零壹元整'],
    [0, '零元整'],
    [-100_000, '负壹拾元整'],
  ])('%d in Chinese -> %s', (units, expected) => {
    expect(amountInWords(units, 'zh-CN')).toBe(expected);
  });

  it.each([
    [1_234_500, 'One hundred twenty-three and 45/100'],
    [10_000_000, 'One thousand and 00/100'],
    [12_345_678_900, 'One million two hundred thirty-four thousand five hundred sixty-seven and 89/100'],
    [5_000, 'Zero and 50/100'],
  ])('%d in English -> %s', (units, expected) => {
    expect(amountInWords(units, 'en')).toBe(expected);
  });
});

describe('time zones', () => {
  it('shows an instant in the chosen zone', () => {
    const text = formatDateTime('2026-03-02T01:15:02Z', { timeZone: 'Asia/Shanghai', locale: 'en-GB', withZone: true });
    expect(text).toBe('02/03/2026, 09:15:02 GMT+8');
  });

  it('turns whole days in a zone into a half-open instant range', () => {
    expect(dayRangeToInstants('2026-03-01', '2026-03-31', 'Asia/Shanghai')).toEqual({
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-03-31T16:00:00.000Z',
    });
    expect(dayRangeToInstants(undefined, '2026-03-08', 'America/New_York')).toEqual({ to: '2026-03-09T04:00:00.000Z' });
  });

  it('knows which day it is in the zone', () => {
    expect(todayIn('Asia/Shanghai', new Date('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(todayIn('UTC', new Date('2026-03-01T17:00:00Z'))).toBe('2026-03-01');
  });
});

describe('exceedsMoneyBound', () => {
  it('flags an amount beyond the bound, at one unit past it, of either sign, and not the bound itself', async () => {
    const { exceedsMoneyBound } = await import('./money');
    const { MAX_RECHARGE, MAX_RATE_PRICE } = await import('../../../src-shared/domain/money');
    expect(exceedsMoneyBound('100000000', MAX_RECHARGE)).toBe(false);
    expect(exceedsMoneyBound('100000000.0001', MAX_RECHARGE)).toBe(true);
    expect(exceedsMoneyBound('-100000000.0001', MAX_RECHARGE)).toBe(true);
    expect(exceedsMoneyBound(' 1000000000000 ', MAX_RECHARGE)).toBe(true);
    expect(exceedsMoneyBound('10000', MAX_RATE_PRICE)).toBe(false);
    expect(exceedsMoneyBound('99999999999999', MAX_RATE_PRICE)).toBe(true);
    expect(exceedsMoneyBound('999999999999999.9999', MAX_RATE_PRICE)).toBe(true);
    // Not an amount at all: the form's other message, not this one.
    expect(exceedsMoneyBound('12.345678', MAX_RATE_PRICE)).toBe(false);
    expect(exceedsMoneyBound('', MAX_RATE_PRICE)).toBe(false);
  });

  it('formats any text without throwing (a draft is shown as typed)', () => {
    expect(formatMoneyText('1000000000000', 'en', 'CNY')).toBe('1000000000000');
    expect(formatMoneyText('abc', 'zh-CN', 'CNY')).toBe('abc');
  });
});
