/**
 * An uploaded .xlsx or .csv read as a table, for the imports (number attribution, user accounts, extensions): finds
 * the heading row of each sheet (a title block above it, as the exports write one, is skipped), maps the headings to
 * the import's columns, and hands over the data rows in batches with the row numbers a spreadsheet program shows.
 * Every problem (row, column, what) goes to one list, so a file is refused with all its problems at once.
 */
import type { ImportProblem, ImportRefusal } from '../../src-shared/api/attribution';
import { importProblemKey } from './import-problems';
import type { ExportLanguage } from '../exports/labels';
import { NotASpreadsheetError, spreadsheetRows, type SheetRow } from './spreadsheet-rows';

/** Problems listed in a refusal (all are counted). */
export const MAX_LISTED_PROBLEMS = 200;
/** Non-empty rows searched for the headings before giving up. */
const HEADING_SEARCH_ROWS = 30;

export class ProblemList {
  readonly listed: ImportProblem[] = [];
  count = 0;

  /** `known`: the key of a problem that has one already (a contract rule's); else it comes from the catalogue. */
  add(row: number | null, column: string | null, problem: string, known?: { key: string; params?: Record<string, string | number> }): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_PROBLEMS) {
      const found = importProblemKey(problem);
      const sheet = found.params['sheet'];
      const { key, params } = known ? { key: known.key, params: { ...known.params, ...(sheet !== undefined ? { sheet } : {}) } } : found;
      this.listed.push({ row, column, problem, key, ...(params && Object.keys(params).length ? { params } : {}) });
    }
  }

  refusal(): ImportRefusal {
    return { problems: this.listed, problemCount: this.count };
  }
}

/** "row 4, column Kind: must be mobile or fixed" */
export function describeProblem(p: ImportProblem | undefined): string {
  if (!p) return '';
  const where = [p.row !== null ? `row ${p.row}` : '', p.column ? `column ${p.column}` : ''].filter(Boolean).join(', ');
  return where ? `${where}: ${p.problem}` : p.problem;
}

/** The message of a refused import: how many problems, and the first. */
export function refusalMessage(problems: ProblemList): string {
  return `The file was not imported: ${problems.count} problem(s), the first: ${describeProblem(problems.listed[0])}`;
}

/** Headings compare without case, spaces, underscores, hyphens and brackets: "Region (English)" = "region_en". */
export function headingKey(text: string): string {
  return text.toLowerCase().replace(/[\s_\-()（）[\]【】*]/g, '');
}

/** The columns an import reads, and how people name them. */
export interface TableColumns<C extends string> {
  /** The column a heading names, if any. */
  columnOf(heading: string): C | undefined;
  /** A row is the heading row when it names this column. */
  keyColumn: C;
  required: readonly C[];
  /**
   * The heading the exports write for a column (used in problems about it), in the language of the file's headings
   * so that a Chinese file is told of its missing 企业 column, not of "Enterprise" (English when not given).
   */
  headingOf(column: C, language?: ExportLanguage): string;
  /** Report headings that name no column (else they are ignored). */
  refuseUnknownHeadings?: boolean;
  /** Listed in the "no heading row found" problem: the optional columns. */
  optional?: readonly C[];
}

export type Heading<C extends string> = Map<C, { index: number; name: string }>;

/** One data row: its cells by column, trimmed ('' for an empty cell or a column the file does not have). */
export interface TableRow<C extends string> {
  row: number;
  /** "(sheet Users (2)) " when a workbook has several sheets, to put before a problem. */
  sheetNote: string;
  cell(column: C): string;
  /** Whether the file has the column at all (an absent column keeps stored values; an empty cell clears them). */
  has(column: C): boolean;
  /** The column's heading as the file writes it. */
  columnName(column: C): string;
}

/** The language a row of headings is written in: any Chinese character makes it a Chinese file. */
export function languageOfCells(cells: readonly string[]): ExportLanguage {
  return cells.some((cell) => HAN.test(cell)) ? 'zh-CN' : 'en';
}
const HAN = /\p{Script=Han}/u;

function headingOf<C extends string>(row: SheetRow, columns: TableColumns<C>, problems: ProblemList): Heading<C> | null {
  const heading: Heading<C> = new Map();
  const unknown: string[] = [];
  row.cells.forEach((cell, index) => {
    const name = cell.trim();
    if (!name) return;
    const column = columns.columnOf(name);
    if (!column) return void unknown.push(name);
    const seen = heading.get(column);
    if (seen) problems.add(row.row, name, `names the same column as "${seen.name}"`);
    else heading.set(column, { index, name });
  });
  if (!heading.has(columns.keyColumn)) return null;
  const language = languageOfCells(row.cells);
  for (const column of columns.required) {
    if (!heading.has(column)) problems.add(row.row, columns.headingOf(column, language), 'column is missing from the headings');
  }
  if (columns.refuseUnknownHeadings) {
    const expected = [...columns.required, ...(columns.optional ?? [])].map((c) => columns.headingOf(c, language)).join(', ');
    for (const name of unknown) problems.add(row.row, name, `is not a column of this import (the columns are: ${expected})`);
  }
  return heading;
}

function tableRow<C extends string>(r: SheetRow, heading: Heading<C>, sheetNote: string, columns: TableColumns<C>): TableRow<C> {
  return {
    row: r.row,
    sheetNote,
    cell: (column) => {
      const at = heading.get(column);
      return at ? (r.cells[at.index] ?? '').trim() : '';
    },
    has: (column) => heading.has(column),
    columnName: (column) => heading.get(column)?.name ?? columns.headingOf(column, languageOfCells([...heading.values()].map((h) => h.name))),
  };
}

/**
 * Reads every sheet's rows after its heading row and passes them to `onRows` in batches (with the heading). Problems
 * of the file as a whole (not a spreadsheet, no heading row, no data rows) go to `problems`; reading stops at a
 * heading problem. Returns how many data rows there were.
 */
export async function readSpreadsheetTable<C extends string>(
  file: { fileName: string; bytes: Buffer },
  columns: TableColumns<C>,
  problems: ProblemList,
  onRows: (rows: TableRow<C>[], heading: Heading<C>) => void | Promise<void>,
): Promise<{ dataRows: number }> {
  let dataRows = 0;
  let sheet: string | null | undefined;
  let sheets = 0;
  let heading: Heading<C> | null = null;
  let anyHeading = false;
  let searched = 0;
  let firstRow: SheetRow | null = null;
  try {
    read: for await (const batch of spreadsheetRows(file.fileName, file.bytes)) {
      // A batch holds rows of one sheet; each sheet has its own headings (a long export repeats them on each).
      if (batch[0]?.sheet !== sheet) {
        sheet = batch[0]?.sheet;
        sheets++;
        heading = null;
        searched = 0;
      }
      const sheetNote = sheets > 1 && sheet ? `(sheet ${sheet}) ` : '';
      const rows: TableRow<C>[] = [];
      for (const r of batch) {
        if (r.cells.every((c) => c.trim() === '')) continue;
        if (!heading) {
          firstRow ??= r;
          const before = problems.count;
          heading = headingOf(r, columns, problems);
          if (problems.count > before || (!heading && ++searched >= HEADING_SEARCH_ROWS)) break read;
          if (heading) anyHeading = true;
          continue;
        }
        dataRows++;
        rows.push(tableRow(r, heading, sheetNote, columns));
      }
      if (rows.length && heading) await onRows(rows, heading);
    }
  } catch (err) {
    if (!(err instanceof NotASpreadsheetError)) throw err;
    problems.add(null, null, err.message);
  }
  if (!problems.count && !anyHeading) {
    const language = languageOfCells(firstRow?.cells ?? []);
    const expected = columns.required.map((c) => columns.headingOf(c, language)).join(', ');
    const optional = (columns.optional ?? []).map((c) => columns.headingOf(c, language)).join(', ');
    const seen = firstRow ? `; the first row holds ${firstRow.cells.filter((c) => c.trim()).slice(0, 8).map((c) => `"${c.trim()}"`).join(', ')}` : '';
    problems.add(null, null, `no heading row found: expected the columns ${expected}${optional ? ` (optionally ${optional})` : ''}${seen}`);
  } else if (!problems.count && dataRows === 0) {
    problems.add(null, null, 'the file has headings but no data rows');
  }
  return { dataRows };
}
