/**
 * The SFTP poller of one device: its own loop, so a slow or stuck server never delays another device. Each poll
 * connects, lists the folder, reads the files that need it (see sftp-file-plan.ts) once their size has settled
 * across two listings, stores their records with their progress, runs the after-fetch action after the commit, and
 * disconnects. Errors are reported and retried with exponential backoff, capped.
 */
import type { SftpPollerStatus, SftpPollSummary, SftpWaitingFile } from '../../src-shared/api/devices';
import { isoTime } from '../../src-shared/api/common';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import { cdrAdapters, isCdrFileInProgress } from './adapters/registry';
import type { IngestStatus } from './status';
import type { CdrWriter } from './writer/cdr-writer';
import { runAfterFetch, type AfterFetchSettings } from './sftp-after-fetch';
import { fileNameMatcher } from './sftp-file-pattern';
import { needsStableSize, planFile, type FilePlan } from './sftp-file-plan';
import { addCounts, completeOnceNamed, emptyCounts, readPolledFile, UnreadableFileError, type PolledDevice } from './sftp-file-reader';
import type { SftpFileProgress } from './sftp-repository';
import { DEFAULT_SFTP_TIMEOUTS, SftpProblem, SftpSession, type RemoteFile, type SftpEndpoint, type SftpTimeouts } from './sftp-session';

export interface SftpPollerOptions {
  timeouts: SftpTimeouts;
  /** First wait after a failed poll; doubled after each further failure, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Wait between the two listings that show a new or changed file has stopped growing. */
  settleMs: number;
  /** How long a file must stay unchanged before a last line without newline is read as complete. */
  finalLineQuietMs: number;
  /** Lines per stored batch (default: the parser's). */
  batchLines?: number;
}

export const DEFAULT_SFTP_POLLER_OPTIONS: SftpPollerOptions = {
  timeouts: DEFAULT_SFTP_TIMEOUTS,
  retryBaseMs: 5_000,
  retryMaxMs: 15 * 60_000,
  settleMs: 2_000,
  finalLineQuietMs: 10 * 60_000,
};

export interface SftpPollerDeps {
  db: Sqlite;
  writer: CdrWriter;
  progress: SftpFileProgress;
  status: IngestStatus;
  log: Logger;
  now(): number;
}

export interface DevicePollSettings extends AfterFetchSettings {
  device: PolledDevice & { name: string };
  endpoint: SftpEndpoint;
  folder: string;
  pattern: string;
  intervalMs: number;
}

/** The wait before the next poll after `failures` failures in a row (0: the device's interval). */
export function retryDelay(failures: number, intervalMs: number, o: Pick<SftpPollerOptions, 'retryBaseMs' | 'retryMaxMs'>): number {
  if (failures <= 0) return intervalMs;
  return Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** Math.min(failures - 1, 30));
}

const sameListing = (a: RemoteFile | undefined, b: RemoteFile) => a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;

export class SftpDevicePoller {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private session: SftpSession | null = null;
  private wake: (() => void) | null = null;
  private nextPollWaiters: ((summary: SftpPollSummary) => void)[] = [];
  /** The last listing, by path: a file whose size and time are the same in the next listing has settled. */
  private lastListing = new Map<string, RemoteFile>();
  private readonly abort = new AbortController();
  private readonly matches: (name: string) => boolean;
  private readonly status: SftpPollerStatus = {
    state: 'idle',
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: null,
    consecutiveFailures: 0,
    lastError: null,
    waiting: [],
  };

  constructor(
    private readonly deps: SftpPollerDeps,
    readonly settings: DevicePollSettings,
    private readonly options: SftpPollerOptions = DEFAULT_SFTP_POLLER_OPTIONS,
    /** Called with the server's host key fingerprint when the device has none stored yet (to store it). */
    private readonly hostKeySeen: (fingerprint: string) => void = () => undefined,
  ) {
    this.matches = fileNameMatcher(settings.pattern);
  }

  get deviceId(): number {
    return this.settings.device.id;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Polls at once (or right after the poll under way) and resolves with that poll's summary. */
  pollNow(): Promise<SftpPollSummary> {
    return new Promise((resolve) => {
      this.nextPollWaiters.push(resolve);
      this.start();
      this.wake?.();
    });
  }

  /** Ends the loop: the file being read stops after the batch being stored; the connection is closed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.session?.abort();
    this.wake?.();
    await this.loop;
    this.status.state = 'stopped';
    this.status.nextPollAt = null;
  }

  snapshot(): SftpPollerStatus {
    return { ...this.status, waiting: [...this.status.waiting] };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const waiters = this.nextPollWaiters.splice(0);
      const summary = await this.poll();
      for (const resolve of waiters) resolve(summary);
      if (this.stopping) break;
      if (this.nextPollWaiters.length > 0) continue;
      const delay = retryDelay(this.status.consecutiveFailures, this.settings.intervalMs, this.options);
      this.status.nextPollAt = isoTime(this.deps.now() + delay);
      await this.sleep(delay);
    }
    const stopped: SftpPollSummary = { ...this.emptySummary(), ok: false, error: 'the poller was stopped' };
    for (const resolve of this.nextPollWaiters.splice(0)) resolve(stopped);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private emptySummary(): SftpPollSummary {
    return { at: isoTime(this.deps.now()), ok: true, listed: 0, read: [], waiting: [], actions: [], counts: emptyCounts() };
  }

  private async poll(): Promise<SftpPollSummary> {
    const { deps, settings } = this;
    const deviceId = this.deviceId;
    const summary = this.emptySummary();
    const where = `sftp://${settings.endpoint.host}:${settings.endpoint.port}`;
    this.status.state = 'polling';
    this.status.nextPollAt = null;
    let connected = false;
    try {
      const session = await SftpSession.open(settings.endpoint, this.options.timeouts);
      this.session = session;
      if (this.stopping) session.abort();
      deps.status.connectionOpened(deviceId, where);
      connected = true;
      if (!settings.endpoint.hostKey) {
        // First connection: from now on only this server is trusted with the password.
        settings.endpoint.hostKey = session.hostKey;
        this.hostKeySeen(session.hostKey);
      }
      await this.pollFolder(session, summary);
      this.status.consecutiveFailures = 0;
      this.status.lastError = null;
      this.status.lastSuccessAt = summary.at;
      this.status.state = 'idle';
    } catch (error) {
      summary.ok = false;
      summary.error = error instanceof Error ? error.message : String(error);
      if (!this.stopping) {
        this.status.consecutiveFailures++;
        this.status.lastError = summary.error;
        this.status.state = 'retrying';
        deps.log.warn('SFTP poll failed', { deviceId, device: settings.device.name, error: summary.error, failures: this.status.consecutiveFailures });
      }
    } finally {
      await this.session?.close();
      this.session = null;
      if (connected) deps.status.connectionClosed(deviceId, where);
    }
    this.status.lastPollAt = summary.at;
    this.status.waiting = summary.waiting;
    if (!this.stopping) {
      deps.status.pollFinished(deviceId, {
        at: deps.now(),
        ok: summary.ok,
        files: summary.read.length,
        ...(summary.error ? { error: `${where}: ${summary.error}` } : {}),
      });
    }
    return summary;
  }

  private async listMatching(session: SftpSession): Promise<RemoteFile[]> {
    const { files } = await session.list(this.settings.folder);
    return files.filter((f) => this.matches(f.name));
  }

  private async pollFolder(session: SftpSession, summary: SftpPollSummary): Promise<void> {
    const { deps, settings } = this;
    const device = settings.device;
    let listing = await this.listMatching(session);
    summary.listed = listing.length;
    const stored = deps.progress.forDevice(device.id);
    const planSettings = {
      wholeFile: cdrAdapters[device.format].framing === 'document',
      completeOnceNamed: completeOnceNamed(device.format),
      afterFetch: settings.afterFetch,
      finalLineQuietMs: this.options.finalLineQuietMs,
      now: deps.now(),
      inProgressName: (name: string) => isCdrFileInProgress(device.format, name),
    };
    let plans = listing.map((file) => ({ file, plan: planFile(file, stored.get(file.path), planSettings) }));

    // A document, a last line read as complete, or a file deleted or moved once read must show the same size and time
    // in two listings: the previous poll's, or one taken now.
    const unsettled = plans.filter(({ file, plan }) => needsStableSize(plan, planSettings) && !sameListing(this.lastListing.get(file.path), file));
    if (unsettled.length > 0) {
      await this.sleepUnlessStopping(this.options.settleMs);
      const again = new Map((await this.listMatching(session)).map((f) => [f.path, f]));
      // Gone since the first listing: nothing to do with it. Changed since: still being written.
      plans = plans
        .filter((p) => again.has(p.file.path))
        .map((p) => (needsStableSize(p.plan, planSettings) && !sameListing(again.get(p.file.path), p.file) ? { ...p, plan: { kind: 'leave', why: 'growing' } as FilePlan } : p));
      listing = [...again.values()];
    }
    this.lastListing = new Map(listing.map((f) => [f.path, f]));

    // Oldest first, so that records arrive in the order they were written.
    plans.sort((a, b) => a.file.mtimeMs - b.file.mtimeMs || a.file.name.localeCompare(b.file.name));
    for (const { file, plan } of plans) {
      if (this.stopping) return;
      const waiting = waitingReason(plan);
      if (waiting) summary.waiting.push({ path: file.path, reason: waiting });
      if (plan.kind === 'read') {
        let result: Awaited<ReturnType<typeof readPolledFile>>;
        try {
          result = await readPolledFile(
            { session, db: deps.db, writer: deps.writer, progress: deps.progress, signal: this.abort.signal, ...(this.options.batchLines ? { batchLines: this.options.batchLines } : {}) },
            device,
            file,
            stored.get(file.path) ?? null,
            plan,
          );
        } catch (error) {
          // A file the reader refuses is reported; the other files are read all the same.
          if (!(error instanceof UnreadableFileError)) throw error;
          const message = `${file.path}: ${error.message}`;
          deps.status.error(device.id, message, deps.now());
          summary.ok = false;
          summary.error = summary.error ? `${summary.error}; ${message}` : message;
          continue;
        }
        if (result.outcome === 'read') summary.read.push(file.path);
        addCounts(summary.counts, result.counts);
        if (result.interrupted) return;
        if (result.progress?.status === 'growing') summary.waiting.push({ path: file.path, reason: 'last-line' });
        if (result.progress?.status === 'done' || result.outcome === 'same-content') {
          await this.afterFetch(session, file, summary);
        }
      } else if (plan.kind === 'after-fetch') {
        await this.afterFetch(session, file, summary);
      }
    }
  }

  private async afterFetch(session: SftpSession, file: RemoteFile, summary: SftpPollSummary): Promise<void> {
    const { deps, settings } = this;
    if (settings.afterFetch === 'keep') return;
    const progress = deps.progress.get(settings.device.id, file.path);
    if (!progress) return;
    try {
      const outcome = await runAfterFetch(session, settings, file, progress, deps.now());
      if (outcome.done === 'left') {
        summary.actions.push({ path: file.path, outcome: 'left', detail: outcome.reason });
        return;
      }
      deps.progress.setOutcome(settings.device.id, file.path, { status: outcome.done });
      summary.actions.push({ path: file.path, outcome: outcome.done, ...(outcome.done === 'moved' ? { detail: outcome.to } : {}) });
    } catch (error) {
      // A dead connection fails the poll (and is retried with backoff); a refused action is reported per file.
      if (error instanceof SftpProblem && error.kind === 'timeout') throw error;
      const message = error instanceof Error ? error.message : String(error);
      deps.progress.setOutcome(settings.device.id, file.path, { error: message });
      deps.status.error(settings.device.id, `${settings.afterFetch} after fetch failed: ${message}`, deps.now());
      summary.actions.push({ path: file.path, outcome: 'failed', detail: message });
    }
  }

  private async sleepUnlessStopping(ms: number): Promise<void> {
    if (this.stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

function waitingReason(plan: FilePlan): SftpWaitingFile['reason'] | null {
  if (plan.kind !== 'leave') return null;
  if (plan.why === 'growing') return 'growing';
  if (plan.why === 'in-progress-name') return 'in-progress-name';
  if (plan.why === 'last-line-waits') return 'last-line';
  return null;
}
