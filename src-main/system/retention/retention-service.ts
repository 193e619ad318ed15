/**
 * Retention (DESIGN §1, §12): CDRs older than the retention period (default 6 months, whole months in the statistics
 * time zone) are archived and then purged. Per month: write a compressed CSV archive of the CDRs, read it back and
 * check it holds exactly them, then delete exactly those CDRs in small batches with a pause between them, so ingestion
 * is never blocked for long. The ledger and the statistics rollups are kept: balances and past statistics stay right.
 * Every run is written to the operation log with its counts.
 */
import path from 'node:path';
import { RETENTION_TIME_OF_DAY, type CdrArchive, type CdrArchiveList, type PurgeResult, type RetentionMonthResult, type RetentionProgress } from '../../../src-shared/api/retention';
import { isoTime } from '../../../src-shared/api/common';
import { wallClock } from '../../exports/wall-clock';
import type { Sqlite } from '../../db/connection';
import type { EventBus } from '../../events';
import type { CdrWriter } from '../../ingest/writer/cdr-writer';
import type { Logger } from '../../log';
import type { SettingsService } from '../../settings/service';
import type { StatisticsService } from '../../statistics/service';
import { oldestCdrStart } from '../../cdrs/repository';
import { insertSystemOperation } from '../backup/backup-repository';
import type { BackupService } from '../backup/backup-service';
import { nextBackupAt, wallTimeToEpoch } from '../backup/schedule';
import { readArchiveBack, writeArchive } from './archive';
import { listArchives } from './archive-list';
import { cdrBatchDeleter, cdrColumnNames, cdrPageReader, cdrsBetweenCheck, lastPurgeSummary, purgedBefore } from './retention-repository';

/** CDRs per archive read: a read of 5,000 whole rows took 80-150 ms, a wait a writer would feel. */
const READ_CHUNK = 1000;
/**
 * CDRs per delete transaction: starts here and follows how long a batch took, so that one batch stays near
 * DELETE_BATCH_TARGET_MS whatever the disk and the indexes cost (each deleted CDR leaves a dozen index entries).
 */
const DELETE_BATCH_START = 500;
const DELETE_BATCH_MIN = 50;
const DELETE_BATCH_MAX = 5000;
const DELETE_BATCH_TARGET_MS = 50;
/** Pause between delete batches: writers waiting on the database get their turn. */
const DELETE_PAUSE_MS = 5;

interface MonthSpan {
  /** "2026-04" in the statistics zone. */
  month: string;
  from: number;
  to: number;
}

/** What the retention job uses. */
export interface RetentionDeps {
  db: Sqlite;
  /** The retention period and the statistics zone its months are reckoned in. */
  settings: SettingsService;
  /** The archive folder sits in the backup folder. */
  backups: Pick<BackupService, 'folder'>;
  /** Told where the purged past begins: the statistics check and the CDR store (late CDRs from before it). */
  statistics: Pick<StatisticsService, 'markCdrsPurgedBefore'>;
  /** Every writer of CDRs learns the purge horizon (the writer thread passes it on to the engine's store). */
  cdrWriter: Pick<CdrWriter, 'setRetentionHorizon'>;
  events: EventBus;
  log: Logger;
  now(): number;
}

export class RetentionService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PurgeResult> | null = null;
  lastRun: PurgeResult | null = null;
  /** The run in progress, for the archives page (it polls while a run goes). */
  progress: RetentionProgress | null = null;
  private nextRun: number | null = null;

  constructor(private readonly s: RetentionDeps) {}

  get archiveFolder(): string {
    return path.join(this.s.backups.folder, 'cdr-archives');
  }

  private get zone(): string {
    return this.s.settings.get('statistics').timeZone;
  }

  /** The first instant kept: the start of the month `months` months before the current month, in the statistics zone. */
  cutoff(now: number): number {
    const months = this.s.settings.get('retention').months;
    const w = wallClock(now, this.zone);
    const index = w.year * 12 + (w.month - 1) - months;
    return wallTimeToEpoch(Math.floor(index / 12), (index % 12) + 1, 1, 0, 0, this.zone);
  }

  /** The months that hold CDRs older than the cutoff, oldest first. */
  monthsToPurge(cutoff: number): MonthSpan[] {
    const oldest = oldestCdrStart(this.s.db);
    if (oldest === null || oldest >= cutoff) return [];
    const spans: MonthSpan[] = [];
    let w = wallClock(oldest, this.zone);
    for (;;) {
      const from = wallTimeToEpoch(w.year, w.month, 1, 0, 0, this.zone);
      const next = w.month === 12 ? { year: w.year + 1, month: 1 } : { year: w.year, month: w.month + 1 };
      const to = Math.min(wallTimeToEpoch(next.year, next.month, 1, 0, 0, this.zone), cutoff);
      spans.push({ month: `${w.year}-${String(w.month).padStart(2, '0')}`, from: spans.length ? from : Math.min(from, oldest), to });
      if (to >= cutoff) return spans;
      w = { ...w, year: next.year, month: next.month, day: 1 };
    }
  }

  /** Archives and purges what is older than the retention period. One run at a time. */
  purge(by: { username: string; accountId: number | null; address: string }): Promise<PurgeResult> {
    this.running ??= this.run(by).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(by: { username: string; accountId: number | null; address: string }): Promise<PurgeResult> {
    const started = this.s.now();
    const cutoff = this.cutoff(started);
    const retentionMonths = this.s.settings.get('retention').months;
    const months: RetentionMonthResult[] = [];
    const hasCdrs = cdrsBetweenCheck(this.s.db);
    let failure: unknown = null;
    try {
      // A month without CDRs (between a stray old call and the rest) gets no empty archive.
      const spans = this.monthsToPurge(cutoff).filter((span) => hasCdrs(span.from, span.to));
      const progress: RetentionProgress = {
        startedAt: isoTime(started),
        cutoff: isoTime(cutoff),
        month: spans[0]?.month ?? null,
        phase: 'archiving',
        monthsDone: 0,
        monthsTotal: spans.length,
        archived: 0,
        deleted: 0,
      };
      this.progress = progress;
      for (const span of spans) {
        Object.assign(progress, { month: span.month, phase: 'archiving' });
        const done = await this.purgeMonth(span, cutoff, progress);
        months.push(done);
        progress.monthsDone++;
      }
    } catch (err) {
      failure = err;
    } finally {
      this.progress = null;
    }
    const result: PurgeResult = {
      cutoff: isoTime(cutoff),
      retentionMonths,
      timeZone: this.zone,
      months,
      archived: months.reduce((n, m) => n + m.archived, 0),
      deleted: months.reduce((n, m) => n + m.deleted, 0),
      startedAt: isoTime(started),
      finishedAt: isoTime(this.s.now()),
    };
    // Written whether or not a month failed: months before the failure are already archived and deleted.
    const summary = failure ? { ...result, error: failure instanceof Error ? failure.message : String(failure) } : result;
    insertSystemOperation(this.s.db, {
      at: this.s.now(),
      accountId: by.accountId,
      username: by.username,
      method: 'system.purge',
      target: `cdrs:before:${result.cutoff}`,
      summary: JSON.stringify(summary),
      address: by.address,
    });
    if (result.deleted > 0) this.s.events.emit('data.changed', { domain: 'cdrs' });
    if (failure) throw failure;
    this.lastRun = result;
    return result;
  }

  private async purgeMonth(span: MonthSpan, cutoff: number, progress: RetentionProgress): Promise<RetentionMonthResult> {
    const stamp = new Date(this.s.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const file = path.join(this.archiveFolder, `cdrs-${span.month}-${stamp}.csv.gz`);
    const columns = cdrColumnNames(this.s.db);
    const ids: number[] = [];
    const page = cdrPageReader(this.s.db);
    const s = this.s;
    async function* chunks(): AsyncIterable<Record<string, unknown>[]> {
      let at = span.from;
      let id = -1;
      for (;;) {
        const rows = page(at, id, span.to, READ_CHUNK);
        if (rows.length === 0) return;
        for (const r of rows) ids.push(r.id as number);
        const last = rows[rows.length - 1]!;
        at = last.start_at as number;
        id = last.id as number;
        yield rows;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const written = await writeArchive(file, columns, chunks());
    progress.archived += written.rows;
    // The archive must hold exactly the CDRs about to be deleted, and be readable: else nothing is deleted.
    const back = await readArchiveBack(file);
    if (back.rows !== written.rows || back.sha256 !== written.sha256 || back.idsDigest !== written.idsDigest) {
      throw new Error(`the archive ${file} does not read back as written; nothing of ${span.month} was deleted`);
    }
    const deletedBefore = progress.deleted;
    const remove = cdrBatchDeleter(s.db);
    let deleted = 0;
    let size = DELETE_BATCH_START;
    progress.phase = 'deleting';
    for (let i = 0; i < ids.length; ) {
      const batch = ids.slice(i, i + size);
      const first = i === 0;
      const started = performance.now();
      deleted += s.db.transaction(() => {
        // The statistics check compares rollups with CDRs from the first whole day after the cut on.
        if (first) {
          s.statistics.markCdrsPurgedBefore(cutoff);
          s.cdrWriter.setRetentionHorizon(cutoff);
        }
        return remove(batch, cutoff);
      })();
      const took = performance.now() - started;
      i += batch.length;
      progress.deleted = deletedBefore + deleted;
      if (took > DELETE_BATCH_TARGET_MS) size = Math.max(DELETE_BATCH_MIN, Math.floor(size / 2));
      else if (took < DELETE_BATCH_TARGET_MS / 3) size = Math.min(DELETE_BATCH_MAX, size * 2);
      await new Promise((resolve) => setTimeout(resolve, DELETE_PAUSE_MS));
    }
    return { month: span.month, archived: written.rows, deleted, file: path.basename(file), sha256: written.sha256, bytes: written.bytes };
  }

  /** Archives in the archive folder, newest first, with the CDR count their run logged. */
  archives(): CdrArchive[] {
    return listArchives(this.archiveFolder, this.s.db);
  }

  /** `system.archives`: the archives and the job's rules, schedule, last run and progress. */
  status(): CdrArchiveList {
    const now = this.s.now();
    return {
      folder: this.archiveFolder,
      archives: this.archives(),
      retentionMonths: this.s.settings.get('retention').months,
      timeZone: this.zone,
      cutoff: isoTime(this.cutoff(now)),
      timeOfDay: RETENTION_TIME_OF_DAY,
      nextRunAt: this.nextRunAt,
      lastRun: this.lastRun ?? this.lastLoggedRun(),
      running: this.progress ? { ...this.progress } : null,
    };
  }

  /** The last successful run before this start of the engine, from its operation-log row (same shape as the result). */
  private lastLoggedRun(): PurgeResult | null {
    const summary = lastPurgeSummary(this.s.db);
    try {
      const run = summary ? (JSON.parse(summary) as PurgeResult & { error?: string }) : null;
      return run && !run.error && typeof run.finishedAt === 'string' ? run : null;
    } catch {
      return null;
    }
  }

  /** When the daily run comes next (null while the schedule is not started, as in a restore). */
  get nextRunAt(): string | null {
    // The armed timer's moment, in the zone of when it was armed (the day after, it follows the zone of then).
    return this.nextRun === null ? null : isoTime(this.nextRun);
  }

  /** Tells the CDR store where the purged past begins (late CDRs from before it become rejects). */
  applyHorizon(): void {
    this.s.cdrWriter.setRetentionHorizon(purgedBefore(this.s.db));
  }

  /** Runs the job every day at 03:30 in the statistics zone (after the nightly backup); timers never hold the process. */
  startSchedule(): void {
    this.applyHorizon();
    const schedule = () => {
      const now = this.s.now();
      // The backup schedule's daily slot: 03:30 local time also on the days the clocks change.
      const next = nextBackupAt({ schedule: 'daily', timeOfDay: RETENTION_TIME_OF_DAY, weekday: 1, timeZone: this.zone }, now)!;
      this.nextRun = next;
      this.timer = setTimeout(() => {
        void this.purge({ username: 'system', accountId: null, address: 'scheduler' })
          .catch((err: unknown) => this.s.log.error('Retention run failed', { error: err }))
          .finally(schedule);
      }, next - now);
      this.timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRun = null;
    await this.running?.catch(() => undefined);
  }
}
