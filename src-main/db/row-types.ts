/**
 * The row types of the database, read from the migrations (the one source of the schema): every table's columns as
 * SQLite reports them after all migrations ran, written out as TypeScript interfaces in `rows.ts`.
 * `npm run db:rows` rewrites the file; `test/store.test.ts` fails when it is out of date.
 */
import Database from 'better-sqlite3';
import { applyMigrations } from './migrate';
import type { Migration } from './migrations';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/** SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1), as the driver returns the values. */
function tsTypeOf(declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'number';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'string';
  if (t === '' || t.includes('BLOB')) return 'Buffer';
  return 'number';
}

const pascal = (table: string) => table.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** The text of rows.ts for these migrations. */
export function renderRowTypes(migrations: readonly Migration[]): string {
  const db = new Database(':memory:');
  try {
    applyMigrations(db, migrations, () => 0);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out = [
      '// Generated from the migrations by `npm run db:rows` (src-main/db/row-types.ts): do not edit.',
      '// One interface per table, a column as the driver returns it (INTEGER/REAL: number, TEXT: string, BLOB: Buffer);',
      '// `| null` where the column may be NULL. Booleans are INTEGER 0/1; money is INTEGER in 1/10000 units.',
      '',
      '/** Columns a query knows are set although the table allows NULL (a rated CDR\'s price, a leg\'s call id). */',
      'export type SetColumns<R, K extends keyof R> = { [C in K]: NonNullable<R[C]> };',
      '',
    ];
    for (const table of tables) {
      const columns = db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(table) as ColumnInfo[];
      out.push(`export interface ${pascal(table)}Row {`);
      for (const c of columns) {
        const nullable = c.notnull === 0 && c.pk === 0;
        out.push(`  ${c.name}: ${tsTypeOf(c.type)}${nullable ? ' | null' : ''};`);
      }
      out.push('}', '');
    }
    return out.join('\n');
  } finally {
    db.close();
  }
}
