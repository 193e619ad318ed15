import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoney2, isMoneyText, MAX_BALANCE, MAX_RATE_PRICE, MAX_RECHARGE, parseMoney, withinMoneyBound } from './money';

describe('money', () => {
  it.each([
    ['0', 0],
    ['12.34', 123400],
    ['0.0712', 712],
    ['-0.0001', -1],
    ['+5', 50000],
    [' 1.5 ', 15000],
    ['99999999999.9999', 999999999999999],
  ])('parses %s', (text, units) => {
    expect(parseMoney(text)).toBe(units);
  });

  it.each(['', '1.23456', '1e3', '12,34', 'abc', '1.2.3', '.5', '0x10'])('rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(/amount/);
  });

  it('formats with four places and round-trips', () => {
    for (const units of [0, 1, -1, 712, 98500, -123456789, 9999999999999]) {
      expect(parseMoney(formatMoney(units))).toBe(units);
    }
    expect(formatMoney(98500)).toBe('9.8500');
    expect(formatMoney(-1)).toBe('-0.0001');
  });

  it('shows two places rounded half up', () => {
    expect(formatMoney2(712)).toBe('0.07');
    expect(formatMoney2(750)).toBe('0.08');
    expect(formatMoney2(-750)).toBe('-0.08');
    expect(formatMoney2(98500)).toBe('9.85');
  });

  it('refuses a fractional amount', () => {
    expect(() => formatMoney(0.5)).toThrow();
  });
});

describe('money bounds', () => {
  it('isMoneyText is true exactly when parseMoney succeeds', () => {
    for (const text of ['0', '100000000', '900719925474.0991', '99999999999999', '1000000000000', '900719925474.0992', '1.23456']) {
      let parsed = true;
      try {
        parseMoney(text);
      } catch {
        parsed = false;
      }
      expect(isMoneyText(text), text).toBe(parsed);
    }
    expect(isMoneyText('900719925474.0991')).toBe(true);
    expect(isMoneyText('1000000000000')).toBe(false);
    expect(isMoneyText('99999999999999')).toBe(false);
  });

  it('states the bounds as exact amounts', () => {
    expect(formatMoney(MAX_RECHARGE)).toBe('100000000.0000');
    expect(formatMoney(MAX_RATE_PRICE)).toBe('10000.0000');
    expect(formatMoney(MAX_BALANCE)).toBe('100000000000.0000');
    expect(Number.isSafeInteger(MAX_BALANCE * 9)).toBe(true);
  });

  it('withinMoneyBound includes the bound and refuses one unit more, either sign', () => {
    expect(withinMoneyBound(MAX_RECHARGE, MAX_RECHARGE)).toBe(true);
    expect(withinMoneyBound(-MAX_RECHARGE, MAX_RECHARGE)).toBe(true);
    expect(withinMoneyBound(MAX_RECHARGE + 1, MAX_RECHARGE)).toBe(false);
    expect(withinMoneyBound(-MAX_RECHARGE - 1, MAX_RECHARGE)).toBe(false);
    expect(withinMoneyBound(0.5, MAX_RECHARGE)).toBe(false);
  });
});
