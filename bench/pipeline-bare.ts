/**
 * The pipeline bench's denominator: the rows of an engine's cdrs table inserted with plain better-sqlite3 into a
 * table that has the same columns and only its primary key (no indexes, triggers, checks or processors), with the
 * pragmas the engine's store opens with, one transaction per batch. Only the inserts and commits are timed.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export interface BareInsert {
  rows: number;
  seconds: number;
  columns: number;
  averageBytes: number;
  pragmas: string;
}

/** Those of openStore (src-main/db/connection.ts) that bear on writes. */
const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'temp_store = MEMORY', 'cache_size = -65536'];

export function bareInsertOf(sourceFile: string, dir: string, batch: number): BareInsert {
  fs.mkdirSync(dir, { recursive: true });
  const source = new Database(sourceFile, { readonly: true });
  const target = new Database(path.join(dir, 'bare.db'));
  try {
    for (const p of PRAGMAS) target.pragma(p);
    const columns = source.pragma('table_info(cdrs)') as { name: string; type: string; pk: number }[];
    const key = columns.find((c) => c.pk === 1);
    if (!key) throw new Error('the cdrs table has no primary key column');
    const values = columns.filter((c) => c !== key).map((c) => c.name);
    target.exec(`CREATE TABLE cdrs (${key.name} INTEGER PRIMARY KEY, ${columns.filter((c) => c !== key).map((c) => `${c.name} ${c.type}`).join(', ')})`);
    // As the engine inserts: without the key, which SQLite assigns.
    const insert = target.prepare(`INSERT INTO cdrs (${values.join(', ')}) VALUES (${values.map(() => '?').join(', ')})`);
    const read = source.prepare(`SELECT ${key.name}, ${values.join(', ')} FROM cdrs WHERE ${key.name} > ? ORDER BY ${key.name} LIMIT ?`).raw();
    const commit = target.transaction((rows: unknown[][]) => {
      for (const r of rows) insert.run(r.slice(1));
    });
    let last = 0;
    let rows = 0;
    let bytes = 0;
    let ns = 0n;
    for (;;) {
      const page = read.all(last, batch) as unknown[][];
      if (!page.length) break;
      last = page[page.length - 1]![0] as number;
      for (const r of page) for (const v of r) bytes += typeof v === 'string' ? Buffer.byteLength(v) : v === null ? 0 : 8;
      const t0 = process.hrtime.bigint();
      commit(page);
      ns += process.hrtime.bigint() - t0;
      rows += page.length;
    }
    return { rows, seconds: Number(ns) / 1e9, columns: columns.length, averageBytes: rows ? Math.round(bytes / rows) : 0, pragmas: PRAGMAS.join(', ') };
  } finally {
    source.close();
    target.close();
  }
}
