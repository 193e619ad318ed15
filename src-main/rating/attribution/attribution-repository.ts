import { isoTime, type Page } from '../../../src-shared/api/common';
import type { AttributionEntry, AttributionVersion } from '../../../src-shared/api/attribution';
import { badCursor } from '../../../src-shared/api/errors';
import type { AttributionRow } from '../../../src-shared/domain/numbers/attribution-index';
import type { Sqlite } from '../../db/connection';

export interface AttributionFilter {
  countryCode?: string;
  prefix?: string;
  region?: string;
  areaCode?: string;
  carrier?: string;
  kind?: 'mobile' | 'fixed';
}

export interface AttributionDbRow {
  id: number;
  country_code: string;
  prefix: string;
  region: string;
  region_en: string;
  area_code: string;
  carrier: string;
  carrier_en: string;
  kind: 'mobile' | 'fixed';
  version_id: number | null;
}

/** An attribution row as the rating core indexes it, with the English names beside the stored ones. */
export interface NamedAttributionRow extends AttributionRow {
  regionEn: string;
  carrierEn: string;
}

interface VersionRow {
  id: number;
  at: number;
  username: string;
  source: 'default' | 'import';
  file_name: string | null;
  mode: 'merge' | 'replace';
  country_codes: string;
  rows_in_file: number;
  rows_added: number;
  rows_changed: number;
  rows_removed: number;
  rows_unchanged: number;
  millis: number;
}

export function attributionEntryOf(r: AttributionDbRow): AttributionEntry {
  return {
    id: r.id,
    countryCode: r.country_code,
    prefix: r.prefix,
    region: r.region,
    regionEn: r.region_en,
    areaCode: r.area_code,
    carrier: r.carrier,
    carrierEn: r.carrier_en,
    kind: r.kind,
    versionId: r.version_id,
  };
}

function versionOf(r: VersionRow): AttributionVersion {
  return {
    id: r.id,
    at: isoTime(r.at),
    username: r.username,
    source: r.source,
    fileName: r.file_name,
    mode: r.mode,
    countryCodes: JSON.parse(r.country_codes) as string[],
    rowsInFile: r.rows_in_file,
    rowsAdded: r.rows_added,
    rowsChanged: r.rows_changed,
    rowsRemoved: r.rows_removed,
    rowsUnchanged: r.rows_unchanged,
    millis: r.millis,
  };
}

const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(f: AttributionFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const add = (sql: string, ...values: string[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (f.countryCode) add('country_code = ?', f.countryCode);
  if (f.prefix) add('prefix >= ? AND prefix < ?', f.prefix, `${f.prefix}:`); // ':' sorts right after '9'
  if (f.region) add("(region LIKE ? ESCAPE '\\' OR region_en LIKE ? ESCAPE '\\')", likeText(f.region), likeText(f.region));
  if (f.areaCode) add('area_code = ?', f.areaCode);
  if (f.carrier) add("(carrier LIKE ? ESCAPE '\\' OR carrier_en LIKE ? ESCAPE '\\')", likeText(f.carrier), likeText(f.carrier));
  if (f.kind) add('kind = ?', f.kind);
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

function parseCursor(cursor: string): [string, string] {
  const m = /^(\d{1,3}):(\d{1,15})$/.exec(cursor);
  if (!m) throw badCursor('Invalid input: cursor is not one this list returned', 'is not a cursor of attribution.list');
  return [m[1]!, m[2]!];
}

/** The attribution table: searches, export batches, the rows the rating core indexes, and the version history. */
export class AttributionRepository {
  constructor(private readonly db: Sqlite) {}

  search(filter: AttributionFilter, limit: number, cursor?: string): Page<AttributionEntry> {
    const where = whereOf(filter);
    const after = cursor ? parseCursor(cursor) : null;
    const rows = this.db
      .prepare(
        `SELECT * FROM attribution WHERE ${where.sql} ${after ? 'AND (country_code, prefix) > (?, ?)' : ''}
         ORDER BY country_code, prefix LIMIT ?`,
      )
      .all(...where.params, ...(after ?? []), limit + 1) as AttributionDbRow[];
    const total = this.db.prepare(`SELECT COUNT(*) FROM attribution WHERE ${where.sql}`).pluck().get(...where.params) as number;
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const last = shown.at(-1);
    return { rows: shown.map(attributionEntryOf), total, ...(more && last ? { nextCursor: `${last.country_code}:${last.prefix}` } : {}) };
  }

  /** Rows matching the filter in order, `size` at a time (exports). */
  *batches(filter: AttributionFilter, size = 5000): Generator<AttributionDbRow[]> {
    const where = whereOf(filter);
    const first = this.db.prepare(`SELECT * FROM attribution WHERE ${where.sql} ORDER BY country_code, prefix LIMIT ?`);
    const next = this.db.prepare(
      `SELECT * FROM attribution WHERE ${where.sql} AND (country_code, prefix) > (?, ?) ORDER BY country_code, prefix LIMIT ?`,
    );
    let batch = first.all(...where.params, size) as AttributionDbRow[];
    while (batch.length) {
      yield batch;
      if (batch.length < size) return;
      const last = batch.at(-1)!;
      batch = next.all(...where.params, last.country_code, last.prefix, size) as AttributionDbRow[];
    }
  }

  /**
   * A country's rows for the rating core's index. Region and carrier names repeat across thousands of rows: each
   * distinct text is kept once, which halves the index's memory for the China data.
   */
  indexRows(countryCode: string): NamedAttributionRow[] {
    const texts = new Map<string, string>();
    const intern = (s: string) => {
      const known = texts.get(s);
      if (known !== undefined) return known;
      texts.set(s, s);
      return s;
    };
    const rows: NamedAttributionRow[] = [];
    const select = this.db.prepare(
      'SELECT prefix, region, region_en, area_code, carrier, carrier_en, kind FROM attribution WHERE country_code = ?',
    );
    for (const r of select.raw().iterate(countryCode) as IterableIterator<[string, string, string, string, string, string, 'mobile' | 'fixed']>) {
      rows.push({
        prefix: r[0],
        region: intern(r[1]),
        regionEn: intern(r[2]),
        areaCode: intern(r[3]),
        carrier: intern(r[4]),
        carrierEn: intern(r[5]),
        kind: r[6],
      });
    }
    return rows;
  }

  entry(countryCode: string, prefix: string): AttributionEntry | null {
    const row = this.db.prepare('SELECT * FROM attribution WHERE country_code = ? AND prefix = ?').get(countryCode, prefix) as
      | AttributionDbRow
      | undefined;
    return row ? attributionEntryOf(row) : null;
  }

  countries(): { countryCode: string; rows: number }[] {
    return (this.db.prepare('SELECT country_code, COUNT(*) AS n FROM attribution GROUP BY country_code ORDER BY country_code').all() as {
      country_code: string;
      n: number;
    }[]).map((r) => ({ countryCode: r.country_code, rows: r.n }));
  }

  versions(limit: number): AttributionVersion[] {
    return (this.db.prepare('SELECT * FROM attribution_versions ORDER BY id DESC LIMIT ?').all(limit) as VersionRow[]).map(versionOf);
  }

  version(id: number): AttributionVersion {
    return versionOf(this.db.prepare('SELECT * FROM attribution_versions WHERE id = ?').get(id) as VersionRow);
  }

  hasVersions(): boolean {
    return this.db.prepare('SELECT 1 FROM attribution_versions LIMIT 1').get() !== undefined;
  }
}
