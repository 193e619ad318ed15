import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api } from '../src-shared/api';
import { keyedTexts, problemFromIssue } from '../src-shared/api/messages';
import en from '../src-renderer/i18n/locales/en/engine.json';
import zh from '../src-renderer/i18n/locales/zh-CN/engine.json';

/**
 * The guard that keeps engine messages translated: every problem a contract method's input schema can give has a key
 * in both engine catalogues, every field it names has a label in both, and every key the engine's sources name
 * exists in both.
 */

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(full, v);
    else flatten(v, full, out);
  }
  return out;
}
const catalogues = { en: flatten(en as Tree), 'zh-CN': flatten(zh as Tree) };
const missingIn = (key: string) => Object.entries(catalogues).filter(([, flat]) => !flat.has(key)).map(([lng]) => lng);

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every path to a value inside a schema (arrays as index 0), with the schema found there. */
function leaves(schema: z.ZodType, at: (string | number)[] = [], depth = 0, out: [(string | number)[], z.ZodType][] = []) {
  if (depth > 12) return out;
  const def = defOf(schema);
  out.push([at, schema]);
  switch (def.type) {
    case 'object':
      for (const [k, v] of Object.entries(def.shape ?? {})) leaves(v, [...at, k], depth + 1, out);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      leaves(def.innerType!, at, depth + 1, out.slice(0, 0)).slice(1).forEach((l) => out.push(l));
      break;
    case 'pipe':
      leaves(def.in!, at, depth + 1, []).slice(1).forEach((l) => out.push(l));
      break;
    case 'array':
      leaves(def.element!, [...at, 0], depth + 1, out);
      break;
    case 'union':
      for (const o of def.options ?? []) leaves(o, at, depth + 1, []).slice(1).forEach((l) => out.push(l));
      break;
    case 'intersection':
      for (const o of [def.left!, def.right!]) leaves(o, at, depth + 1, []).slice(1).forEach((l) => out.push(l));
      break;
    case 'record':
      leaves(def.valueType!, [...at, 'value'], depth + 1, out);
      break;
  }
  return out;
}

function withValue(at: (string | number)[], value: unknown): unknown {
  if (!at.length) return value;
  const [head, ...rest] = at;
  if (typeof head === 'number') return [withValue(rest, value)];
  return { [head!]: withValue(rest, value) };
}

// Wrong kinds, empty and over-long text, text no pattern accepts, numbers out of every range, a 16-digit amount.
const BAD_VALUES: unknown[] = [
  null, '', ' ', 'x'.repeat(70_000), 'not valid !', '-1', '1.23456', '9999999999999999', '12345678901234567890',
  -1, 0, 1.5, 1e16, 100_000, true, [], [1], {}, 'zz-ZZ', '2026-13', '25:61',
];

const methods = Object.entries(api) as [string, { input: z.ZodType }][];

function problemsOf(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((issue) => ({ issue, problem: problemFromIssue(issue) }));
}

describe('engine messages are translated', () => {
  const seen = new Map<string, string>(); // key -> an example of where it came from
  const fields = new Map<string, string>(); // field name -> an example method
  for (const [name, spec] of methods) {
    for (const [at] of leaves(spec.input)) {
      for (const value of BAD_VALUES) {
        for (const { issue, problem } of problemsOf(spec.input, withValue(at, value))) {
          if (!seen.has(problem.key)) seen.set(problem.key, `${name} ${issue.path.join('.')}: ${problem.text}`);
          const named = issue.path.filter((p): p is string => typeof p === 'string');
          const last = named[named.length - 1];
          if (last && !fields.has(last)) fields.set(last, `${name} ${issue.path.join('.')}`);
        }
      }
    }
  }

  it('walks every method with bad input and finds problems', () => {
    expect(methods.length).toBeGreaterThan(50);
    // The walk reaches the custom messages, not only the generic ones.
    expect([...seen.keys()].filter((k) => k.startsWith('field.')).length).toBeGreaterThan(15);
    expect(seen.has('zod.required')).toBe(true);
  });

  it('every problem a contract input gives has a key in both catalogues', () => {
    const missing = [...seen].filter(([key]) => missingIn(key).length).map(([key, where]) => `${key} (${missingIn(key).join(', ')}) from ${where}`);
    expect(missing).toEqual([]);
  });

  it('every field a contract input problem names has a label in both catalogues', () => {
    const missing = [...fields].filter(([f]) => missingIn(`fieldNames.${f}`).length).map(([f, where]) => `${f} from ${where}`);
    expect(missing).toEqual([]);
  });

  it('every keyed contract text has its key in both catalogues', () => {
    const missing = [...keyedTexts()].filter(([, { key }]) => missingIn(key).length).map(([text, { key }]) => `${key}: ${text}`);
    expect(missing).toEqual([]);
  });

  it('every key the engine sources name exists in both catalogues', () => {
    const root = path.resolve(__dirname, '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) && !entry.includes('test-fixtures')) files.push(full);
      }
    };
    walk(path.join(root, 'src-main'));
    walk(path.join(root, 'src-shared'));
    const patterns = [
      /['"`]((?:zod|api|field|fieldNames)\.[A-Za-z_][\w]*(?:\.[\w]+)*)['"`]/g,
      /\bkey: '([a-z][\w]*\.[\w.]+)'/g,
      /(?<![.\w])keyed\('([^']+)'/g,
      /(?<![.\w])problem\('([^']+)'/g,
      /ApiError\.keyed\('\w+', '([^']+)'/g,
    ];
    const groups = new Set(Object.keys(en));
    const missing = new Set<string>();
    let count = 0;
    for (const file of files) {
      // Comments hold examples, not keys.
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const re of patterns) {
        for (const m of source.matchAll(re)) {
          const key = m[1]!;
          if (!groups.has(key.split('.')[0]!)) continue; // another catalogue's key (explain, exports...)
          if (/^zod\.(too_small|too_big|invalid_type|invalid_format|invalid_value)$/.test(key)) continue; // prefixes built on
          count++;
          if (missingIn(key).length) missing.add(`${path.relative(root, file)}: ${key} (${missingIn(key).join(', ')})`);
        }
      }
    }
    expect(count).toBeGreaterThan(100);
    expect([...missing]).toEqual([]);
  });
});
