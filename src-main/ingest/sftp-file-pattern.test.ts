import { describe, expect, it } from 'vitest';
import { fileNameMatcher } from './sftp-file-pattern';

describe('SFTP file pattern', () => {
  it.each([
    ['Master*.csv', 'Master.csv', true],
    ['Master*.csv', 'Master-2026.csv', true],
    ['Master*.csv', 'master.csv', false],
    ['Master*.csv', 'Master.csv.1', false],
    ['*', '.hidden', true],
    ['cdr_?', 'cdr_1', true],
    ['cdr_?', 'cdr_12', false],
    ['cdr_[0-9]*', 'cdr_7x', true],
    ['cdr_[!_]*', 'cdr__x', false],
    ['[abc', '[abc', true],
    ['a.b', 'aXb', false],
    ['(x)+{1}', '(x)+{1}', true],
    ['Master*.csv; cdr_*', 'cdr_Cluster1_01', true],
    ['Master*.csv; cdr_*', 'other.txt', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(fileNameMatcher(pattern)(name)).toBe(expected);
  });
});
