import { z } from 'zod';
import { ADMIN, method, READ } from './contract';
import type { IsoTime } from './common';
import type { DownloadTicket } from './downloads';

/** The retention job's daily run: this local time in the statistics time zone (after the nightly backup, 02:00 by default). */
export const RETENTION_TIME_OF_DAY = '03:30';

export interface RetentionMonthResult {
  /** "2026-04", in the statistics time zone. */
  month: string;
  archived: number;
  deleted: number;
  /** Archive file in the backup folder's `cdr-archives`, with a `.sha256` beside it. */
  file: string;
  sha256: string;
  bytes: number;
}

export interface PurgeResult {
  /** CDRs that started before this instant were archived and deleted. */
  cutoff: IsoTime;
  retentionMonths: number;
  timeZone: string;
  months: RetentionMonthResult[];
  archived: number;
  deleted: number;
  startedAt: IsoTime;
  finishedAt: IsoTime;
}

export interface CdrArchive {
  fileName: string;
  /** The month of calls it holds ("2026-04", statistics time zone), read from the file name. */
  month: string | null;
  bytes: number;
  /** sha-256 of the file, hex, from its `.sha256` file (null when that file is missing). */
  sha256: string | null;
  /** Name of the checksum file beside it, when there is one. */
  sha256File: string | null;
  createdAt: IsoTime;
  /** CDRs in it, as the run that wrote it counted them (null when its run is not in the operation log). */
  cdrs: number | null;
}

/** A retention run in progress: which month it is at and what it did so far. */
export interface RetentionProgress {
  startedAt: IsoTime;
  cutoff: IsoTime;
  /** The month being archived or deleted now. */
  month: string | null;
  phase: 'archiving' | 'deleting';
  monthsDone: number;
  monthsTotal: number;
  archived: number;
  deleted: number;
}

export interface CdrArchiveList {
  /** The archive folder: `cdr-archives` in the backup folder. */
  folder: string;
  archives: CdrArchive[];
  /** CDRs are kept this many whole months before the current month (setting retention.months). */
  retentionMonths: number;
  /** The statistics time zone: months and the daily run are reckoned in it. */
  timeZone: string;
  /** CDRs that started before this instant are archived and deleted by the next run. */
  cutoff: IsoTime;
  /** The job runs every day at this local time of `timeZone`. */
  timeOfDay: string;
  nextRunAt: IsoTime | null;
  lastRun: PurgeResult | null;
  running: RetentionProgress | null;
}

/**
 * An archive or its checksum, by its name in the archive folder listing (nothing else: no path, no other folder).
 * The handler also checks the name against the folder listing itself.
 */
export const archiveFileName = z
  .string()
  .trim()
  .max(200)
  .regex(
    /^cdrs-\d{4}-\d{2}-[0-9A-Za-z]+\.csv\.gz(\.sha256)?$/,
    'must be the file name of a CDR archive or its .sha256 in the archive folder, e.g. cdrs-2026-04-20261120T033000Z.csv.gz',
  );

export const retentionMethods = {
  'system.purge': method<PurgeResult>()({
    input: z.object({}),
    access: ADMIN,
    mutation: true,
    async: true,
    // The job writes its own operation-log row with the counts (also when it runs on schedule).
    noAudit: true,
    summary:
      'Run the retention job now: CDRs older than the retention period (whole months in the statistics time zone) are ' +
      'archived to a compressed CSV per month, read back and checked, then deleted in small batches. Ledger and ' +
      'statistics are kept. Also runs daily at 03:30 in the statistics time zone. Progress shows in system.archives.',
    returns: '{ cutoff, retentionMonths, timeZone, months: [{ month, archived, deleted, file, sha256, bytes }], archived, deleted, startedAt, finishedAt }',
  }),
  'system.archives': method<CdrArchiveList>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary:
      'CDR archives written by the retention job, newest first, with month, size, checksum and CDR count; the retention ' +
      'period, the cut-off, the next daily run, the last run and the one running now.',
    returns:
      '{ folder, archives: [{ fileName, month, bytes, sha256, sha256File, createdAt, cdrs }], retentionMonths, timeZone, ' +
      'cutoff, timeOfDay, nextRunAt, lastRun, running }',
  }),
  'system.archiveDownload': method<DownloadTicket>()({
    input: z.object({ fileName: archiveFileName }),
    // Auditors too: an archive is the evidence of what was billed once its CDRs are gone.
    access: READ,
    mutation: false,
    summary:
      'Download a CDR archive (gzip CSV) or its .sha256 file, by a name from system.archives (any other name is ' +
      'refused). Returns a download ticket; the file is streamed as it is on disk.',
    returns: 'DownloadTicket',
  }),
} as const;
