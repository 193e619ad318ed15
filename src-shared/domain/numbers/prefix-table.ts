/**
 * Longest-prefix lookup over digit prefixes, the shape of every table in rating (attribution, special numbers,
 * rates). Keys are the prefixes' integer values in one Map per prefix length, so a lookup allocates nothing: the
 * number's leading-digit values are computed once into a scratch buffer, then each length is one Map probe.
 */

/** Prefixes longer than this cannot be keyed exactly (2^53) and are refused; real ones have at most ~10 digits. */
export const MAX_PREFIX_LENGTH = 15;

const DIGITS = /^\d*$/;

export function isPrefixKey(prefix: string): boolean {
  return prefix.length <= MAX_PREFIX_LENGTH && DIGITS.test(prefix);
}

/**
 * Writes the value of the first i digits of `number` to `out[i]` for i = 0..n and returns n: the count of leading
 * digits, at most `maxLength`. Lookups are synchronous and single-threaded, so callers may share one buffer.
 */
export function leadingDigitValues(number: string, out: Float64Array, maxLength: number): number {
  const n = number.length < maxLength ? number.length : maxLength;
  let value = 0;
  out[0] = 0;
  for (let i = 0; i < n; i++) {
    const d = number.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return i;
    value = value * 10 + d;
    out[i + 1] = value;
  }
  return n;
}

/** Integer key of an all-digit prefix ("" -> 0); lengths tell "07" from "7". */
export function prefixValue(prefix: string): number {
  return prefix === '' ? 0 : Number(prefix);
}

export function newDigitBuffer(): Float64Array {
  return new Float64Array(MAX_PREFIX_LENGTH + 1);
}

/** Keys of one prefix length. Large, densely packed levels also get a direct-index array (see `compact`). */
interface Level<T> {
  map: Map<number, T>;
  /** dense[key - base] = 1 + index into `values`, 0 = absent. */
  dense: Int32Array | null;
  base: number;
  values: T[];
}

/** A level gets a direct-index array when it has this many keys and they span at most SPREAD times as many values. */
const DENSE_MIN_KEYS = 4096;
const DENSE_MAX_SPREAD = 16;

export class PrefixTable<T> {
  private readonly levels: (Level<T> | undefined)[] = [];
  /** Prefix lengths present, longest first. */
  private lengths: number[] = [];
  private readonly scratch = newDigitBuffer();
  private maxLength = 0;
  /** Bit d set when some non-empty prefix starts with digit d: most misses end here without a Map probe. */
  private firstDigits = 0;
  private hasEmptyPrefix = false;
  private compacted = true;

  /** Stores `value` under `prefix`; returns false (and stores nothing) for a prefix that is not digits. */
  set(prefix: string, value: T): boolean {
    if (!isPrefixKey(prefix)) return false;
    const len = prefix.length;
    let level = this.levels[len];
    if (!level) {
      level = this.levels[len] = { map: new Map(), dense: null, base: 0, values: [] };
      this.lengths = [...this.lengths, len].sort((a, b) => b - a);
      this.maxLength = Math.max(this.maxLength, len);
    }
    level.map.set(prefixValue(prefix), value);
    level.dense = null;
    this.compacted = false;
    if (len === 0) this.hasEmptyPrefix = true;
    else this.firstDigits |= 1 << (prefix.charCodeAt(0) - 48);
    return true;
  }

  get(prefix: string): T | undefined {
    if (!isPrefixKey(prefix)) return undefined;
    return this.levels[prefix.length]?.map.get(prefixValue(prefix));
  }

  /** The value of the longest prefix of `number` in the table. */
  longest(number: string): T | undefined {
    if (!this.canMatchLonger(number)) return this.hasEmptyPrefix ? this.levels[0]!.map.get(0) : undefined;
    if (!this.compacted) this.compact();
    const digits = leadingDigitValues(number, this.scratch, this.maxLength);
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i]!;
      if (len > digits) continue;
      const value = probe(this.levels[len]!, this.scratch[len]!);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /**
   * Visits the values of the prefixes of `number`, longest first, and returns the first result `pick` gives that is
   * not undefined: for callers that must look past the longest match (a rate that is not effective yet, a pattern
   * of another length). `pick` must not look up this same table.
   */
  find<R>(number: string, pick: (value: T, prefixLength: number) => R | undefined): R | undefined {
    if (!this.canMatchLonger(number)) {
      const value = this.hasEmptyPrefix ? this.levels[0]!.map.get(0) : undefined;
      return value === undefined ? undefined : pick(value, 0);
    }
    if (!this.compacted) this.compact();
    const digits = leadingDigitValues(number, this.scratch, this.maxLength);
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i]!;
      if (len > digits) continue;
      const value = probe(this.levels[len]!, this.scratch[len]!);
      if (value === undefined) continue;
      const result = pick(value, len);
      if (result !== undefined) return result;
    }
    return undefined;
  }

  private canMatchLonger(number: string): boolean {
    const d = number.charCodeAt(0) - 48;
    return d >= 0 && d <= 9 && (this.firstDigits & (1 << d)) !== 0;
  }

  /**
   * Hash probes into a 100,000-key Map miss the CPU caches; an array indexed by key - base costs one read. Built once
   * after the last `set`, only where keys are dense (7-digit mobile ranges are: ~110,000 keys over ~700,000 values).
   */
  private compact(): void {
    for (const level of this.levels) {
      if (!level || level.dense || level.map.size < DENSE_MIN_KEYS) continue;
      let min = Infinity;
      let max = -Infinity;
      for (const key of level.map.keys()) {
        if (key < min) min = key;
        if (key > max) max = key;
      }
      const span = max - min + 1;
      if (span > level.map.size * DENSE_MAX_SPREAD) continue;
      const dense = new Int32Array(span);
      const values: T[] = [];
      for (const [key, value] of level.map) {
        values.push(value);
        dense[key - min] = values.length;
      }
      level.dense = dense;
      level.base = min;
      level.values = values;
    }
    this.compacted = true;
  }
}

function probe<T>(level: Level<T>, key: number): T | undefined {
  const dense = level.dense;
  if (dense === null) return level.map.get(key);
  const i = key - level.base;
  if (i < 0 || i >= dense.length) return undefined;
  const slot = dense[i]!;
  return slot === 0 ? undefined : level.values[slot - 1];
}
