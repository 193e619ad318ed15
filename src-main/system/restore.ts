/**
 * Restore: stage a copy of the backup in the data folder, check the copy (checksum, PRAGMA integrity_check, schema
 * migrations a prefix of this version's), then, with the engine stopped, keep the current database aside as
 * `billing.db.before-restore-<time>` and move the copy into place. Sessions of the restored database are ended (a
 * token revoked after the backup was taken must not come back), and the restore is written to its operation log.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { DB_FILE_NAME } from '../db/connection';
import type { Migration } from '../db/migrations';
import { SECRET_KEY_FILE } from '../secrets';
import {
  appliedMigrations,
  endSessionsForRestore,
  hasMigrationsTable,
  insertSystemOperation,
  integrityProblems,
  probeDatabase,
} from './backup/backup-repository';
import { keyFileOf, readDataDirKey, readManifest, recordedChecksum, sha256OfFile } from './backup/backup-files';
import { problem } from '../../src-shared/api/messages';

export const STAGED_SUFFIX = '.restoring';

export interface StagedRestore {
  fileName: string;
  /** The checked copy in the data folder, ready to become billing.db. */
  staged: string;
  /** The backup's secret key when it differs from the data folder's (absent: same key, or none recorded). */
  keyFile?: string;
  keptAs: string;
  warnings: string[];
}

export interface RestoreOperation {
  at: number;
  accountId: number | null;
  username: string;
  address: string;
  reason: string;
}

// The reasons name SQLite's own words; the clerk reads that the backup cannot be restored, the detail says why.
const refuse = (message: string) =>
  ApiError.keyed('invalid_input', 'api.backupUnusable', message, undefined, fieldDetails({ fileName: problem('field.backupUnusable', message) }));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Opens a copy of a backup and proves it is a sound billing database this version can run. */
export function checkBackupDatabase(file: string, fileName: string, migrations: readonly Migration[]): string[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    probeDatabase(db);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_CORRUPT') throw refuse(`${fileName} is damaged: ${(err as Error).message}.`);
    throw refuse(`${fileName} is not a SQLite database (${(err as Error).message}).`);
  }
  try {
    let problems: string[];
    try {
      problems = integrityProblems(db);
    } catch (err) {
      throw refuse(`${fileName} is damaged: ${(err as Error).message}.`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw refuse(`${fileName} fails PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}.`);
    }
    if (!hasMigrationsTable(db)) throw refuse(`${fileName} is not a billing database (it has no schema_migrations table).`);
    const applied = appliedMigrations(db);
    if (!applied.length) throw refuse(`${fileName} is not a billing database (no migration was ever applied to it).`);
    applied.forEach((row, i) => {
      const known = migrations[i];
      if (!known || known.id !== row.id || sha256(known.sql) !== row.sha256) {
        throw refuse(
          `${fileName} was written by another version: it has migration ${row.id}, ` +
            `where this version has ${known ? known.id : 'no more migrations'}${known && known.id === row.id ? ' with different contents' : ''}.`,
        );
      }
    });
    return applied.map((r) => r.id);
  } finally {
    db.close();
  }
}

/** Copies the backup next to the database and checks the copy; throws ApiError (400/404) for a file that will not do. */
export async function stageRestore(
  folder: string,
  fileName: string,
  dataDir: string,
  migrations: readonly Migration[],
  now: number,
): Promise<StagedRestore> {
  const source = path.join(folder, fileName);
  if (!fs.existsSync(source)) throw ApiError.keyed('not_found', 'api.noBackup', `There is no backup ${fileName} in ${folder}.`, { name: fileName });
  const staged = path.join(dataDir, DB_FILE_NAME + STAGED_SUFFIX);
  const warnings: string[] = [];
  await fs.promises.copyFile(source, staged);
  try {
    const recorded = recordedChecksum(folder, fileName);
    const actual = await sha256OfFile(staged);
    if (recorded && recorded !== actual) {
      throw refuse(`${fileName} changed after it was written: its sha-256 is ${actual}, the recorded one ${recorded}.`);
    }
    if (!recorded) warnings.push(`${fileName} has no recorded checksum (not made by this program); it passed the integrity check.`);
    checkBackupDatabase(staged, fileName, migrations);

    let keyFile: string | undefined;
    const wanted = readManifest(folder, fileName)?.secretKeyFingerprint;
    const current = readDataDirKey(dataDir);
    if (wanted && wanted !== current?.fingerprint) {
      const candidate = path.join(folder, keyFileOf(wanted));
      if (fs.existsSync(candidate)) keyFile = candidate;
      else {
        warnings.push(
          `The secret key this backup was made with (${keyFileOf(wanted)}) is not in the backup folder: stored SFTP ` +
            'passwords and the TLS private key cannot be opened; enter them again after the restore.',
        );
      }
    }
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    return { fileName, staged, ...(keyFile ? { keyFile } : {}), keptAs: `${DB_FILE_NAME}.before-restore-${stamp}`, warnings };
  } catch (err) {
    fs.rmSync(staged, { force: true });
    throw err;
  }
}

function moveIfExists(from: string, to: string, moved: [string, string][]): void {
  if (!fs.existsSync(from)) return;
  fs.renameSync(from, to);
  moved.push([from, to]);
}

/**
 * Runs with the engine stopped: keeps the current database (and key, when the backup brings another) aside, moves the
 * staged copy into place, ends its sessions and records the restore. Returns the undo used if no engine starts on it.
 */
export function swapInRestore(dataDir: string, plan: StagedRestore, op: RestoreOperation): () => void {
  const live = path.join(dataDir, DB_FILE_NAME);
  const kept = path.join(dataDir, plan.keptAs);
  const moved: [string, string][] = [];
  let installed = false;
  let copiedKey: string | undefined;
  const undo = () => {
    if (installed) {
      fs.rmSync(live, { force: true });
      for (const suffix of ['-wal', '-shm']) fs.rmSync(live + suffix, { force: true });
    }
    if (copiedKey) fs.rmSync(copiedKey, { force: true });
    for (const [from, to] of moved.reverse()) if (fs.existsSync(to)) fs.renameSync(to, from);
  };
  try {
    moveIfExists(live, kept, moved);
    moveIfExists(live + '-wal', kept + '-wal', moved);
    fs.rmSync(live + '-shm', { force: true });
    if (plan.keyFile) {
      const key = path.join(dataDir, SECRET_KEY_FILE);
      moveIfExists(key, `${key}.before-restore-${plan.keptAs.split('before-restore-')[1]}`, moved);
      copiedKey = key;
      fs.copyFileSync(plan.keyFile, key);
      fs.chmodSync(key, 0o600);
    }
    fs.renameSync(plan.staged, live);
    installed = true;
    const db = new Database(live);
    try {
      db.transaction(() => {
        endSessionsForRestore(db, op.at);
        insertSystemOperation(db, {
          at: op.at,
          accountId: op.accountId,
          username: op.username,
          method: 'system.restore',
          target: `backup:${plan.fileName}`,
          summary: JSON.stringify({ reason: op.reason, keptAs: plan.keptAs, restoredKey: Boolean(plan.keyFile), warnings: plan.warnings }),
          address: op.address,
        });
      })();
    } finally {
      db.close();
    }
  } catch (err) {
    undo();
    throw err;
  }
  return undo;
}
