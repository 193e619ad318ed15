/**
 * Attribution import (DESIGN §5): a .xlsx or .csv file becomes a new version of the attribution data, all or nothing.
 * Rows are checked as they stream in and parked in a staging database file (so a 500,000-row file never sits in
 * memory); duplicates are found by its primary key. Only a file without problems is applied, in one transaction
 * that counts what it adds, changes and (mode "replace") removes, and records the version.
 */
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
import { AttributionRepository } from './attribution-repository';
import { AttributionImportStaging, type StagedImportRow } from './attribution-staging-repository';

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

/** Page cache of the connection while an import writes (negative: KiB). */
const IMPORT_CACHE_SIZE = -16384;

function parseRow(r: TableRow<AttributionColumn>, defaultCountry: string, problems: ProblemList): StagedImportRow | null {
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

/** Checks the whole file into a staging area; returns it, or throws AttributionImportRefused. */
async function stageRows(db: Sqlite, req: AttributionImportRequest): Promise<{ staging: AttributionImportStaging; rows: number }> {
  const staging = new AttributionImportStaging(db, req.stagingDir);
  const problems = new ProblemList();
  let dataRows: number;
  try {
    ({ dataRows } = await readSpreadsheetTable(req, TABLE, problems, (rows) => {
      const parsed: StagedImportRow[] = [];
      for (const r of rows) {
        const row = parseRow(r, req.countryCode, problems);
        if (row) parsed.push(row);
      }
      if (parsed.length) {
        const sheetNote = rows[0]!.sheetNote;
        staging.stage(parsed, (r, first) =>
          problems.add(r[8], EXPORT_HEADINGS.prefix, `${sheetNote}prefix ${r[1]} (country ${r[0]}) appears again; it is first in row ${first}`),
        );
      }
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

/** What an import uses: the connection (its staging file is attached to it for the import) and the clock. */
export interface AttributionImportDeps {
  db: Sqlite;
  now(): number;
}

/** Imports a file as a new version; throws AttributionImportRefused (nothing applied) when the file has problems. */
export async function importAttribution(deps: AttributionImportDeps, req: AttributionImportRequest): Promise<AttributionImportOutcome> {
  const { db, now } = deps;
  const started = performance.now();
  const { staging, rows } = await stageRows(db, req);
  const attribution = new AttributionRepository(db);
  // Writing 500,000 rows would fill the connection's page cache (64 MB) with pages read once; a smaller cache for the
  // duration keeps the import's memory down, and what it held is given back afterwards.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`);
  try {
    const apply = db.transaction((): number => {
      const t = staging.table;
      const countryCodes = staging.countries();
      const versionId = attribution.insertImportVersion({ at: now(), user: req.user, fileName: req.fileName, mode: req.mode, countryCodes, rowsInFile: rows });
      const changed = attribution.updateFromStaged(t, versionId);
      const added = attribution.addStagedRows(t, versionId);
      const removed = req.mode === 'replace' ? attribution.removeUnstagedRows(t) : 0;
      attribution.setImportCounts(versionId, { added, changed, removed, unchanged: rows - added - changed, millis: Math.round(performance.now() - started) });
      return versionId;
    });
    return { versionId: apply() };
  } finally {
    staging.discard();
    db.pragma(`cache_size = ${cacheSize}`);
    attribution.shrinkMemory();
  }
}
