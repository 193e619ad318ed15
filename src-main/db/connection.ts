import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import { applyMigrations } from './migrate';
import { migrations as allMigrations, type Migration } from './migrations';

export type Sqlite = Database.Database;

export interface Store {
  /** The connection: repositories prepare their statements on it; transactions run on it. */
  sqlite: Sqlite;
  file: string;
  close(): void;
}

export const DB_FILE_NAME = 'billing.db';

/**
 * Opens (creating if needed) `billing.db` in the data folder: WAL, foreign keys on, migrations applied.
 * Throws MigrationMismatchError when the file belongs to a different version.
 */
export function openStore(dataDir: string, opts: { migrations?: readonly Migration[]; file?: string; now?: Clock } = {}): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = opts.file ?? path.join(dataDir, DB_FILE_NAME);
  const sqlite = openConnection(file);
  try {
    applyMigrations(sqlite, opts.migrations ?? allMigrations, opts.now);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return {
    sqlite,
    file,
    close() {
      if (sqlite.open) {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.close();
      }
    },
  };
}

/**
 * A connection to a database file with the engine's settings, without migrating it: a second connection (the CDR
 * writer's thread) to a file the engine has opened and migrated.
 */
export function openConnection(file: string): Sqlite {
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit survives power loss, not only a crash; ingestion batches its transactions to stay fast.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // A writer waits for the other connection's transaction rather than failing (both keep theirs short).
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('cache_size = -65536');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return sqlite;
}
