import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadingDigitValues, newDigitBuffer, PrefixTable } from './prefix-table';

/** Reference: try every prefix of the number, longest first, in a plain Map of strings. */
function referenceLongest(entries: Map<string, number>, number: string): number | undefined {
  for (let len = number.length; len >= 0; len--) {
    const value = entries.get(number.slice(0, len));
    if (value !== undefined) return value;
  }
  return undefined;
}

describe('PrefixTable', () => {
  it('tells prefixes with leading zeros from shorter ones', () => {
    const table = new PrefixTable<string>();
    table.set('7', 'seven');
    table.set('07', 'zero seven');
    table.set('', 'default');
    expect(table.longest('0712')).toBe('zero seven');
    expect(table.longest('712')).toBe('seven');
    expect(table.longest('0812')).toBe('default');
    expect(table.longest('+44')).toBe('default');
    expect(table.get('07')).toBe('zero seven');
    expect(table.get('007')).toBeUndefined();
  });

  it('refuses prefixes that are not digits or too long to key exactly', () => {
    const table = new PrefixTable<number>();
    expect(table.set('12a', 1)).toBe(false);
    expect(table.set('1234567890123456', 1)).toBe(false);
    expect(table.set('123456789012345', 1)).toBe(true);
    expect(table.longest('1234567890123456789')).toBe(1);
  });

  it('finds past the longest prefix when asked to', () => {
    const table = new PrefixTable<string>();
    table.set('2', 'two');
    table.set('21', 'twenty-one');
    table.set('215', 'two-one-five');
    const seen: string[] = [];
    const found = table.find('2150001234', (value, length) => {
      seen.push(`${value}/${length}`);
      return value === 'two' ? value : undefined;
    });
    expect(found).toBe('two');
    expect(seen).toEqual(['two-one-five/3', 'twenty-one/2', 'two/1']);
  });

  it('agrees with a plain longest-prefix search, dense levels included, also after more rows are added', () => {
    // Over 4,096 distinct 7-digit keys within 10,000 values: dense enough for the direct-index array.
    const rows = fc
      .uniqueArray(fc.integer({ min: 0, max: 9999 }), { minLength: 4200, maxLength: 6000 })
      .map((keys) => keys.map((k, i): [string, number] => [`138${String(k).padStart(4, '0')}`, i]));
    const extra = fc.array(fc.tuple(fc.stringMatching(/^\d{0,6}$/), fc.integer()), { maxLength: 50 });
    const numbers = fc.array(fc.stringMatching(/^\d{0,12}$/), { minLength: 50, maxLength: 50 });
    fc.assert(
      fc.property(rows, extra, numbers, (dense, sparse, probes) => {
        const table = new PrefixTable<number>();
        const reference = new Map<string, number>();
        for (const [prefix, value] of dense) {
          table.set(prefix, value);
          reference.set(prefix, value);
        }
        for (const n of probes) expect(table.longest(n)).toBe(referenceLongest(reference, n));
        // The 7-digit level is dense enough for the direct-index array: make sure it is what was tested. The array is
        // built by the first lookup of a number (probes may all be empty strings, which return before it).
        expect(table.longest(`${dense[0]![0]}1`)).toBe(referenceLongest(reference, `${dense[0]![0]}1`));
        expect((table as unknown as { levels: { dense: unknown }[] }).levels[7]!.dense).toBeInstanceOf(Int32Array);
        for (const [prefix, value] of sparse) {
          table.set(prefix, value);
          reference.set(prefix, value);
        }
        for (const n of [...probes, ...dense.slice(0, 50).map(([p]) => `${p}1234`)]) expect(table.longest(n)).toBe(referenceLongest(reference, n));
      }),
      { numRuns: 20 },
    );
  });

  it('reads leading digit values up to the first non-digit', () => {
    const buffer = newDigitBuffer();
    expect(leadingDigitValues('0213x9', buffer, 15)).toBe(4);
    expect([...buffer.slice(0, 5)]).toEqual([0, 0, 2, 21, 213]);
    expect(leadingDigitValues('123456', buffer, 3)).toBe(3);
  });
});
