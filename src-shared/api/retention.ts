import { z } from 'zod';
import { ADMIN, method, READ } from './contract';
import type { IsoTime } from './common';

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
  bytes: number;
  sha256: string | null;
  createdAt: IsoTime;
}

export const retentionMethods = {
  'system.purge': method<PurgeResult>()({
    input: z.object({}),
    access: ADMIN,
    mutation: true,
    async: true,
    // The job writes its own operation-log row with the counts (also when it runs on schedule).
    noAudit: true,
    summary:
      'Run the retention job now: CDRs older than the retention period (whole months) are archived to a compressed CSV ' +
      'per month, checked, then deleted in small batches. Ledger and statistics are kept. Also runs daily at 03:30.',
    returns: '{ cutoff, retentionMonths, timeZone, months: [{ month, archived, deleted, file, sha256, bytes }], archived, deleted, startedAt, finishedAt }',
  }),
  'system.archives': method<CdrArchive[]>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'CDR archives written by the retention job, newest first, with size and checksum.',
    returns: 'CdrArchive[]',
  }),
} as const;
