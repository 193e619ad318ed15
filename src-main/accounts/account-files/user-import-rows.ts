/**
 * Reads a user-account file into rows, checking every cell on its own (numbers, card numbers, PINs, amounts, yes/no)
 * with the same rules as userAccounts.create, and the file as a whole (a user or a card number twice). References to
 * the database (enterprises, devices, rate groups, cards of other accounts) are checked in user-import.ts.
 */
import type { z } from 'zod';
import { problemFromIssue, type Problem } from '../../../src-shared/api/messages';
import { userAccountCreateInput } from '../../../src-shared/api/accounts';
import { ProblemList, readSpreadsheetTable, type TableRow } from '../../imports/spreadsheet-table';
import { CARD_NUMBER, EXTENSION_NUMBER, USER_COLUMNS, extensionItems, yesNoOf, type UserColumn } from './columns';

/** A field the file does not have is undefined: an update keeps the stored value. */
export interface UserImportRow {
  row: number;
  sheetNote: string;
  enterprise: string;
  name: string;
  code?: string | null;
  device?: string;
  extensions?: { device: string; number: string }[];
  cardNumber?: string | null;
  /** Set only when the cell holds a PIN (an empty cell keeps the stored one). */
  pin?: string;
  ownBalance?: boolean;
  rateGroup?: string | null;
  creditLimit?: number;
  lowBalance?: number | null;
  freezeWhenExhausted?: boolean;
  notes?: string;
}

const fields = userAccountCreateInput.shape;

/** The first message of a zod schema for a value (with its key for the clerk's language), or the value when it passes. */
function ruleProblem<T extends z.ZodType>(
  schema: T,
  value: unknown,
): { ok: true; value: z.output<T> } | { ok: false; message: string; problem?: Problem } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return issue ? { ok: false, message: issue.message, problem: problemFromIssue(issue) } : { ok: false, message: 'is not valid' };
}

function parseUserRow(r: TableRow<UserColumn>, problems: ProblemList): UserImportRow | null {
  const before = problems.count;
  const fail = (column: UserColumn, problem: string, known?: Problem) => problems.add(r.row, r.columnName(column), r.sheetNote + problem, known);
  const out: UserImportRow = { row: r.row, sheetNote: r.sheetNote, enterprise: r.cell('enterprise'), name: r.cell('name') };
  if (!out.enterprise) fail('enterprise', 'is empty (the name or code of an enterprise)');
  const name = ruleProblem(fields.name, out.name);
  if (!name.ok) fail('name', out.name ? name.message : 'is empty', out.name ? name.problem : undefined);

  const optionalText = (column: 'code' | 'notes', schema: z.ZodType) => {
    if (!r.has(column)) return undefined;
    const value = r.cell(column);
    const checked = value ? ruleProblem(schema, value) : null;
    if (checked && !checked.ok) fail(column, checked.message, checked.problem);
    return value;
  };
  const code = optionalText('code', fields.code);
  if (code !== undefined) out.code = code || null;
  const notes = optionalText('notes', fields.notes);
  if (notes !== undefined) out.notes = notes;

  if (r.has('device')) out.device = r.cell('device');
  if (r.has('extensions')) {
    out.extensions = [];
    for (const item of extensionItems(r.cell('extensions'))) {
      if (!EXTENSION_NUMBER.test(item.number)) {
        fail('extensions', `"${item.text}" is not an extension number (digits, * # +, at most 20)`);
      } else out.extensions.push({ device: item.device, number: item.number });
    }
  }
  if (r.has('cardNumber')) {
    const card = r.cell('cardNumber');
    if (card && !CARD_NUMBER.test(card)) fail('cardNumber', `"${card}" is not a card number (4 to 32 letters or digits)`);
    out.cardNumber = card || null;
  }
  if (r.has('pin') && r.cell('pin')) {
    const pin = ruleProblem(fields.pin, r.cell('pin'));
    if (!pin.ok) fail('pin', pin.message, pin.problem);
    else out.pin = r.cell('pin');
  }
  const yesNo = (column: 'ownBalance' | 'freezeWhenExhausted') => {
    if (!r.has(column)) return undefined;
    const value = yesNoOf(r.cell(column));
    if (value === undefined) fail(column, `must be yes or no, got "${r.cell(column)}"`);
    return value;
  };
  out.ownBalance = yesNo('ownBalance');
  out.freezeWhenExhausted = yesNo('freezeWhenExhausted');
  if (r.has('rateGroup')) out.rateGroup = r.cell('rateGroup') || null;
  // Empty amount cells need no parsing: no credit limit, no low-balance alert.
  if (r.has('creditLimit')) {
    const text = r.cell('creditLimit');
    const credit = text ? ruleProblem(fields.creditLimit, text) : ({ ok: true, value: 0 } as const);
    if (!credit.ok) fail('creditLimit', `${credit.message}, got "${text}"`, credit.problem);
    else out.creditLimit = credit.value;
  }
  if (r.has('lowBalance')) {
    const text = r.cell('lowBalance');
    const low = text ? ruleProblem(fields.lowBalance, text) : ({ ok: true, value: null } as const);
    if (!low.ok) fail('lowBalance', `${low.message}, got "${text}"`, low.problem);
    else out.lowBalance = low.value ?? null;
  }
  if (out.ownBalance === undefined) delete out.ownBalance;
  if (out.freezeWhenExhausted === undefined) delete out.freezeWhenExhausted;
  return problems.count > before ? null : out;
}

export interface UserImportFile {
  rows: UserImportRow[];
  /** A column's heading as the file writes it (for problems found later). */
  columnName(column: UserColumn): string;
}

/** Reads and checks the file; problems of the file go to `problems` (then the rows are not to be applied). */
export async function readUserImportRows(file: { fileName: string; bytes: Buffer }, problems: ProblemList): Promise<UserImportFile> {
  const rows: UserImportRow[] = [];
  const names = new Map<UserColumn, string>();
  const firstRowOfUser = new Map<string, number>();
  const firstRowOfCard = new Map<string, number>();
  await readSpreadsheetTable(file, USER_COLUMNS, problems, (batch, heading) => {
    for (const [column, at] of heading) if (!names.has(column)) names.set(column, at.name);
    for (const r of batch) {
      const row = parseUserRow(r, problems);
      if (!row) continue;
      const userKey = `${row.enterprise.toLowerCase()}\0${row.name.toLowerCase()}`;
      const seen = firstRowOfUser.get(userKey);
      if (seen !== undefined) {
        problems.add(row.row, r.columnName('name'), `${row.sheetNote}user "${row.name}" of enterprise "${row.enterprise}" appears again; it is first in row ${seen}`);
        continue;
      }
      firstRowOfUser.set(userKey, row.row);
      if (row.cardNumber) {
        const cardSeen = firstRowOfCard.get(row.cardNumber);
        if (cardSeen !== undefined) {
          problems.add(row.row, r.columnName('cardNumber'), `${row.sheetNote}card number ${row.cardNumber} appears again; it is first in row ${cardSeen}`);
          continue;
        }
        firstRowOfCard.set(row.cardNumber, row.row);
      }
      rows.push(row);
    }
  });
  return { rows, columnName: (column) => names.get(column) ?? USER_COLUMNS.headingOf(column) };
}
