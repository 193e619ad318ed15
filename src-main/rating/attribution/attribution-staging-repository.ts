/**
 * Scratch tables of attribution rows on their way into the attribution table, each in a database file of its own that
 * is thrown away afterwards: the checked rows of an import (attached to the engine's connection), and the default data
 * the attribution process writes on a first start (its own connection, in a child process; the engine then copies the
 * rows in with AttributionRepository.copyStagedDefaultRows). Kept apart from attribution-repository.ts so the child
 * process bundles only this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sqlite } from '../../db/connection';
import type { AttributionRow } from '../../../src-shared/domain/numbers/attribution-index';

/** The table the attribution process writes into its own database file. */
export const STAGED_TABLE = 'staged_attribution';

/** A default row as the attribution process stages it (the names in both languages). */
export type StagedDefaultRow = AttributionRow & { regionEn: string; carrierEn: string };

/** The default data in the attribution process's database file (a fresh file on a connection of its own). */
export class DefaultAttributionStaging {
  constructor(private readonly db: Sqlite) {}

  createTable(): void {
    this.db.exec(
      `CREATE TABLE ${STAGED_TABLE} (prefix TEXT NOT NULL, region TEXT NOT NULL, region_en TEXT NOT NULL, area_code TEXT NOT NULL,
         carrier TEXT NOT NULL, carrier_en TEXT NOT NULL, kind TEXT NOT NULL)`,
    );
  }

  /** Writes every row in one transaction, in order (the copy keeps the first row of a repeated prefix). */
  insertRows(rows: readonly StagedDefaultRow[]): void {
    const insert = this.db.prepare(`INSERT INTO ${STAGED_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const r of rows) insert.run(r.prefix, r.region, r.regionEn, r.areaCode, r.carrier, r.carrierEn, r.kind);
    })();
  }
}

/** Optional columns the file does not have are null: merging keeps what the table holds for them. */
export type StagedImportRow = [
  countryCode: string,
  prefix: string,
  region: string,
  regionEn: string | null,
  areaCode: string,
  carrier: string | null,
  carrierEn: string | null,
  kind: string,
  row: number,
];

let importSeq = 0;

/**
 * The rows of one import, checked and parked in a database file of their own beside billing.db: attached to the
 * connection for the import, never journaled or synced (it is thrown away), with a small page cache, so 500,000 rows
 * cost disk rather than memory. Duplicates are found by its primary key.
 */
export class AttributionImportStaging {
  /** The staged rows' table, schema-qualified (AttributionRepository's import statements read it). */
  readonly table: string;
  private readonly schema: string;
  private readonly file: string;
  private readonly stageBatch: (rows: readonly StagedImportRow[], repeated: (row: StagedImportRow, firstRow: number) => void) => void;

  constructor(
    private readonly db: Sqlite,
    dir: string,
  ) {
    this.schema = `attribution_import_${++importSeq}`;
    this.table = `${this.schema}.staged_rows`;
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${this.schema}-${process.pid}.db`);
    fs.rmSync(this.file, { force: true });
    db.prepare('ATTACH DATABASE ? AS ' + this.schema).run(this.file);
    db.pragma(`${this.schema}.journal_mode = OFF`);
    db.pragma(`${this.schema}.synchronous = OFF`);
    db.pragma(`${this.schema}.cache_size = -4096`);
    db.exec(`CREATE TABLE ${this.table} (
      country_code TEXT NOT NULL, prefix TEXT NOT NULL, region TEXT NOT NULL, region_en TEXT, area_code TEXT NOT NULL,
      carrier TEXT, carrier_en TEXT, kind TEXT NOT NULL, row INTEGER NOT NULL,
      PRIMARY KEY (country_code, prefix)) WITHOUT ROWID`);
    const insert = db.prepare(`INSERT INTO ${this.table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    const firstRow = db.prepare(`SELECT row FROM ${this.table} WHERE country_code = ? AND prefix = ?`).pluck();
    this.stageBatch = db.transaction((rows: readonly StagedImportRow[], repeated: (row: StagedImportRow, firstRow: number) => void) => {
      for (const r of rows) {
        if (insert.run(...r).changes === 0) repeated(r, firstRow.get(r[0], r[1]) as number);
      }
    });
  }

  /**
   * Stages rows in one transaction; a row whose country and prefix are staged already is left out and reported with
   * the file row that has them first.
   */
  stage(rows: readonly StagedImportRow[], repeated: (row: StagedImportRow, firstRow: number) => void): void {
    this.stageBatch(rows, repeated);
  }

  /** The country codes of the staged rows, in order. */
  countries(): string[] {
    return this.db.prepare(`SELECT DISTINCT country_code FROM ${this.table} ORDER BY country_code`).pluck().all() as string[];
  }

  discard(): void {
    this.db.exec(`DETACH DATABASE ${this.schema}`);
    fs.rmSync(this.file, { force: true });
  }
}
