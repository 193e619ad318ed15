/**
 * Special numbers (DESIGN §5.5): emergency, carrier service, 95xxx/96xxx service lines, 400/800 numbers... dialled
 * without a trunk prefix. The list is configurable; `resources/special-numbers.json` holds the default for China.
 */
import { PrefixTable } from './prefix-table';

export type SpecialNumberCategory = 'emergency' | 'directory' | 'carrier' | 'public-service' | 'service-line' | 'toll-free';

interface SpecialNumberLabel {
  category: SpecialNumberCategory;
  /** English name, for logs and the English UI. */
  en: string;
  /** Chinese name. */
  zh: string;
}

export interface ExactSpecialNumber extends SpecialNumberLabel {
  number: string;
}

/** Every number that starts with `prefix` and has between `minLength` and `maxLength` digits (inclusive). */
export interface SpecialNumberPattern extends SpecialNumberLabel {
  prefix: string;
  minLength: number;
  maxLength: number;
}

export interface SpecialNumberList {
  countryCode: string;
  exact: ExactSpecialNumber[];
  patterns: SpecialNumberPattern[];
}

export type SpecialNumberMatch =
  | { kind: 'exact'; entry: ExactSpecialNumber }
  | { kind: 'pattern'; entry: SpecialNumberPattern };

export interface SpecialNumberIndex {
  match(number: string): SpecialNumberMatch | null;
}

export function buildSpecialNumberIndex(list: Pick<SpecialNumberList, 'exact' | 'patterns'>): SpecialNumberIndex {
  const exact = new Map<string, SpecialNumberMatch>();
  for (const e of list.exact) exact.set(e.number, { kind: 'exact', entry: e });
  // The most specific (longest) prefix whose length range fits names the number.
  const patterns = new PrefixTable<SpecialNumberMatch[]>();
  for (const p of list.patterns) {
    const match: SpecialNumberMatch = { kind: 'pattern', entry: p };
    const same = patterns.get(p.prefix);
    if (same) same.push(match);
    else patterns.set(p.prefix, [match]);
  }
  return {
    match(number) {
      const e = exact.get(number);
      if (e) return e;
      const length = number.length;
      return (
        patterns.find(number, (candidates) => {
          for (const c of candidates) {
            const p = c.entry as SpecialNumberPattern;
            if (length >= p.minLength && length <= p.maxLength) return c;
          }
          return undefined;
        }) ?? null
      );
    },
  };
}

/** A problem of a special-number list: where, the English message, and its key in the engine catalogue. */
export interface SpecialNumberProblem {
  path: string;
  message: string;
  key: string;
  params?: Record<string, string | number>;
}

/** Problems in a special-number list, as `{ path, message, key }` for the API. */
export function validateSpecialNumberList(list: Pick<SpecialNumberList, 'exact' | 'patterns'>): SpecialNumberProblem[] {
  const errors: SpecialNumberProblem[] = [];
  const seen = new Set<string>();
  list.exact.forEach((e, i) => {
    if (!/^\d+$/.test(e.number)) errors.push({ path: `exact.${i}.number`, message: 'must be digits only', key: 'field.digits' });
    if (seen.has(e.number)) errors.push({ path: `exact.${i}.number`, message: `${e.number} is listed twice`, key: 'field.numberTwice', params: { number: e.number } });
    seen.add(e.number);
  });
  list.patterns.forEach((p, i) => {
    if (!/^\d+$/.test(p.prefix)) errors.push({ path: `patterns.${i}.prefix`, message: 'must be digits only', key: 'field.digits' });
    if (!Number.isInteger(p.minLength) || p.minLength < p.prefix.length) {
      errors.push({ path: `patterns.${i}.minLength`, message: 'must be a whole number at least as long as the prefix', key: 'field.minLengthPrefix' });
    }
    if (!Number.isInteger(p.maxLength) || p.maxLength < p.minLength) {
      errors.push({ path: `patterns.${i}.maxLength`, message: 'must be a whole number not below minLength', key: 'field.maxLengthMin' });
    }
  });
  return errors;
}
