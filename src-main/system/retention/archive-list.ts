/**
 * What is in the CDR archive folder, for `system.archives` and `system.archiveDownload`: the archives with their month,
 * checksum and CDR count, and the one way to turn a name into a file (a name from the folder's own listing, never a
 * path the caller builds).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isoTime } from '../../../src-shared/api/common';
import { ApiError } from '../../../src-shared/api/errors';
import type { CdrArchive } from '../../../src-shared/api/retention';
import type { Sqlite } from '../../db/connection';
import { purgeSummariesNamingFiles } from './retention-repository';

/** `cdrs-2026-04-20261120T033000Z.csv.gz`: the month of calls, then when the run wrote it. */
const ARCHIVE_NAME = /^cdrs-(\d{4}-\d{2})-[0-9A-Za-z]+\.csv\.gz$/;

/**
 * CDRs per archive file as the runs that wrote them counted them (their operation-log rows; indexed by method). A run
 * that archived nothing names no file, so only runs with months are read.
 */
function countsFromRuns(db: Sqlite): Map<string, number> {
  const counts = new Map<string, number>();
  for (const summary of purgeSummariesNamingFiles(db)) {
    try {
      const run = JSON.parse(summary) as { months?: { file?: unknown; archived?: unknown }[] };
      for (const m of run.months ?? []) if (typeof m.file === 'string' && typeof m.archived === 'number') counts.set(m.file, m.archived);
    } catch {
      // A summary that is not JSON names no archive.
    }
  }
  return counts;
}

/** Archives in `dir`, newest first. */
export function listArchives(dir: string, db: Sqlite): CdrArchive[] {
  if (!fs.existsSync(dir)) return [];
  const names = new Set(fs.readdirSync(dir));
  const counts = countsFromRuns(db);
  return [...names]
    .filter((f) => f.endsWith('.csv.gz'))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      const sumFile = names.has(`${f}.sha256`) ? `${f}.sha256` : null;
      return {
        fileName: f,
        month: ARCHIVE_NAME.exec(f)?.[1] ?? null,
        bytes: st.size,
        sha256: sumFile ? fs.readFileSync(path.join(dir, sumFile), 'utf8').split(/\s+/)[0]! : null,
        sha256File: sumFile,
        createdAt: isoTime(st.mtimeMs),
        cdrs: counts.get(f) ?? null,
      };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.fileName.localeCompare(a.fileName));
}

/**
 * The file behind a name the caller gave: only an entry of the folder listing (an archive or its `.sha256`) that is a
 * plain file; `../`, absolute paths, other folders' files and links out of the folder are not found.
 */
export function archiveFile(dir: string, fileName: string): string {
  const notFound = () => ApiError.keyed('not_found', 'api.noArchive', `There is no CDR archive named "${fileName}" in the archive folder.`, { name: fileName });
  if (fileName !== path.basename(fileName) || !(fileName.endsWith('.csv.gz') || fileName.endsWith('.csv.gz.sha256'))) throw notFound();
  if (!fs.existsSync(dir) || !fs.readdirSync(dir).includes(fileName)) throw notFound();
  const file = path.join(dir, fileName);
  const st = fs.lstatSync(file);
  if (!st.isFile()) throw notFound();
  return file;
}
