import { z } from 'zod';
import { ADMIN, method, READ } from './contract';
import type { IsoTime } from './common';
import { keyed } from './messages';

export interface Ping {
  now: IsoTime;
  version: string;
}

/**
 * A text of system information for the clerk, Problem-style (see messages.ts): `key` in the renderer's `engine`
 * namespace (`system.cdrs.total`), `params` for its placeholders, `text` the English sentence (support, API docs).
 */
export interface SystemInfoText {
  key: string;
  params?: Record<string, string | number>;
  text: string;
}

/** One value of a system information section; `unit` tells the UI how to show it. */
export interface SystemInfoItem {
  key: string;
  /** The row's name: the UI shows `label.key` translated, never the English `label.text`. */
  label: SystemInfoText;
  value: string | number | boolean | null;
  /** A value that is a word (a state such as "running" or "yes"), to translate; `value` keeps the machine word. */
  valueText?: SystemInfoText;
  unit?: 'bytes' | 'count' | 'percent' | 'time' | 'seconds' | 'text';
  status?: 'ok' | 'warning' | 'error';
}

/** A block of system information contributed by a domain (CDR counts, listener status, ledger check...). */
export interface SystemInfoSection {
  title: SystemInfoText;
  status?: 'ok' | 'warning' | 'error';
  items: SystemInfoItem[];
}

/** A section whose provider failed: its name (as a title) and the English error (a technical detail). */
export interface SystemInfoSectionError {
  title: SystemInfoText;
  error: string;
}

export interface BackupFile {
  fileName: string;
  sizeBytes: number;
  createdAt: IsoTime;
  /** sha-256 of the file, hex, as written when it was made (also in `<fileName>.sha256`). */
  sha256: string | null;
  kind: 'manual' | 'scheduled' | 'unknown';
  /** Who asked for it ("(scheduled)" for the schedule). */
  createdBy?: string;
  /** Schema migrations the backup holds (a prefix of this version's list, or it cannot be restored here). */
  migrations?: string[];
}

export interface BackupProgress {
  fileName: string;
  kind: 'manual' | 'scheduled';
  startedAt: IsoTime;
  copiedPages: number;
  totalPages: number;
}

export interface BackupList {
  folder: string;
  backups: BackupFile[];
  running?: BackupProgress;
  schedule: { schedule: 'off' | 'daily' | 'weekly'; nextRunAt?: IsoTime; keep: number; timeZone: string };
  /** Last failure of a scheduled backup (cleared by the next success). */
  lastError?: { at: IsoTime; message: string };
}

export interface SystemInfo {
  software: {
    version: string;
    build: string;
    node: string;
    electron?: string;
    platform: string;
    startedAt: IsoTime;
    uptimeSeconds: number;
  };
  storage: {
    dataDir: string;
    databaseFile: string;
    /** billing.db + billing.db-wal + billing.db-shm. */
    databaseBytes: number;
    walBytes: number;
    diskFreeBytes: number;
    diskTotalBytes: number;
  };
  resources: {
    /** Share of one CPU core used by this process since the previous call (or since start), 0-100 per core. */
    processCpuPercent: number;
    processRssBytes: number;
    processHeapUsedBytes: number;
    /** Whole machine, all cores, since the previous call (or since start), 0-100. */
    machineCpuPercent: number;
    machineCpuCores: number;
    loadAverage: number[];
    machineMemoryTotalBytes: number;
    machineMemoryFreeBytes: number;
  };
  tables: { name: string; rows: number }[];
  /** Milliseconds spent counting table rows (exact COUNT(*)). */
  countedInMs: number;
  backup: { folder: string; last?: BackupFile; running?: BackupProgress; nextRunAt?: IsoTime };
  /** Sections other domains register (CDR counts, listener and poller status, ledger check...), by name. */
  sections: Record<string, SystemInfoSection | SystemInfoSectionError>;
}

export interface RestoreResult {
  /** The backup that will be in place after the restart. */
  restoring: string;
  /** Where the current database is kept: `billing.db.before-restore-<time>` in the data folder. */
  keptAs: string;
  /** The engine restarts right after this reply; every session ends (log in again). */
  restarting: true;
  warnings: string[];
}

const backupFileName = z
  .string()
  .trim()
  .regex(/^billing-[0-9A-Za-z_.-]+\.db$/, keyed('field.backupFileName', 'must be the file name of a backup in the backup folder, e.g. billing-20260302-091500.db'));

export const systemMethods = {
  'system.ping': method<Ping>()({
    input: z.object({}),
    access: 'session',
    mutation: false,
    summary: 'Cheapest authenticated call: server time and version (health checks, keep-alive).',
    returns: '{ now, version }',
  }),
  'system.info': method<SystemInfo>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary:
      'Version and build, data folder, database size, free disk, CPU and memory (process and machine), table row ' +
      'counts, last backup, and the sections other domains add (CDR counts, listener/poller status, ledger check).',
    returns: '{ software, storage, resources, tables[], countedInMs, backup, sections }',
  }),
  'system.backup': method<BackupFile>()({
    input: z.object({}),
    access: ADMIN,
    mutation: true,
    async: true,
    summary:
      'Back up the database now (SQLite online backup, consistent while CDRs keep arriving) to the backup folder as ' +
      'billing-<time>.db with a .sha256 file. Resolves when done; progress goes out as system.backup events.',
    returns: 'BackupFile',
  }),
  'system.backups': method<BackupList>()({
    input: z.object({}),
    access: ADMIN,
    mutation: false,
    summary: 'Backups in the backup folder, newest first, with size, time, checksum and kind; the running one; the schedule.',
    returns: '{ folder, backups: BackupFile[], running?, schedule: { schedule, nextRunAt?, keep, timeZone }, lastError? }',
  }),
  'system.restore': method<RestoreResult>()({
    input: z.object({
      fileName: backupFileName,
      /** The same file name typed again. */
      confirmFileName: z.string().trim().max(200),
      reason: z.string().trim().min(3, keyed('field.sayWhyMin', 'say why (at least 3 characters)')).max(500),
    }),
    access: ADMIN,
    mutation: true,
    async: true,
    summary:
      'Replace the database with a backup: checks the file (checksum, integrity_check, migrations), keeps the current ' +
      'database as billing.db.before-restore-<time>, then restarts the engine on the backup. Every session ends.',
    returns: '{ restoring, keptAs, restarting: true, warnings[] }',
  }),
} as const;
