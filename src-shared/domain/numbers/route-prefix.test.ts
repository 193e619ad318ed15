import { describe, expect, it } from 'vitest';
import { cleanDialledNumber, normalizeNumber } from './route-prefix';
import type { RoutePrefixRule } from './numbering-plan';

const strip9: RoutePrefixRule = { prefix: '9', minRemainingLength: 3, replacement: '' };
const zeroToPlus: RoutePrefixRule = { prefix: '000', minRemainingLength: 5, replacement: '00' };

describe('cleanDialledNumber', () => {
  it.each([
    ['138-0013-8000', '13800138000'],
    [' +86 (10) 6234 5678 ', '+861062345678'],
    ['+', '+'],
    ['12+34', '1234'],
    ['++44', '+44'],
    ['*97#', '97'],
    ['', ''],
    ['abc', ''],
  ])('%j -> %j', (input, expected) => {
    expect(cleanDialledNumber(input)).toBe(expected);
  });
});

describe('normalizeNumber', () => {
  it.each([
    // dialled, rules, normalized, step keys
    ['902150001234', [strip9], '02150001234', ['route.stripped']],
    ['9110', [strip9], '110', ['route.stripped']],
    // Exactly minRemainingLength digits remain: the rule fires.
    ['9123', [strip9], '123', ['route.stripped']],
    // One digit too few: it must not fire, and says why.
    ['912', [strip9], '912', ['route.remainderTooShort']],
    ['9', [strip9], '9', ['route.remainderTooShort']],
    ['8004', [strip9], '8004', []],
    ['9-138 0013 8000', [strip9], '13800138000', ['route.cleaned', 'route.stripped']],
    // The first matching rule wins; later rules are not tried.
    ['000441234567', [zeroToPlus, { prefix: '0', minRemainingLength: 1, replacement: 'X' }], '00441234567', ['route.replaced']],
    // A rule that matches but leaves too little falls through to the next rule.
    ['0001234', [zeroToPlus, { prefix: '0', minRemainingLength: 1, replacement: '' }], '001234', ['route.remainderTooShort', 'route.stripped']],
    // A `+` number never starts with a digit prefix.
    ['+9123', [strip9], '+9123', []],
  ] as const)('%s', (dialled, rules, normalized, keys) => {
    const result = normalizeNumber(dialled, rules);
    expect(result.number).toBe(normalized);
    expect(result.steps.map((s) => s.key)).toEqual(keys);
  });

  it('reports the rule position and both forms', () => {
    const { steps } = normalizeNumber('913800138000', [zeroToPlus, strip9]);
    expect(steps).toEqual([{ key: 'route.stripped', params: { prefix: '9', from: '913800138000', to: '13800138000', position: 2 } }]);
  });

  it('ignores rules with an empty prefix', () => {
    expect(normalizeNumber('123', [{ prefix: '', minRemainingLength: 0, replacement: '9' }]).number).toBe('123');
  });
});
