import { isoTime, type Page } from '../../../src-shared/api/common';
import type { AttributionEntry, AttributionVersion } from '../../../src-shared/api/attribution';
import { badCursor } from '../../../src-shared/api/errors';
import type { AttributionRow } from '../../../src-shared/domain/numbers/attribution-index';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/connection';
import type { AttributionRow as AttributionTableRow, AttributionVersionsRow } from '../../db/rows';
import { STAGED_TABLE } from './attribution-staging-repository';

export interface AttributionFilter {
  countryCode?: string;
  prefix?: string;
  region?: string;
  areaCode?: string;
  carrier?: string;
  kind?: 'mobile' | 'fixed';
}

/** An attribution row, its kind narrowed to the two the schema allows. */
export type AttributionDbRow = Omit<AttributionTableRow, 'kind'> & { kind: 'mobile' | 'fixed' };

/** An attribution row as the rating core indexes it, with the English names beside the stored ones. */
export interface NamedAttributionRow extends AttributionRow {
  regionEn: string;
  carrierEn: string;
}

/** An attribution_versions row, its source and mode narrowed to the values the schema allows. */
type VersionRow = Omit<AttributionVersionsRow, 'source' | 'mode'> & { source: 'default' | 'import'; mode: 'merge' | 'replace' };

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

/**
 * The attribution table: searches, export batches, the rows the rating core indexes, the version history, and the
 * writes of the default data and of imports.
 */
export class AttributionRepository {
  /** The default data's insert, prepared on the first batch and kept for the next ones. */
  private insertRow: Statement | undefined;

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
    const rows = this.db
      .prepare('SELECT country_code, COUNT(*) AS n FROM attribution GROUP BY country_code ORDER BY country_code')
      .all() as (Pick<AttributionTableRow, 'country_code'> & { n: number })[];
    return rows.map((r) => ({ countryCode: r.country_code, rows: r.n }));
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

  // The first start's default data (DefaultAttributionLoader).

  /** Removes every row (what an interrupted load left belongs to no version). */
  clearRows(): void {
    this.db.prepare('DELETE FROM attribution').run();
  }

  /** Adds rows of one country in one transaction; returns how many were added (a repeated prefix keeps its first row). */
  addRows(countryCode: string, rows: readonly NamedAttributionRow[], versionId: number): number {
    const insert = (this.insertRow ??= this.db.prepare(
      `INSERT INTO attribution (country_code, prefix, region, region_en, area_code, carrier, carrier_en, kind, version_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (country_code, prefix) DO NOTHING`,
    ));
    let added = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        added += insert.run(countryCode, r.prefix, r.region, r.regionEn, r.areaCode, r.carrier, r.carrierEn, r.kind, versionId).changes;
      }
    })();
    return added;
  }

  /**
   * Replaces every row with the rows the attribution process staged in `file` (see attribution-staging-repository.ts),
   * in one transaction; returns how many were added (a repeated prefix keeps its first row).
   */
  copyStagedDefaultRows(file: string, countryCode: string, versionId: number): number {
    const db = this.db;
    // A small page cache for the copy: 130,000 rows pass once, and a full cache would stay as the engine's idle memory.
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma('cache_size = -4096');
    db.prepare('ATTACH DATABASE ? AS staged').run(file);
    try {
      return db.transaction(() => {
        db.prepare('DELETE FROM attribution').run();
        return db
          .prepare(
            `INSERT INTO attribution (country_code, prefix, region, region_en, area_code, carrier, carrier_en, kind, version_id)
             SELECT ?, prefix, region, region_en, area_code, carrier, carrier_en, kind, ? FROM staged.${STAGED_TABLE} WHERE true ORDER BY rowid
             ON CONFLICT (country_code, prefix) DO NOTHING`,
          )
          .run(countryCode, versionId).changes;
      })();
    } finally {
      db.prepare('DETACH DATABASE staged').run();
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  /** The version row of the default data: written last, it marks the load complete. */
  insertDefaultVersion(v: { id: number; at: number; countryCode: string; rowsInFile: number; rowsAdded: number; millis: number }): void {
    this.db
      .prepare(
        `INSERT INTO attribution_versions (id, at, account_id, username, source, file_name, mode, country_codes, rows_in_file,
           rows_added, rows_changed, rows_removed, rows_unchanged, millis)
         VALUES (?, ?, NULL, '(default data)', 'default', NULL, 'merge', ?, ?, ?, 0, 0, 0, ?)`,
      )
      .run(v.id, v.at, JSON.stringify([v.countryCode]), v.rowsInFile, v.rowsAdded, v.millis);
  }

  /** Gives back the page cache a bulk job filled. */
  shrinkMemory(): void {
    this.db.pragma('shrink_memory');
  }

  // An import (attribution-import.ts): the rows staged in `staged` (AttributionImportStaging.table) become a version.
  // Counted by what the statements change, not by separate counting scans of 500,000 rows. Call inside a transaction.

  /** The version row of an import, its counts zero until setImportCounts. */
  insertImportVersion(v: ImportVersionFields): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO attribution_versions (at, account_id, username, source, file_name, mode, country_codes, rows_in_file,
             rows_added, rows_changed, rows_removed, rows_unchanged, millis)
           VALUES (?, ?, ?, 'import', ?, ?, ?, ?, 0, 0, 0, 0, 0)`,
        )
        .run(v.at, v.user.id, v.user.username, v.fileName, v.mode, JSON.stringify(v.countryCodes), v.rowsInFile).lastInsertRowid,
    );
  }

  /** Updates the stored rows a staged row changes; run before addStagedRows, which would compare rows with themselves. */
  updateFromStaged(staged: string, versionId: number): number {
    return this.db
      .prepare(
        `UPDATE attribution AS a SET region = t.region, region_en = IFNULL(t.region_en, a.region_en), area_code = t.area_code,
           carrier = IFNULL(t.carrier, a.carrier), carrier_en = IFNULL(t.carrier_en, a.carrier_en), kind = t.kind, version_id = ?
         FROM ${staged} AS t WHERE a.country_code = t.country_code AND a.prefix = t.prefix AND (${DIFFERS})`,
      )
      .run(versionId).changes;
  }

  /** Adds the staged rows the table does not hold yet. */
  addStagedRows(staged: string, versionId: number): number {
    return this.db
      .prepare(
        `INSERT INTO attribution (country_code, prefix, region, region_en, area_code, carrier, carrier_en, kind, version_id)
         SELECT country_code, prefix, region, IFNULL(region_en, ''), area_code, IFNULL(carrier, ''), IFNULL(carrier_en, ''), kind, ?
         FROM ${staged} AS t WHERE true ON CONFLICT (country_code, prefix) DO NOTHING`,
      )
      .run(versionId).changes;
  }

  /** Removes the rows of the staged countries that were not staged (mode "replace"). */
  removeUnstagedRows(staged: string): number {
    return this.db
      .prepare(
        `DELETE FROM attribution WHERE country_code IN (SELECT DISTINCT country_code FROM ${staged})
           AND NOT EXISTS (SELECT 1 FROM ${staged} t WHERE t.country_code = attribution.country_code AND t.prefix = attribution.prefix)`,
      )
      .run().changes;
  }

  setImportCounts(versionId: number, c: { added: number; changed: number; removed: number; unchanged: number; millis: number }): void {
    this.db
      .prepare('UPDATE attribution_versions SET rows_added = ?, rows_changed = ?, rows_removed = ?, rows_unchanged = ?, millis = ? WHERE id = ?')
      .run(c.added, c.changed, c.removed, c.unchanged, c.millis, versionId);
  }
}

export interface ImportVersionFields {
  at: number;
  user: { id: number | null; username: string };
  fileName: string;
  mode: 'merge' | 'replace';
  countryCodes: string[];
  rowsInFile: number;
}

/** A staged row `t` that would change the stored row `a` (a null optional column changes nothing). */
const DIFFERS = `a.region IS NOT t.region OR a.area_code IS NOT t.area_code OR a.kind IS NOT t.kind
  OR (t.region_en IS NOT NULL AND a.region_en IS NOT t.region_en) OR (t.carrier IS NOT NULL AND a.carrier IS NOT t.carrier)
  OR (t.carrier_en IS NOT NULL AND a.carrier_en IS NOT t.carrier_en)`;
