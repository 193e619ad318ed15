import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, resources, type Messages } from './resources';

/** "a.b.c" -> value for every leaf; plural forms (`_one`, `_other`...) count as their base key. */
function flatten(messages: Messages, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(messages)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') for (const [k, v] of flatten(value, full)) out.set(k, v);
    else out.set(full.replace(/_(zero|one|two|few|many|other)$/, ''), value);
  }
  return out;
}

const namespaces = [...new Set(LANGUAGES.flatMap((lng) => Object.keys(resources[lng] ?? {})))].sort();

describe('translations', () => {
  it('exist for both languages', () => {
    expect(namespaces.length).toBeGreaterThan(0);
    for (const lng of LANGUAGES) expect(Object.keys(resources[lng] ?? {}).sort(), `namespaces of ${lng}`).toEqual(namespaces);
  });

  describe.each(namespaces)('namespace %s', (namespace) => {
    const flat = Object.fromEntries(LANGUAGES.map((lng) => [lng, flatten(resources[lng]?.[namespace] ?? {})]));

    it('has every key in both languages', () => {
      const [first, ...others] = LANGUAGES.map((lng) => [...flat[lng]!.keys()].sort());
      for (const keys of others) expect(keys).toEqual(first);
    });

    it('has no empty or non-text values', () => {
      for (const lng of LANGUAGES) {
        for (const [key, value] of flat[lng]!) {
          expect(typeof value, `${lng}/${namespace}:${key}`).toBe('string');
          expect((value as string).trim(), `${lng}/${namespace}:${key}`).not.toBe('');
        }
      }
    });
  });

  it('has every literal key the code uses', () => {
    const srcDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) files.push(full);
      }
    };
    walk(srcDir);
    const english = Object.fromEntries(namespaces.map((ns) => [ns, flatten(resources.en?.[ns] ?? {})]));
    const missing: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      // t('ns:key'), titleKey="ns:key", label: 'ns:key' ... any quoted "namespace:dotted.key" literal.
      for (const match of source.matchAll(/['"]([a-zA-Z]+):([a-zA-Z][\w]*(?:\.[\w]+)*)['"]/g)) {
        const [, ns, key] = match as unknown as [string, string, string];
        if (!namespaces.includes(ns)) continue;
        if (!english[ns]!.has(key)) missing.push(`${path.relative(srcDir, file)}: ${ns}:${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
