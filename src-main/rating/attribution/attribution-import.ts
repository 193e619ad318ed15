/**
 * Attribution import (DESIGN §5): a .xlsx or .csv file becomes a new version of the attribution data, all or nothing.
 * Rows are checked as they stream in and parked in a staging database file (so a 500,000-row file never sits in
 * memory); duplicates are found by its primary key. Only a file without problems is applied, in one transaction
 * that counts what it adds, changes and (mode "replace") removes, and records the version.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportRefusal } from '../../../src-shared/api/attribution';
import type { Sqlite } from '../../db/connection';
import { exportLabels } from '../../exports/labels';
import { ProblemList, readSpreadsheetTable, refusalMessage, type TableColumns, type TableRow } from '../../imports/spreadsheet-table';
import {
  ATTRIBUTION_COLUMNS,
  EXPORT_HEADINGS,
  REQUIRED_COLUMNS,
  columnOfHeading,
  kindOf,
  type AttributionColumn,
} from './attribution-columns';

export interface AttributionImportRequest {
  fileName: string;
  bytes: Buffer;
  /** For rows without a country code column or cell. */
  countryCode: string;
  mode: 'merge' | 'replace';
  /** Where the rows wait while they are checked (a scratch database file, removed afterwards). */
  stagingDir: string;
  user: { id: number | null; username: string };
}

export interface AttributionImportOutcome {
  versionId: number;
}

/** Thrown with every problem found; nothing was applied. */
export class AttributionImportRefused extends Error {
  constructor(
    readonly refusal: ImportRefusal,
    message: string,
  ) {
    super(message);
  }
}

const TEXT_MAX = 100;

const TABLE: TableColumns<AttributionColumn> = {
  columnOf: columnOfHeading,
  keyColumn: 'prefix',
  required: REQUIRED_COLUMNS,
  optional: ATTRIBUTION_COLUMNS.filter((c) => !REQUIRED_COLUMNS.includes(c)),
  // In the language of the file's headings (English by default), as the exports write them.
  headingOf: (column, language) => exportLabels(language).attribution.columns[column],
};

/** Optional columns the file does not have are null: merging keeps what the table holds for them. */
type ParsedRow = [
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
/** Page cache of the connection while an import writes (negative: KiB). */
const IMPORT_CACHE_SIZE = -16384;

function parseRow(r: TableRow<AttributionColumn>, defaultCountry: string, problems: ProblemList): ParsedRow | null {
  const before = problems.count;
  const cell = r.cell;
  const fail = (column: AttributionColumn, problem: string) => problems.add(r.row, r.columnName(column), r.sheetNote + problem);

  const countryCode = cell('countryCode') || defaultCountry;
  if (!/^\d{1,3}$/.test(countryCode)) fail('countryCode', `must be a calling code of 1 to 3 digits, got "${countryCode}"`);
  // In China (trunk prefix 0) people write area codes as dialled, "010"; the table keeps them without it.
  const withoutTrunk = (v: string) => (countryCode === '86' && v.length > 1 && v.startsWith('0') ? v.slice(1) : v);
  const prefix = withoutTrunk(cell('prefix'));
  if (!/^\d{1,15}$/.test(prefix)) fail('prefix', prefix ? `must be 1 to 15 digits, got "${prefix}"` : 'is empty');
  const areaCode = withoutTrunk(cell('areaCode'));
  if (!/^\d{0,6}$/.test(areaCode)) fail('areaCode', `must be up to 6 digits (or empty), got "${areaCode}"`);
  const kindText = cell('kind');
  const kind = kindOf(kindText);
  if (!kind) fail('kind', kindText ? `must be mobile or fixed, got "${kindText}"` : 'is empty (mobile or fixed)');
  const text = (column: 'region' | 'regionEn' | 'carrier' | 'carrierEn') => {
    if (!r.has(column)) return null;
    const value = cell(column);
    if (value.length > TEXT_MAX) fail(column, `is longer than ${TEXT_MAX} characters`);
    return value;
  };
  const region = text('region') ?? '';
  const regionEn = text('regionEn');
  const carrier = text('carrier');
  const carrierEn = text('carrierEn');
  if (problems.count > before) return null;
  return [countryCode, prefix, region, regionEn, areaCode, carrier, carrierEn, kind!, r.row];
}

/**
 * The rows of one import, checked and parked in a database file of their own beside billing.db: attached to the
 * connection for the import, never journaled or synced (it is thrown away), with a small page cache, so 500,000 rows
 * cost disk rather than memory.
 */
class StagingArea {
  readonly schema: string;
  readonly table: string;
  private readonly file: string;

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
  }

  discard(): void {
    this.db.exec(`DETACH DATABASE ${this.schema}`);
    fs.rmSync(this.file, { force: true });
  }
}

/** Checks the whole file into a staging area; returns it, or throws AttributionImportRefused. */
async function stageRows(db: Sqlite, req: AttributionImportRequest): Promise<{ staging: StagingArea; rows: number }> {
  const staging = new StagingArea(db, req.stagingDir);
  const table = staging.table;
  const problems = new ProblemList();
  const insert = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const firstRow = db.prepare(`SELECT row FROM ${table} WHERE country_code = ? AND prefix = ?`).pluck();
  const stage = db.transaction((rows: ParsedRow[], sheetNote: string) => {
    for (const r of rows) {
      if (insert.run(...r).changes === 0) {
        const first = firstRow.get(r[0], r[1]) as number;
        problems.add(r[8], EXPORT_HEADINGS.prefix, `${sheetNote}prefix ${r[1]} (country ${r[0]}) appears again; it is first in row ${first}`);
      }
    }
  });
  let dataRows: number;
  try {
    ({ dataRows } = await readSpreadsheetTable(req, TABLE, problems, (rows) => {
      const parsed: ParsedRow[] = [];
      for (const r of rows) {
        const row = parseRow(r, req.countryCode, problems);
        if (row) parsed.push(row);
      }
      if (parsed.length) stage(parsed, rows[0]!.sheetNote);
    }));
  } catch (err) {
    staging.discard();
    throw err;
  }
  if (problems.count) {
    staging.discard();
    throw new AttributionImportRefused(problems.refusal(), refusalMessage(problems));
  }
  return { staging, rows: dataRows };
}

/** A staged row `t` that would change the stored row `a` (a null optional column changes nothing). */
const DIFFERS = `a.region IS NOT t.region OR a.area_code IS NOT t.area_code OR a.kind IS NOT t.kind
  OR (t.region_en IS NOT NULL AND a.region_en IS NOT t.region_en) OR (t.carrier IS NOT NULL AND a.carrier IS NOT t.carrier)
  OR (t.carrier_en IS NOT NULL AND a.carrier_en IS NOT t.carrier_en)`;

/** Imports a file as a new version; throws AttributionImportRefused (nothing applied) when the file has problems. */
export async function importAttribution(db: Sqlite, req: AttributionImportRequest, now: () => number): Promise<AttributionImportOutcome> {
  const started = performance.now();
  const { staging, rows } = await stageRows(db, req);
  // Writing 500,000 rows would fill the connection's page cache (64 MB) with pages read once; a smaller cache for the
  // duration keeps the import's memory down, and what it held is given back afterwards.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`);
  try {
    // Counted by what the statements change, not by separate counting scans of 500,000 rows.
    const apply = db.transaction((): number => {
      const t = staging.table;
      const countries = db.prepare(`SELECT DISTINCT country_code FROM ${t} ORDER BY country_code`).pluck().all() as string[];
      const versionId = Number(
        db
          .prepare(
            `INSERT INTO attribution_versions (at, account_id, username, source, file_name, mode, country_codes, rows_in_file,
               rows_added, rows_changed, rows_removed, rows_unchanged, millis)
             VALUES (?, ?, ?, 'import', ?, ?, ?, ?, 0, 0, 0, 0, 0)`,
          )
          .run(now(), req.user.id, req.user.username, req.fileName, req.mode, JSON.stringify(countries), rows)
          .lastInsertRowid,
      );
      // Changed first: the rows inserted next would otherwise be compared with themselves.
      const changed = db
        .prepare(
          `UPDATE attribution AS a SET region = t.region, region_en = IFNULL(t.region_en, a.region_en), area_code = t.area_code,
             carrier = IFNULL(t.carrier, a.carrier), carrier_en = IFNULL(t.carrier_en, a.carrier_en), kind = t.kind, version_id = ?
           FROM ${t} AS t WHERE a.country_code = t.country_code AND a.prefix = t.prefix AND (${DIFFERS})`,
        )
        .run(versionId).changes;
      const added = db
        .prepare(
          `INSERT INTO attribution (country_code, prefix, region, region_en, area_code, carrier, carrier_en, kind, version_id)
           SELECT country_code, prefix, region, IFNULL(region_en, ''), area_code, IFNULL(carrier, ''), IFNULL(carrier_en, ''), kind, ?
           FROM ${t} AS t WHERE true ON CONFLICT (country_code, prefix) DO NOTHING`,
        )
        .run(versionId).changes;
      const removed =
        req.mode === 'replace'
          ? db
              .prepare(
                `DELETE FROM attribution WHERE country_code IN (SELECT DISTINCT country_code FROM ${t})
                   AND NOT EXISTS (SELECT 1 FROM ${t} t WHERE t.country_code = attribution.country_code AND t.prefix = attribution.prefix)`,
              )
              .run().changes
          : 0;
      db.prepare('UPDATE attribution_versions SET rows_added = ?, rows_changed = ?, rows_removed = ?, rows_unchanged = ?, millis = ? WHERE id = ?').run(
        added,
        changed,
        removed,
        rows - added - changed,
        Math.round(performance.now() - started),
        versionId,
      );
      return versionId;
    });
    return { versionId: apply() };
  } finally {
    staging.discard();
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma('shrink_memory');
  }
}
