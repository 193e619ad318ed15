import { describe, expect, it } from 'vitest';
import { MAX_BALANCE, MAX_RECHARGE, MONEY_SCALE, parseMoney } from '../../../src-shared/domain/money';
import { amountInWords } from './amountInWords';

describe('amountInWords', () => {
  it.each([
    ['0', '零元整', 'Zero and 00/100'],
    ['100', '壹佰元整', 'One hundred and 00/100'],
    ['1000.5', '壹仟元伍角', 'One thousand and 50/100'],
    ['10001.07', '壹万零壹元零柒分', 'Ten thousand one and 07/100'],
    ['-12.3456', '负壹拾贰元叁角伍分', 'Minus twelve and 35/100'],
  ])('%s', (amount, zh, en) => {
    expect(amountInWords(parseMoney(amount), 'zh-CN')).toBe(zh);
    expect(amountInWords(parseMoney(amount), 'en')).toBe(en);
  });

  it('writes the largest recharge', () => {
    expect(MAX_RECHARGE).toBe(parseMoney('100000000'));
    expect(amountInWords(MAX_RECHARGE, 'zh-CN')).toBe('壹亿元整');
    expect(amountInWords(MAX_RECHARGE, 'en')).toBe('One hundred million and 00/100');
  });

  it('writes the largest amount any field holds, of either sign', () => {
    expect(MAX_BALANCE).toBe(parseMoney('100000000000'));
    expect(amountInWords(MAX_BALANCE, 'zh-CN')).toBe('壹仟亿元整');
    expect(amountInWords(-MAX_BALANCE, 'zh-CN')).toBe('负壹仟亿元整');
    expect(amountInWords(MAX_BALANCE, 'en')).toBe('One hundred billion and 00/100');
    expect(amountInWords(MAX_BALANCE - 1, 'zh-CN')).toBe('壹仟亿元整'); // 99,999,999,999.9999 rounds to cents
    expect(amountInWords(MAX_BALANCE - 100, 'zh-CN')).toBe('玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
  });

  it('gives no words beyond the bound or for what is not an exact amount, and never throws', () => {
    expect(amountInWords(MAX_BALANCE + 1, 'zh-CN')).toBeNull();
    expect(amountInWords(-MAX_BALANCE - 1, 'en')).toBeNull();
    // The crash input of the issue: 1,000,000,000,000 typed as a recharge (10^16 units, not an exact JS integer).
    expect(amountInWords(1_000_000_000_000 * MONEY_SCALE, 'zh-CN')).toBeNull();
    expect(amountInWords(Number.MAX_SAFE_INTEGER, 'en')).toBeNull();
    expect(amountInWords(Number.NaN, 'en')).toBeNull();
    expect(amountInWords(0.5, 'en')).toBeNull();
  });
});
