/**
 * The SQL of backups and restores: what a backup file holds (its migrations, whether it is sound), what a restore
 * writes into the restored database (its sessions ended, the restore logged), and the scheduled backups' log rows.
 * Most of it runs on a connection of its own to a backup file, not on the engine's.
 */
import type { Sqlite } from '../../db/connection';
import type { SchemaMigrationsRow } from '../../db/rows';

/** The ids of the migrations applied to a database, in order. */
export function appliedMigrationIds(db: Sqlite): string[] {
  return db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all() as string[];
}

/** Reads the schema once: throws SQLite's own error when the file is no database or a damaged one. */
export function probeDatabase(db: Sqlite): void {
  db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
}

/** PRAGMA integrity_check: ['ok'] when the file is sound, else its problems. */
export function integrityProblems(db: Sqlite): string[] {
  return db.prepare('PRAGMA integrity_check').pluck().all() as string[];
}

/** Whether the database has the table of applied migrations (every billing database does). */
export function hasMigrationsTable(db: Sqlite): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get());
}

/** The migrations applied to a database with the sha-256 of their text, in order. */
export function appliedMigrations(db: Sqlite): Pick<SchemaMigrationsRow, 'id' | 'sha256'>[] {
  return db.prepare('SELECT id, sha256 FROM schema_migrations ORDER BY id').all() as Pick<SchemaMigrationsRow, 'id' | 'sha256'>[];
}

/** A row of the operation log as the system jobs write it. */
export interface SystemOperationRow {
  at: number;
  accountId: number | null;
  username: string;
  method: string;
  target: string | null;
  summary: string;
  address: string;
}

/** Appends a row to the operation log (backups, restores and retention runs write their own). */
export function insertSystemOperation(db: Sqlite, op: SystemOperationRow): void {
  db.prepare('INSERT INTO operation_log (at, account_id, username, method, target, summary, address) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    op.at,
    op.accountId,
    op.username,
    op.method,
    op.target,
    op.summary,
    op.address,
  );
}

/** Ends every open session of a restored database (a token revoked after the backup was taken must not come back). */
export function endSessionsForRestore(db: Sqlite, at: number): void {
  db.prepare("UPDATE sessions SET ended_at = ?, end_reason = 'restore' WHERE ended_at IS NULL").run(at);
}
