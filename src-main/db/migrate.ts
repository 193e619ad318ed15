import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import type Database from 'better-sqlite3';
import type { Migration } from './migrations';

export class MigrationMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationMismatchError';
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Applies the migrations the database lacks, each in its own transaction, after checking that what it already has
 * is exactly a prefix of `migrations` (same ids, same contents). A database written by a newer or different build,
 * or whose migration files were edited after they shipped, is refused rather than guessed at.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[], now: Clock = systemClock): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const done = db.prepare('SELECT id, sha256 FROM schema_migrations ORDER BY id').all() as { id: string; sha256: string }[];

  done.forEach((row, i) => {
    const known = migrations[i];
    if (!known || known.id !== row.id) {
      throw new MigrationMismatchError(
        `The database has migration ${row.id}, which this version does not know ` +
          `(expected ${known ? known.id : 'no more migrations'}). It was written by another version; ` +
          'open it with that version or restore a backup.',
      );
    }
    if (sha256(known.sql) !== row.sha256) {
      throw new MigrationMismatchError(
        `Migration ${row.id} applied to the database differs from this version's file ` +
          '(checksum mismatch); refusing to start on a schema that may not match the code.',
      );
    }
  });

  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, sha256, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(done.length)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, sha256(m.sql), now());
    })();
    applied.push(m.id);
  }
  return { applied };
}
