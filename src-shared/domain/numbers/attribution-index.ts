/**
 * Number attribution (DESIGN §5): national-number prefix -> region, area code, carrier, kind. Built once from the
 * attribution table of one country and then looked up for every call, so lookups go through one Map per prefix length
 * (at most a handful of Map probes per number) instead of scanning the ~130,000 rows.
 */

export type AttributionKind = 'mobile' | 'fixed';

export interface AttributionRow {
  /** Prefix of the national (significant) number, without trunk prefix: "1380013" (mobile), "519" (area code). */
  prefix: string;
  region: string;
  /** Area code (without trunk prefix) the prefix belongs to; "" when unknown (e.g. a carrier-only mobile range). */
  areaCode: string;
  carrier: string;
  kind: AttributionKind;
}

export interface AttributionIndex {
  readonly countryCode: string;
  readonly size: number;
  /** Longest-prefix match over all rows (what `attribution.lookup` answers). */
  lookup(nationalNumber: string): AttributionRow | null;
  /** Longest matching mobile row. */
  findMobile(nationalNumber: string): AttributionRow | null;
  /** Longest matching fixed-line area code row. */
  findAreaCode(nationalNumber: string): AttributionRow | null;
  /** The fixed-line row of exactly this area code (the region name of the device's own area, for instance). */
  areaByCode(areaCode: string): AttributionRow | null;
}

/** Rows keyed by prefix, one Map per prefix length; `lengths` lists the lengths present, longest first. */
class PrefixTable {
  private readonly byLength: Map<string, AttributionRow>[] = [];
  private lengths: number[] = [];

  set(row: AttributionRow): void {
    const len = row.prefix.length;
    let table = this.byLength[len];
    if (!table) {
      table = new Map();
      this.byLength[len] = table;
      this.lengths = [...this.lengths, len].sort((a, b) => b - a);
    }
    table.set(row.prefix, row);
  }

  get(prefix: string): AttributionRow | null {
    return this.byLength[prefix.length]?.get(prefix) ?? null;
  }

  longest(number: string): AttributionRow | null {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i]!;
      if (len > number.length) continue;
      const row = this.byLength[len]!.get(len === number.length ? number : number.slice(0, len));
      if (row) return row;
    }
    return null;
  }
}

const DIGITS = /^\d+$/;

/**
 * Later rows win over earlier rows with the same prefix and kind (an import on top of the defaults). Rows whose prefix
 * is not all digits are skipped: they could never match a normalized number.
 */
export function buildAttributionIndex(countryCode: string, rows: Iterable<AttributionRow>): AttributionIndex {
  const mobile = new PrefixTable();
  const fixed = new PrefixTable();
  let size = 0;
  for (const row of rows) {
    if (!DIGITS.test(row.prefix)) continue;
    (row.kind === 'mobile' ? mobile : fixed).set(row);
    size++;
  }
  return {
    countryCode,
    size,
    lookup(nationalNumber) {
      const m = mobile.longest(nationalNumber);
      const f = fixed.longest(nationalNumber);
      if (!m) return f;
      if (!f) return m;
      return f.prefix.length > m.prefix.length ? f : m;
    },
    findMobile: (nationalNumber) => mobile.longest(nationalNumber),
    findAreaCode: (nationalNumber) => fixed.longest(nationalNumber),
    areaByCode: (areaCode) => fixed.get(areaCode),
  };
}
