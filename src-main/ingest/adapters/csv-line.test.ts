import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitDelimitedLine } from './csv-line';

const fieldsOf = (line: string, delimiter?: string) => {
  const result = splitDelimitedLine(line, delimiter);
  if (!result.ok) throw new Error(result.problem);
  return result.fields;
};

describe('splitDelimitedLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a","b,c",d', ['a', 'b,c', 'd']],
    ['"""Li Wei"" <8001>",129', ['"Li Wei" <8001>', '129']],
    [',,', ['', '', '']],
    ['"",x,""', ['', 'x', '']],
    ['"2026-03-02 12:00:00",,"2026-03-02 12:00:25"', ['2026-03-02 12:00:00', '', '2026-03-02 12:00:25']],
    ['say "hi",b', ['say "hi"', 'b']],
    ['"张敏",8002', ['张敏', '8002']],
  ])('splits %j', (line, expected) => {
    expect(fieldsOf(line)).toEqual(expected);
  });

  it('keeps an unquoted caller id with quotes as written (Grandstream clid)', () => {
    expect(fieldsOf('4711,"Li Wei" <8001>,PJSIP/8001-0000001a')).toEqual(['4711', '"Li Wei" <8001>', 'PJSIP/8001-0000001a']);
    expect(fieldsOf('4712,"Zhang, Min" <8002>,x')).toEqual(['4712', '"Zhang, Min" <8002>', 'x']);
  });

  it('splits on another delimiter', () => {
    expect(fieldsOf('a;"b;c";d', ';')).toEqual(['a', 'b;c', 'd']);
    expect(fieldsOf('a\t"b\tc"\t', '\t')).toEqual(['a', 'b\tc', '']);
  });

  it('says which column has a quote that is never closed', () => {
    expect(splitDelimitedLine('"a","b,c')).toEqual({
      ok: false,
      problem: 'column 2: quoted field is not closed before the end of the line',
    });
  });

  it('says which column has an unbalanced quote instead of shifting the columns after it', () => {
    expect(splitDelimitedLine('a,b"c,d')).toEqual({ ok: false, problem: 'column 2: unbalanced quote inside an unquoted field' });
    expect(splitDelimitedLine('"a","b"c","d"')).toEqual({ ok: false, problem: 'column 2: unbalanced quote after the quoted text' });
    expect(splitDelimitedLine('"a",129,122","ANSWERED"')).toEqual({ ok: false, problem: 'column 3: unbalanced quote inside an unquoted field' });
  });

  it('rejects a line with a NUL byte, naming its column', () => {
    expect(splitDelimitedLine('"8001","9021\u000050001234",129')).toEqual({ ok: false, problem: 'column 2: holds a NUL byte (the line is damaged)' });
    expect(splitDelimitedLine('\u0000\u0000\u0000')).toEqual({ ok: false, problem: 'column 1: holds a NUL byte (the line is damaged)' });
  });

  it('reads an unquoted NULL or \\N as empty when asked (database exports), a quoted one as text', () => {
    expect(fieldsOf('NULL,"NULL",\\N,NULLx')).toEqual(['NULL', 'NULL', '\\N', 'NULLx']);
    const split = splitDelimitedLine('NULL,"NULL",\\N,NULLx', ',', { unquotedNullIsEmpty: true });
    expect(split).toEqual({ ok: true, fields: ['', 'NULL', '', 'NULLx'] });
  });

  it('never accepts a line whose quotes do not pair up', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '"', ',', ' ', '1'), maxLength: 40 });
    fc.assert(
      fc.property(text, (line) => {
        const quotes = [...line].filter((c) => c === '"').length;
        if (quotes % 2 === 1) expect(splitDelimitedLine(line).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with csv-parse on well-formed CSV lines', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '7', ' ', ',', '"', '张', '-', ':') }),
      fc.string({ unit: fc.constantFrom('x', '1', ' ') }),
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 20 }), fc.boolean(), (fields, quoteAll) => {
        const line = fields
          .map((f) => (quoteAll || /[",]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f))
          .join(',');
        const [reference] = parse(line, { relax_column_count: true }) as string[][];
        expect(fieldsOf(line)).toEqual(reference);
        expect(fieldsOf(line)).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });
});
