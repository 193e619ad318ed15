/**
 * extensions.import: a file of extensions applied all or nothing. A row names its device (or the import does), the
 * number, and optionally a label and the user account that owns it; a row whose device already has the number
 * updates it. References are checked inside the one transaction that writes everything.
 */
import type { ExtensionImportResult } from '../../../src-shared/api/account-files';
import { accountMethods } from '../../../src-shared/api/accounts';
import { ProblemList, readSpreadsheetTable } from '../../imports/spreadsheet-table';
import { EXTENSION_COLUMNS, EXTENSION_NUMBER, type ExtensionColumn } from './columns';
import { AccountImportRefused } from './import-refused';
import type { AccountFileRepository, UserWithEnterprise } from './repository';

/** What an extension import uses. */
export interface ExtensionImportDeps {
  files: AccountFileRepository;
  now(): number;
}

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

type ExtensionProblem = (r: ExtensionImportRow, column: ExtensionColumn, problem: string) => void;

/** Users by name, read once (a name lookup per row would scan the accounts: their index starts with the enterprise). */
function usersByName(files: AccountFileRepository): Map<string, UserWithEnterprise[]> {
  const byName = new Map<string, UserWithEnterprise[]>();
  for (const u of files.usersWithEnterprise()) {
    const key = u.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(u);
    else byName.set(key, [u]);
  }
  return byName;
}

/** The owner a row names: its id, null for nobody, or undefined (with a problem) when it names no single user. */
function ownerOf(row: ExtensionImportRow & { user: string }, users: Map<string, UserWithEnterprise[]>, fail: ExtensionProblem): number | undefined {
  const candidates = users.get(row.user.toLowerCase()) ?? [];
  const wanted = row.enterprise?.toLowerCase();
  const matching = wanted ? candidates.filter((c) => c.enterprise.toLowerCase() === wanted || c.code?.toLowerCase() === wanted) : candidates;
  if (matching.length === 1) return matching[0]!.id;
  if (matching.length === 0) {
    fail(row, 'user', row.enterprise ? `there is no user "${row.user}" in enterprise "${row.enterprise}"` : `there is no user account "${row.user}"`);
  } else {
    fail(row, 'user', `${matching.length} enterprises have a user "${row.user}" (${matching.map((c) => c.enterprise).join(', ')}): add an Enterprise column`);
  }
  return undefined;
}

function checkExtensions(files: AccountFileRepository, file: ExtensionFile, defaultDeviceId: number | undefined, problems: ProblemList): ResolvedExtension[] {
  const devices = files.devices();
  const device = (text: string) => devices.find((d) => String(d.id) === text) ?? devices.find((d) => d.name.toLowerCase() === text.toLowerCase());
  const fallback = defaultDeviceId !== undefined ? devices.find((d) => d.id === defaultDeviceId) : devices.length === 1 ? devices[0] : undefined;
  const users = usersByName(files);
  const existing = files.extensionIds();
  const fail: ExtensionProblem = (r, column, problem) => problems.add(r.row, file.columnName(column), r.sheetNote + problem);
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
    const r: ResolvedExtension = { row, deviceId: d.id, existingId: existing(d.id, row.number) ?? null };
    if (row.user === null) r.userAccountId = null;
    else if (row.user !== undefined) {
      const owner = ownerOf({ ...row, user: row.user }, users, fail);
      if (owner !== undefined) r.userAccountId = owner;
    }
    resolved.push(r);
  }
  return resolved;
}

function applyExtensions(deps: ExtensionImportDeps, rows: ResolvedExtension[]): { created: number; updated: number; ids: number[] } {
  const t = deps.now();
  const write = deps.files.extensionWriter();
  const out = { created: 0, updated: 0, ids: [] as number[] };
  for (const r of rows) {
    if (r.existingId !== null) {
      write.update(r.existingId, { name: r.row.name ?? null, userAccountId: r.userAccountId }, t);
      out.updated++;
      out.ids.push(r.existingId);
    } else {
      out.ids.push(write.insert({ deviceId: r.deviceId, number: r.row.number, name: r.row.name ?? '', userAccountId: r.userAccountId ?? null }, t));
      out.created++;
    }
  }
  return out;
}

/** Imports the file, or throws AccountImportRefused with every problem (nothing applied). */
export async function importExtensions(
  deps: ExtensionImportDeps,
  file: { fileName: string; bytes: Buffer; deviceId?: number },
): Promise<ExtensionImportResult & { ids: number[] }> {
  const started = performance.now();
  const problems = new ProblemList();
  const parsed = await readExtensionRows(file, problems);
  // The references are checked in the transaction that applies the rows (and, for the report, when cells had problems).
  if (problems.count) {
    checkExtensions(deps.files, parsed, file.deviceId, problems);
    throw new AccountImportRefused(problems);
  }
  const applied = deps.files.inTransaction(() => {
    const rows = checkExtensions(deps.files, parsed, file.deviceId, problems);
    if (problems.count) throw new AccountImportRefused(problems);
    return applyExtensions(deps, rows);
  });
  return {
    fileName: file.fileName,
    rows: parsed.rows.length,
    created: applied.created,
    updated: applied.updated,
    millis: Math.round(performance.now() - started),
    ids: applied.ids,
  };
}
