/**
 * The engine's side of the CDR writer thread (writer-thread.ts): sends each batch there and answers its transport
 * once it is committed; re-announces the thread's events and writes its log lines; keeps the thread's rating data and
 * purge horizon in step with the engine's. If the thread stops (a crash), the batches it had are answered with an
 * error — nothing of an uncommitted batch was stored, so its transport keeps it (a TCP device sends it again, an SFTP
 * read resumes from its saved position) — and the next batch starts a new thread. A thread that cannot start at all
 * (its script or the database driver cannot be loaded there) stored nothing: the engine then stores on its own thread
 * (`fallback`) and says why in the log.
 */
import { Worker } from 'node:worker_threads';
import type { EventBus } from '../../events';
import type { Logger } from '../../log';
import type { RatingChange } from '../../rating/rating-service';
import type { IngestStatus } from '../status';
import { recordStatus, RequestWriter, type InlineCdrWriter } from './cdr-writer';
import type { FromWriter, ToWriter, WriterThreadData } from './protocol';
import type { StoreOutcome, StoreRequest } from './store-requests';

export interface WorkerCdrWriterDeps {
  /** The bundled writer-thread.ts (dist/main/cdr-writer.cjs). */
  script: string;
  dbFile: string;
  dataDir: string;
  ingestStatus: IngestStatus;
  events: EventBus;
  log: Logger;
  now(): number;
  /**
   * The engine's own thread: where batches go when the thread cannot start, and whose store (rejects read again are
   * stored there) follows the purge horizon too.
   */
  fallback: InlineCdrWriter;
}

interface Waiting {
  requests: StoreRequest[];
  group: boolean;
  resolve(outcomes: StoreOutcome[]): void;
  reject(error: Error): void;
}

export class WorkerCdrWriter extends RequestWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly acks = new Map<number, () => void>();
  private horizon: number | null | undefined;
  private chargingReady = false;
  private closing: Promise<void> | null = null;
  /** Whether a thread has ever started: until one has, a thread that dies is one that cannot run here. */
  private started = false;
  private useFallback = false;

  constructor(private readonly deps: WorkerCdrWriterDeps) {
    super(() => deps.now());
  }

  /** Starts the thread now rather than at the first batch. */
  override start(): void {
    this.thread();
  }

  /** A change of the engine's rating configuration: the thread drops the same rating data. */
  override ratingChanged(change: RatingChange): void {
    this.worker?.postMessage({ type: 'ratingChanged', change } satisfies ToWriter);
  }

  /** The engine's rating data has loaded: the thread charges from its next batch; resolves once it knows. */
  override startCharging(): Promise<void> {
    this.chargingReady = true;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.thread().postMessage({ type: 'chargingReady', id } satisfies ToWriter);
    });
  }

  setRetentionHorizon(startedBefore: number | null): void {
    this.horizon = startedBefore;
    this.deps.fallback.setRetentionHorizon(startedBefore);
    this.worker?.postMessage({ type: 'horizon', startedBefore } satisfies ToWriter);
  }

  override close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      const worker = this.worker;
      if (!worker) return resolve();
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies ToWriter);
    });
    return this.closing;
  }

  run(requests: StoreRequest[], group: boolean): Promise<StoreOutcome[]> | StoreOutcome[] {
    if (this.useFallback) return this.deps.fallback.run(requests, group);
    if (this.closing) return Promise.reject(new Error('the CDR writer is stopping'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { requests, group, resolve, reject });
      this.thread().postMessage({ type: 'store', id, requests, group } satisfies ToWriter);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const data: WriterThreadData = { dbFile: this.deps.dbFile, dataDir: this.deps.dataDir };
    const worker = new Worker(this.deps.script, { workerData: data });
    worker.on('message', (message: FromWriter) => this.received(message));
    worker.on('error', (error) => this.deps.log.error('The CDR writer thread failed', { error }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.started && !this.closing) return this.cannotStart(code);
      const stopped = new Error(`the CDR writer thread stopped (exit code ${code}) before the batch was committed`);
      for (const w of this.waiting.values()) w.reject(stopped);
      this.waiting.clear();
      for (const ack of this.acks.values()) ack();
      this.acks.clear();
    });
    this.worker = worker;
    // A new thread (the first, or one after a crash) learns what the engine told the one before.
    if (this.horizon !== undefined) worker.postMessage({ type: 'horizon', startedBefore: this.horizon } satisfies ToWriter);
    if (this.chargingReady) worker.postMessage({ type: 'chargingReady', id: 0 } satisfies ToWriter);
    return worker;
  }

  /**
   * The first thread died before it was ready: it handled no batch, so every batch sent to it is stored again on the
   * engine's thread, and so is every later one.
   */
  private cannotStart(code: number): void {
    this.deps.log.error('The CDR writer thread cannot run here: batches are stored on the engine thread', { exitCode: code, script: this.deps.script });
    this.useFallback = true;
    for (const w of this.waiting.values()) w.resolve(this.deps.fallback.run(w.requests, w.group));
    this.waiting.clear();
    for (const ack of this.acks.values()) ack();
    this.acks.clear();
  }

  private received(message: FromWriter): void {
    switch (message.type) {
      case 'ready':
        this.started = true;
        break;
      case 'stored': {
        const w = this.waiting.get(message.id);
        if (!w) return;
        this.waiting.delete(message.id);
        message.outcomes.forEach((o, i) => o.ok && recordStatus(this.deps.ingestStatus, w.requests[i]!, o.result));
        w.resolve(message.outcomes);
        break;
      }
      case 'done':
        this.acks.get(message.id)?.();
        this.acks.delete(message.id);
        break;
      case 'event':
        this.deps.events.emit(message.message.event, message.message.data as never, message.audience);
        break;
      case 'log':
        this.deps.log[message.level](message.msg, message.fields);
        break;
    }
  }
}
