import { describe, expect, it } from 'vitest';
import specialNumbersJson from '../../../resources/special-numbers.json';
import { buildSpecialNumberIndex, validateSpecialNumberList, type SpecialNumberList } from './special-numbers';

const list = specialNumbersJson as SpecialNumberList;
const index = buildSpecialNumberIndex(list);

describe('default special numbers (resources/special-numbers.json)', () => {
  it('is a valid list for China', () => {
    expect(list.countryCode).toBe('86');
    expect(validateSpecialNumberList(list)).toEqual([]);
    for (const e of [...list.exact, ...list.patterns]) {
      expect(e.en.length).toBeGreaterThan(0);
      expect(e.zh.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['110', 'exact', 'emergency'],
    ['119', 'exact', 'emergency'],
    ['120', 'exact', 'emergency'],
    ['122', 'exact', 'emergency'],
    ['112', 'exact', 'emergency'],
    ['114', 'exact', 'directory'],
    ['10086', 'exact', 'carrier'],
    ['10010', 'exact', 'carrier'],
    ['10000', 'exact', 'carrier'],
    ['10050', 'pattern', 'carrier'],
    ['12345', 'exact', 'public-service'],
    ['12369', 'pattern', 'public-service'],
    ['95588', 'pattern', 'service-line'],
    ['955880', 'pattern', 'service-line'],
    ['96333', 'pattern', 'service-line'],
    ['4008123456', 'pattern', 'toll-free'],
    ['8008101234', 'pattern', 'toll-free'],
  ])('%s is special (%s, %s)', (number, kind, category) => {
    const match = index.match(number);
    expect(match?.kind).toBe(kind);
    expect(match?.entry.category).toBe(category);
  });

  it.each([
    '62345678', // a Beijing subscriber number
    '13800138000', // a mobile number
    '9558', // too short for 95xxx
    '9558800', // too long for 95xxx
    '400812345', // 400 numbers have 10 digits
    '40081234567',
    '123456', // 12xxx has 5 digits
    '111',
  ])('%s is not special', (number) => {
    expect(index.match(number)).toBeNull();
  });
});

describe('special number lists', () => {
  it('prefers the longest matching pattern', () => {
    const custom = buildSpecialNumberIndex({
      exact: [],
      patterns: [
        { prefix: '9', minLength: 5, maxLength: 5, category: 'service-line', en: 'short', zh: '短' },
        { prefix: '955', minLength: 5, maxLength: 5, category: 'service-line', en: 'banks', zh: '银行' },
      ],
    });
    expect(custom.match('95588')?.entry.en).toBe('banks');
    expect(custom.match('96333')?.entry.en).toBe('short');
  });

  it('reports invalid entries with their path', () => {
    const errors = validateSpecialNumberList({
      exact: [
        { number: '11a', category: 'emergency', en: 'x', zh: 'x' },
        { number: '110', category: 'emergency', en: 'x', zh: 'x' },
        { number: '110', category: 'emergency', en: 'x', zh: 'x' },
      ],
      patterns: [{ prefix: '400', minLength: 2, maxLength: 1, category: 'toll-free', en: 'x', zh: 'x' }],
    });
    expect(errors.map((e) => e.path)).toEqual(['exact.0.number', 'exact.2.number', 'patterns.0.minLength', 'patterns.0.maxLength']);
  });
});
