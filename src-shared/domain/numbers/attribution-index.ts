/**
 * Number attribution (DESIGN §5): national-number prefix -> region, area code, carrier, kind. Built once from the
 * attribution table of one country and then looked up for every call, so lookups go through one Map per prefix length
 * (at most a handful of Map probes per number) instead of scanning the ~130,000 rows.
 */
import { PrefixTable } from './prefix-table';

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

/**
 * Later rows win over earlier rows with the same prefix and kind (an import on top of the defaults). Rows whose prefix
 * is empty or not all digits are skipped: they could never be a meaningful match.
 */
export function buildAttributionIndex(countryCode: string, rows: Iterable<AttributionRow>): AttributionIndex {
  const mobile = new PrefixTable<AttributionRow>();
  const fixed = new PrefixTable<AttributionRow>();
  let size = 0;
  for (const row of rows) {
    if (row.prefix === '') continue;
    if ((row.kind === 'mobile' ? mobile : fixed).set(row.prefix, row)) size++;
  }
  return {
    countryCode,
    size,
    lookup(nationalNumber) {
      const m = mobile.longest(nationalNumber) ?? null;
      const f = fixed.longest(nationalNumber) ?? null;
      if (!m) return f;
      if (!f) return m;
      return f.prefix.length > m.prefix.length ? f : m;
    },
    findMobile: (nationalNumber) => mobile.longest(nationalNumber) ?? null,
    findAreaCode: (nationalNumber) => fixed.longest(nationalNumber) ?? null,
    areaByCode: (areaCode) => fixed.get(areaCode) ?? null,
  };
}
