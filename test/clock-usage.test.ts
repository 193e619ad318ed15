/**
 * Product code reads the time of day only through the clock it is given (src-main/clock.ts for the engine,
 * src-renderer/src/clock.ts for the UI), so that every test controls it and `npm run test:dates` can move it.
 * Elapsed times and throttles use performance.now(). A new `Date.now()` or argument-less `new Date()` elsewhere fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src-main', 'src-shared', 'src-renderer/src'];
const CLOCK_MODULES = new Set(['src-main/clock.ts', 'src-renderer/src/clock.ts']);
const READS_THE_CLOCK = /\bDate\.now\b|\bnew Date\(\s*\)/;

function productFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(file);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe('the clock', () => {
  it('is read only through the clock modules', () => {
    const found: string[] = [];
    for (const file of ROOTS.flatMap(productFiles)) {
      if (CLOCK_MODULES.has(file)) continue;
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (READS_THE_CLOCK.test(code)) found.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('finds a clock read when there is one (the check itself works)', () => {
    expect(READS_THE_CLOCK.test('const t = Date.now();')).toBe(true);
    expect(READS_THE_CLOCK.test('x ?? Date.now')).toBe(true);
    expect(READS_THE_CLOCK.test('new Date()')).toBe(true);
    expect(READS_THE_CLOCK.test('new Date(now())')).toBe(false);
  });
});
