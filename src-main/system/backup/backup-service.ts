import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { isoTime } from '../../../src-shared/api/common';
import { ApiError } from '../../../src-shared/api/errors';
import type { BackupFile, BackupList, BackupProgress } from '../../../src-shared/api/system';
import type { Sqlite } from '../../db/connection';
import type { EventBus } from '../../events';
import type { Logger } from '../../log';
import type { SettingsService } from '../../settings/service';
import {
  backupFolderOf,
  deleteBackup,
  ensureKeyInBackupFolder,
  listBackups,
  newBackupFileName,
  PARTIAL_SUFFIX,
  removePartialBackups,
  sha256OfFile,
  writeSidecars,
  type BackupManifest,
} from './backup-files';
import { appliedMigrationIds, insertSystemOperation } from './backup-repository';
import { nextBackupAt, previousBackupAt } from './schedule';

export interface BackupServiceDeps {
  db: Sqlite;
  dataDir: string;
  settings: SettingsService;
  events: EventBus;
  log: Logger;
  now(): number;
  version: string;
  /**
   * Pages copied per step of the online backup. Between steps the event loop runs, so writers on this connection
   * wait at most one step (bench/backup.bench.ts measures the pause and the throughput drop).
   */
  pagesPerStep?: number;
  /** Bytes copied between two background flushes of the copy (see FLUSH_EVERY_BYTES). */
  flushEveryBytes?: number;
}

export const DEFAULT_PAGES_PER_STEP = 64;
/**
 * Copied bytes after which the copy is flushed to disk in the background (fdatasync on libuv's thread pool). Without
 * it the backup's last step, which commits the copy, fsyncs the whole file on the main thread: 170 ms for 270 MB,
 * seconds for a database of millions of CDRs, during which nothing else runs.
 */
export const FLUSH_EVERY_BYTES = 8 * 1024 * 1024;
/** A backup missed while the computer was off runs this long after the next start. */
export const CATCH_UP_DELAY_MS = 5 * 60_000;
const PROGRESS_EVENT_MS = 500;
const MAX_TIMER_MS = 2 ** 31 - 1;

class BackupAborted extends Error {
  constructor() {
    super('the engine is stopping');
  }
}

/**
 * Backups of the engine's database with SQLite's online backup API on the engine's own connection: writes made
 * through that connection during the copy are carried into the backup, so the file is one consistent state.
 * Scheduled backups run on a timer (unref'd, stopped with the engine) and keep the newest `keep` scheduled files.
 */
export class BackupService {
  private running?: { progress: BackupProgress; promise: Promise<BackupFile> };
  private aborting = false;
  private blockedReason?: string;
  private timer?: NodeJS.Timeout;
  private nextRunAt?: number;
  private lastError?: { at: number; message: string };
  private unsubscribe?: () => void;

  constructor(private readonly deps: BackupServiceDeps) {}

  get folder(): string {
    return backupFolderOf(this.deps.settings.get('backup'), this.deps.dataDir);
  }

  get progress(): BackupProgress | undefined {
    return this.running?.progress;
  }

  get nextScheduledAt(): number | undefined {
    return this.nextRunAt;
  }

  list(): BackupList {
    const s = this.deps.settings.get('backup');
    return {
      folder: this.folder,
      backups: listBackups(this.folder),
      ...(this.running ? { running: { ...this.running.progress } } : {}),
      schedule: {
        schedule: s.schedule,
        ...(this.nextRunAt !== undefined ? { nextRunAt: isoTime(this.nextRunAt) } : {}),
        keep: s.keep,
        timeZone: s.timeZone,
      },
      ...(this.lastError ? { lastError: { at: isoTime(this.lastError.at), message: this.lastError.message } } : {}),
    };
  }

  /** Refuses new backups (while a restore swaps the database); returns the function that lifts the block. */
  block(reason: string): () => void {
    if (this.running) throw ApiError.keyed('conflict', 'api.backupRunning', `A backup is running (${this.running.progress.fileName}); wait until it ends.`);
    this.blockedReason = reason;
    return () => {
      this.blockedReason = undefined;
    };
  }

  backup(kind: 'manual' | 'scheduled', createdBy: string): Promise<BackupFile> {
    if (this.running) {
      const p = this.running.progress;
      throw ApiError.keyed('conflict', 'api.backupRunning', `A backup is already running (${p.fileName}, ${p.copiedPages} of ${p.totalPages} pages).`);
    }
    if (this.blockedReason) throw ApiError.keyed('conflict', 'api.backupsPaused', `Backups are paused: ${this.blockedReason}.`);
    if (this.aborting) throw ApiError.keyed('unavailable', 'api.stopping', 'The engine is stopping.');
    const folder = this.folder;
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (err) {
      throw ApiError.keyed('unavailable', 'api.backupFolder', `The backup folder ${folder} cannot be created (${(err as NodeJS.ErrnoException).code}).`, { folder });
    }
    this.checkFreeSpace(folder);
    const fileName = newBackupFileName(folder, this.deps.now());
    const progress: BackupProgress = { fileName, kind, startedAt: isoTime(this.deps.now()), copiedPages: 0, totalPages: 0 };
    const promise = this.copy(folder, progress, createdBy).finally(() => {
      this.running = undefined;
    });
    this.running = { progress, promise };
    return promise;
  }

  private checkFreeSpace(folder: string): void {
    const { db } = this.deps;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const used = ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
    const stat = fs.statfsSync(folder);
    const free = stat.bavail * stat.bsize;
    if (free < used * 1.1 + 16 * 1024 * 1024) {
      const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
      throw ApiError.keyed('unavailable', 'api.backupSpace', `Not enough free space in ${folder}: the backup needs about ${mb(used)}, ${mb(free)} are free.`, { folder, needed: mb(used), free: mb(free) });
    }
  }

  private async copy(folder: string, progress: BackupProgress, createdBy: string): Promise<BackupFile> {
    const { db, events, log } = this.deps;
    const final = path.join(folder, progress.fileName);
    const partial = final + PARTIAL_SUFFIX;
    const pagesPerStep = this.deps.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;
    const audience = { roles: ['admin'] as const };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const flusher = new BackgroundFlusher(partial, Math.max(1, Math.floor((this.deps.flushEveryBytes ?? FLUSH_EVERY_BYTES) / pageSize)));
    let lastEvent = -Infinity;
    try {
      await db.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          if (this.aborting) throw new BackupAborted();
          progress.totalPages = totalPages;
          progress.copiedPages = totalPages - remainingPages;
          flusher.copied(progress.copiedPages);
          const t = performance.now();
          if (t - lastEvent >= PROGRESS_EVENT_MS) {
            lastEvent = t;
            events.emit('system.backup', { state: 'running', fileName: progress.fileName, kind: progress.kind, copiedPages: progress.copiedPages, totalPages }, audience);
          }
          return pagesPerStep;
        },
      });
      progress.copiedPages = progress.totalPages;
      await flusher.close();
      // A backup is one self-contained file: rollback journal instead of WAL (restore turns WAL back on).
      const copy = new Database(partial);
      let migrations: string[];
      try {
        copy.pragma('journal_mode = DELETE');
        migrations = appliedMigrationIds(copy);
      } finally {
        copy.close();
      }
      const sizeBytes = fs.statSync(partial).size;
      const sha256 = await sha256OfFile(partial);
      const manifest: BackupManifest = {
        format: 1,
        fileName: progress.fileName,
        kind: progress.kind,
        createdAt: progress.startedAt,
        createdBy,
        sizeBytes,
        sha256,
        migrations,
        engineVersion: this.deps.version,
        secretKeyFingerprint: ensureKeyInBackupFolder(folder, this.deps.dataDir) ?? '',
      };
      writeSidecars(folder, manifest);
      fs.renameSync(partial, final);
      events.emit('system.backup', { state: 'done', fileName: progress.fileName, kind: progress.kind }, audience);
      log.info('Backup written', { file: final, sizeBytes, kind: progress.kind });
      return { fileName: progress.fileName, sizeBytes, createdAt: progress.startedAt, sha256, kind: progress.kind, createdBy, migrations };
    } catch (err) {
      await flusher.close();
      fs.rmSync(partial, { force: true });
      for (const suffix of ['-journal', '-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
      const message = err instanceof BackupAborted ? 'stopped because the engine is stopping' : (err as Error).message;
      events.emit('system.backup', { state: 'failed', fileName: progress.fileName, kind: progress.kind, message }, audience);
      log.error('Backup failed', { file: final, error: err });
      if (err instanceof ApiError) throw err;
      throw ApiError.keyed('unavailable', 'api.backupFailed', `The backup to ${folder} failed: ${message}.`, { folder });
    }
  }

  /** Arms the schedule (with a catch-up run when the last slot was missed) and follows changes of the backup settings. */
  startSchedule(): void {
    removePartialBackups(this.folder);
    this.arm(true);
    this.unsubscribe = this.deps.settings.onChange((section) => {
      if (section === 'backup') this.arm(false);
    });
  }

  private arm(atStart: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRunAt = undefined;
    if (this.aborting) return;
    const schedule = this.deps.settings.get('backup');
    const now = this.deps.now();
    let due = nextBackupAt(schedule, now);
    if (due === null) return;
    if (atStart) {
      const missed = previousBackupAt(schedule, now);
      const last = listBackups(this.folder)[0];
      if (missed !== null && (!last || Date.parse(last.createdAt) < missed)) due = Math.min(due, now + CATCH_UP_DELAY_MS);
    }
    this.nextRunAt = due;
    this.timer = setTimeout(() => void this.runScheduled(due), Math.min(Math.max(0, due - now), MAX_TIMER_MS));
    this.timer.unref();
  }

  private async runScheduled(due: number): Promise<void> {
    if (this.deps.now() < due - 1000) return this.arm(false); // a timer clamped to MAX_TIMER_MS
    try {
      const file = await this.backup('scheduled', '(scheduled)');
      const deleted = this.pruneScheduled();
      this.lastError = undefined;
      this.recordOperation(file.fileName, { sizeBytes: file.sizeBytes, sha256: file.sha256, deleted });
    } catch (err) {
      if (this.aborting) return;
      const message = err instanceof Error ? err.message : String(err);
      this.lastError = { at: this.deps.now(), message };
      this.recordOperation(null, { failed: message });
    } finally {
      this.arm(false);
    }
  }

  /** Deletes the oldest scheduled backups beyond the keep count; manual backups stay until someone deletes them. */
  private pruneScheduled(): string[] {
    const { keep } = this.deps.settings.get('backup');
    const scheduled = listBackups(this.folder).filter((b) => b.kind === 'scheduled');
    const old = scheduled.slice(keep).map((b) => b.fileName);
    for (const name of old) deleteBackup(this.folder, name);
    return old;
  }

  private recordOperation(fileName: string | null, summary: Record<string, unknown>): void {
    try {
      insertSystemOperation(this.deps.db, {
        at: this.deps.now(),
        accountId: null,
        username: '(scheduled)',
        method: 'system.backup',
        target: fileName ? `backup:${fileName}` : null,
        summary: JSON.stringify(summary),
        address: 'engine',
      });
    } catch (err) {
      this.deps.log.error('Cannot record the scheduled backup in the operation log', { error: err });
    }
  }

  /** Stops the schedule; a backup in progress is abandoned (its partial file removed). */
  async stop(): Promise<void> {
    this.aborting = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    await this.running?.promise.catch(() => undefined);
  }
}

/** Flushes the file being written to disk now and then, off the main thread (see FLUSH_EVERY_BYTES). */
class BackgroundFlusher {
  private fd?: number;
  private inFlight?: Promise<void>;
  private flushedAt = 0;

  constructor(
    private readonly file: string,
    private readonly everyPages: number,
  ) {}

  copied(pages: number): void {
    if (this.inFlight || pages - this.flushedAt < this.everyPages) return;
    this.flushedAt = pages;
    try {
      this.fd ??= fs.openSync(this.file, 'r+');
    } catch {
      return; // not created yet: the next step will do
    }
    const fd = this.fd;
    this.inFlight = new Promise<void>((resolve) => fs.fdatasync(fd, () => resolve())).finally(() => {
      this.inFlight = undefined;
    });
  }

  async close(): Promise<void> {
    await this.inFlight;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
