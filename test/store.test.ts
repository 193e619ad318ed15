import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openStore } from '../src-main/db/connection';
import { MigrationMismatchError } from '../src-main/db/migrate';
import { migrations } from '../src-main/db/migrations';
import { renderRowTypes } from '../src-main/db/row-types';
import { startEngine } from '../src-main/engine';
import { tempDir } from './helpers/engine';

const dirs: string[] = [];
const freshDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('store', () => {
  it('opens a WAL database with foreign keys and every migration applied, once', () => {
    const dir = freshDir();
    const store = openStore(dir);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = store.sqlite.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(applied).toEqual(migrations.map((m) => m.id));
    store.close();
    // Re-opening applies nothing new and keeps the data.
    const again = openStore(dir);
    expect(again.sqlite.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    again.close();
  });

  it('refuses a database that has a migration this version does not know', () => {
    const dir = freshDir();
    openStore(dir).close();
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    raw.prepare('INSERT INTO schema_migrations (id, sha256, applied_at) VALUES (?, ?, ?)').run('9999_future', 'x', 1);
    raw.close();
    expect(() => openStore(dir)).toThrow(MigrationMismatchError);
    expect(() => openStore(dir)).toThrow(/9999_future/);
  });

  it('refuses a database whose applied migration differs from the file (edited after shipping)', () => {
    const dir = freshDir();
    openStore(dir).close();
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    raw.prepare("UPDATE schema_migrations SET sha256 = 'tampered' WHERE id = ?").run(migrations[0]!.id);
    raw.close();
    expect(() => openStore(dir)).toThrow(/checksum mismatch/);
  });

  it('refuses a database that lacks a migration in the middle of the list', () => {
    const dir = freshDir();
    const edited = [...migrations, { id: '9000_extra', sql: 'CREATE TABLE extra_a (id INTEGER)' }];
    openStore(dir, { migrations: edited }).close();
    // Code that knows a different migration at that position must refuse.
    const other = [...migrations, { id: '9000_other', sql: 'CREATE TABLE extra_b (id INTEGER)' }];
    expect(() => openStore(dir, { migrations: other })).toThrow(/9000_extra/);
  });

  it('the engine does not start on a mismatched database and says why', async () => {
    const dir = freshDir();
    openStore(dir).close();
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    raw.prepare('INSERT INTO schema_migrations (id, sha256, applied_at) VALUES (?, ?, ?)').run('9999_future', 'x', 1);
    raw.close();
    await expect(startEngine({ dataDir: dir, http: false, consoleLogLevel: 'silent' })).rejects.toThrow(
      /written by another version/,
    );
  });

  it('has row types (src-main/db/rows.ts) generated from the migrations as they are now (npm run db:rows)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../src-main/db/rows.ts'), 'utf8');
    const generated = renderRowTypes(migrations);
    expect(generated).toContain('export interface CdrsRow {');
    expect(generated).toMatch(/export interface AccountsRow \{[^}]*\n  balance: number;\n/);
    expect(committed, 'src-main/db/rows.ts is out of date: run npm run db:rows').toBe(generated);
  });

  it('types a column that may be NULL as such, one that may not without null', () => {
    const rows = renderRowTypes([{ id: '0001_t', sql: 'CREATE TABLE money_things (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, note TEXT, at REAL)' }]);
    expect(rows).toContain('export interface MoneyThingsRow {\n  id: number;\n  amount: number;\n  note: string | null;\n  at: number | null;\n}');
  });

  it('keeps the logs append-only', () => {
    const store = openStore(freshDir());
    store.sqlite
      .prepare("INSERT INTO login_log (at, username, ok, reason, address) VALUES (1, 'x', 0, 'bad_password', 'a')")
      .run();
    expect(() => store.sqlite.prepare('DELETE FROM login_log').run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare("UPDATE login_log SET reason = 'ok'").run()).toThrow(/append-only/);
    store.close();
  });
});
