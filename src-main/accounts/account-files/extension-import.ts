/**
 * extensions.import: a file of extensions applied all or nothing. A row names its device (or the import does), the
 * number, and optionally a label and the user account that owns it; a row whose device already has the number
 * updates it. References are checked inside the one transaction that writes everything.
 */
import type { ExtensionImportResult } from '../../src-shared/api/account-files';
import { accountMethods } from '../../src-shared/api/accounts';
import type { Sqlite } from '../db/connection';
import { ProblemList, readSpreadsheetTable } from '../imports/spreadsheet-table';
import type { Services } from '../services';
import { EXTENSION_COLUMNS, EXTENSION_NUMBER, type ExtensionColumn } from './account-file-columns';
import { AccountImportRefused } from './user-import';

interface ExtensionImportRow {
  row: number;
  sheetNote: string;
  device: string;
  number: string;
  name?: string;
  /** null: owned by nobody. */
  user?: string | null;
  enterprise?: string;
}

interface ExtensionFile {
  rows: ExtensionImportRow[];
  columnName(column: ExtensionColumn): string;
}

/** The contract's limit of an extension's name (extensions.create), so a file is held to what the form is. */
const NAME_MAX = accountMethods['extensions.create'].input.shape.name.unwrap().maxLength ?? 100;

async function readExtensionRows(file: { fileName: string; bytes: Buffer }, problems: ProblemList): Promise<ExtensionFile> {
  const rows: ExtensionImportRow[] = [];
  const names = new Map<ExtensionColumn, string>();
  await readSpreadsheetTable(file, EXTENSION_COLUMNS, problems, (batch, heading) => {
    for (const [column, at] of heading) if (!names.has(column)) names.set(column, at.name);
    for (const r of batch) {
      const before = problems.count;
      const fail = (column: ExtensionColumn, problem: string) => problems.add(r.row, r.columnName(column), r.sheetNote + problem);
      const row: ExtensionImportRow = { row: r.row, sheetNote: r.sheetNote, device: r.cell('device'), number: r.cell('number') };
      if (!EXTENSION_NUMBER.test(row.number)) {
        fail('number', row.number ? `"${row.number}" is not an extension number (digits, * # +, at most 20)` : 'is empty');
      }
      if (r.has('name')) {
        row.name = r.cell('name');
        if (row.name.length > NAME_MAX) fail('name', `is longer than ${NAME_MAX} characters`);
      }
      if (r.has('user')) row.user = r.cell('user') || null;
      if (r.has('enterprise') && r.cell('enterprise')) row.enterprise = r.cell('enterprise');
      if (problems.count === before) rows.push(row);
    }
  });
  return { rows, columnName: (column) => names.get(column) ?? EXTENSION_COLUMNS.headingOf(column) };
}

interface ResolvedExtension {
  row: ExtensionImportRow;
  deviceId: number;
  existingId: number | null;
  userAccountId?: number | null;
}

function checkExtensions(db: Sqlite, file: ExtensionFile, defaultDeviceId: number | undefined, problems: ProblemList): ResolvedExtension[] {
  const devices = db.prepare('SELECT id, name FROM devices ORDER BY id').all() as { id: number; name: string }[];
  const device = (text: string) => devices.find((d) => String(d.id) === text) ?? devices.find((d) => d.name.toLowerCase() === text.toLowerCase());
  const fallback = defaultDeviceId !== undefined ? devices.find((d) => d.id === defaultDeviceId) : devices.length === 1 ? devices[0] : undefined;
  // Users by name, read once (a name lookup per row would scan the accounts: their index starts with the enterprise).
  const usersByName = new Map<string, { id: number; enterprise: string; code: string | null }[]>();
  for (const u of db
    .prepare(`SELECT u.id, u.name, e.name AS enterprise, e.code FROM accounts u JOIN accounts e ON e.id = u.enterprise_id WHERE u.kind = 'user'`)
    .iterate() as Iterable<{ id: number; name: string; enterprise: string; code: string | null }>) {
    const key = u.name.toLowerCase();
    const list = usersByName.get(key);
    if (list) list.push(u);
    else usersByName.set(key, [u]);
  }
  const existing = db.prepare('SELECT id FROM extensions WHERE device_id = ? AND number = ?').pluck();
  const fail = (r: ExtensionImportRow, column: ExtensionColumn, problem: string) => problems.add(r.row, file.columnName(column), r.sheetNote + problem);
  const firstRow = new Map<string, number>();
  const resolved: ResolvedExtension[] = [];
  for (const row of file.rows) {
    const d = row.device ? device(row.device) : fallback;
    if (!d) {
      fail(row, 'device', row.device ? `there is no device "${row.device}"` : 'is empty: name the device (or choose one for the import)');
      continue;
    }
    const key = `${d.id}\0${row.number}`;
    const first = firstRow.get(key);
    if (first !== undefined) {
      fail(row, 'number', `extension ${row.number} of ${d.name} appears again; it is first in row ${first}`);
      continue;
    }
    firstRow.set(key, row.row);
    const r: ResolvedExtension = { row, deviceId: d.id, existingId: (existing.get(d.id, row.number) as number | undefined) ?? null };
    if (row.user !== undefined) {
      if (row.user === null) r.userAccountId = null;
      else {
        const candidates = usersByName.get(row.user.toLowerCase()) ?? [];
        const wanted = row.enterprise?.toLowerCase();
        const matching = wanted ? candidates.filter((c) => c.enterprise.toLowerCase() === wanted || c.code?.toLowerCase() === wanted) : candidates;
        if (matching.length === 1) r.userAccountId = matching[0]!.id;
        else if (matching.length === 0) {
          fail(row, 'user', row.enterprise ? `there is no user "${row.user}" in enterprise "${row.enterprise}"` : `there is no user account "${row.user}"`);
        } else {
          fail(row, 'user', `${matching.length} enterprises have a user "${row.user}" (${matching.map((c) => c.enterprise).join(', ')}): add an Enterprise column`);
        }
      }
    }
    resolved.push(r);
  }
  return resolved;
}

function applyExtensions(s: Services, rows: ResolvedExtension[]): { created: number; updated: number; ids: number[] } {
  const t = s.now();
  const insert = s.db.prepare(
    'INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = s.db.prepare(
    `UPDATE extensions SET name = COALESCE(?, name), user_account_id = CASE WHEN ? THEN ? ELSE user_account_id END, updated_at = ?
     WHERE id = ?`,
  );
  const out = { created: 0, updated: 0, ids: [] as number[] };
  for (const r of rows) {
    if (r.existingId !== null) {
      update.run(r.row.name ?? null, r.userAccountId !== undefined ? 1 : 0, r.userAccountId ?? null, t, r.existingId);
      out.updated++;
      out.ids.push(r.existingId);
    } else {
      out.ids.push(Number(insert.run(r.deviceId, r.row.number, r.row.name ?? '', r.userAccountId ?? null, t, t).lastInsertRowid));
      out.created++;
    }
  }
  return out;
}

/** Imports the file, or throws AccountImportRefused with every problem (nothing applied). */
export async function importExtensions(
  s: Services,
  file: { fileName: string; bytes: Buffer; deviceId?: number },
): Promise<ExtensionImportResult & { ids: number[] }> {
  const started = performance.now();
  const problems = new ProblemList();
  const parsed = await readExtensionRows(file, problems);
  // The references are checked in the transaction that applies the rows (and, for the report, when cells had problems).
  if (problems.count) {
    checkExtensions(s.db, parsed, file.deviceId, problems);
    throw new AccountImportRefused(problems);
  }
  const applied = s.db.transaction(() => {
    const rows = checkExtensions(s.db, parsed, file.deviceId, problems);
    if (problems.count) throw new AccountImportRefused(problems);
    return applyExtensions(s, rows);
  })();
  return {
    fileName: file.fileName,
    rows: parsed.rows.length,
    created: applied.created,
    updated: applied.updated,
    millis: Math.round(performance.now() - started),
    ids: applied.ids,
  };
}
