/**
 * Special numbers (DESIGN §5.5): emergency, carrier service, 95xxx/96xxx service lines, 400/800 numbers... dialled
 * without a trunk prefix. The list is configurable; `resources/special-numbers.json` holds the default for China.
 */

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
  const exact = new Map<string, ExactSpecialNumber>();
  for (const e of list.exact) exact.set(e.number, e);
  // Patterns by prefix length, longest first: the most specific pattern names the number.
  const byLength = new Map<number, Map<string, SpecialNumberPattern[]>>();
  for (const p of list.patterns) {
    let table = byLength.get(p.prefix.length);
    if (!table) byLength.set(p.prefix.length, (table = new Map()));
    const same = table.get(p.prefix);
    if (same) same.push(p);
    else table.set(p.prefix, [p]);
  }
  const lengths = [...byLength.keys()].sort((a, b) => b - a);
  return {
    match(number) {
      const e = exact.get(number);
      if (e) return { kind: 'exact', entry: e };
      for (const len of lengths) {
        if (len > number.length) continue;
        const candidates = byLength.get(len)!.get(number.slice(0, len));
        if (!candidates) continue;
        for (const p of candidates) {
          if (number.length >= p.minLength && number.length <= p.maxLength) return { kind: 'pattern', entry: p };
        }
      }
      return null;
    },
  };
}

/** Problems in a special-number list, as `{ path, message }` for the API. */
export function validateSpecialNumberList(list: Pick<SpecialNumberList, 'exact' | 'patterns'>): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  list.exact.forEach((e, i) => {
    if (!/^\d+$/.test(e.number)) errors.push({ path: `exact.${i}.number`, message: 'must be digits only' });
    if (seen.has(e.number)) errors.push({ path: `exact.${i}.number`, message: `${e.number} is listed twice` });
    seen.add(e.number);
  });
  list.patterns.forEach((p, i) => {
    if (!/^\d+$/.test(p.prefix)) errors.push({ path: `patterns.${i}.prefix`, message: 'must be digits only' });
    if (!Number.isInteger(p.minLength) || p.minLength < p.prefix.length) {
      errors.push({ path: `patterns.${i}.minLength`, message: 'must be a whole number at least as long as the prefix' });
    }
    if (!Number.isInteger(p.maxLength) || p.maxLength < p.minLength) {
      errors.push({ path: `patterns.${i}.maxLength`, message: 'must be a whole number not below minLength' });
    }
  });
  return errors;
}
