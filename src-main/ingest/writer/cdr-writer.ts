/**
 * The CDR writer as the transports use it: every received batch is stored (rated, charged, counted) through it, and
 * answered once committed. The engine runs it in a worker thread with its own connection (writer-thread.ts), so that
 * parsing and rating large batches and waiting for their durable commits never hold up the thread that serves the
 * clerks' HTTP and IPC calls. Tests and tools without the bundled worker script store on the calling thread
 * (InlineCdrWriter): the same StoreRequests, the same CdrStore and charging.
 */
import type { CdrParseResult } from '../../../src-shared/domain/cdr';
import type { Sqlite } from '../../db/connection';
import type { SftpFileProgress } from '../sftp-repository';
import type { IngestStatus } from '../status';
import type { CdrStore, IngestSource, StoreBatchResult, StoreOptions } from '../store';
import type { RatingChange } from '../../rating/rating-service';
import { StoreRequests, type FileProgressSave, type StoreOutcome, type StoreRequest } from './store-requests';

export type { FileProgressSave, StoreOutcome, StoreRequest };

/** A batch a transport received, and where from. */
export interface ReceivedBatch {
  deviceId: number;
  source: IngestSource;
  batch: CdrParseResult;
}

export interface CdrWriter {
  /** Stores one batch in its own transaction; rejects (and nothing of it is stored) when it cannot be. */
  storeBatch(deviceId: number, source: IngestSource, batch: CdrParseResult, options?: StoreOptions): Promise<StoreBatchResult>;
  /** Stores a batch read from an SFTP file together with where the read of that file stands. */
  storeFileBatch(received: ReceivedBatch, progress: FileProgressSave): Promise<StoreBatchResult>;
  /** Group commit: the batches in one transaction (each alone if that fails); one outcome per batch. */
  storeMany(batches: ReceivedBatch[]): Promise<StoreOutcome[]>;
  /** CDRs that started before this instant were purged: they are kept as rejects (see CdrStore). */
  setRetentionHorizon(startedBefore: number | null): void;
  /** Gets ready to take batches (a writer thread starts). */
  start(): void;
  /** A change of the engine's rating configuration, for a writer that rates with rating data of its own. */
  ratingChanged(change: RatingChange): void;
  /** The engine's rating data has loaded: charge what is stored from now on; resolves once the writer knows. */
  startCharging(): Promise<void>;
  /** Stops taking batches once those sent are stored. */
  close(): Promise<void>;
}

export function outcomeResult(outcome: StoreOutcome): StoreBatchResult {
  if (outcome.ok) return outcome.result;
  throw outcome.error;
}

/**
 * What every writer does with the transports' calls: each becomes store requests stamped with the receiving side's
 * clock, run where the writer runs them (`run`).
 */
export abstract class RequestWriter implements CdrWriter {
  constructor(private readonly clock: () => number) {}

  /** Runs the requests: a group in one transaction (each alone if it fails), or each in its own. */
  abstract run(requests: StoreRequest[], group: boolean): Promise<StoreOutcome[]> | StoreOutcome[];
  abstract setRetentionHorizon(startedBefore: number | null): void;

  async storeBatch(deviceId: number, source: IngestSource, batch: CdrParseResult, options: StoreOptions = {}): Promise<StoreBatchResult> {
    const request = { deviceId, source, batch, options: { ...options, receivedAt: options.receivedAt ?? this.clock() } };
    return outcomeResult((await this.run([request], false))[0]!);
  }

  async storeFileBatch(received: ReceivedBatch, progress: FileProgressSave): Promise<StoreBatchResult> {
    return outcomeResult((await this.run([{ ...received, options: { receivedAt: this.clock() }, progress }], false))[0]!);
  }

  async storeMany(batches: ReceivedBatch[]): Promise<StoreOutcome[]> {
    const receivedAt = this.clock();
    return this.run(batches.map((b) => ({ ...b, options: { receivedAt } })), true);
  }

  start(): void {}

  ratingChanged(_change: RatingChange): void {}

  async startCharging(): Promise<void> {}

  async close(): Promise<void> {}
}

/** What the inline writer uses: the engine's own connection and store. */
export interface InlineCdrWriterDeps {
  db: Sqlite;
  cdrStore: CdrStore;
  sftpProgress: SftpFileProgress;
  now(): number;
}

/** Stores on the calling thread, with the engine's own store and charging (the store records the live status itself). */
export class InlineCdrWriter extends RequestWriter {
  private readonly requests: StoreRequests;
  private readonly store: CdrStore;

  constructor(deps: InlineCdrWriterDeps) {
    super(() => deps.now());
    this.store = deps.cdrStore;
    this.requests = new StoreRequests({ db: deps.db, store: deps.cdrStore, progress: deps.sftpProgress });
  }

  run(requests: StoreRequest[], group: boolean): StoreOutcome[] {
    return this.requests.run(requests, group);
  }

  setRetentionHorizon(startedBefore: number | null): void {
    this.store.setRetentionHorizon(startedBefore);
  }
}

/** Records each stored batch in the live ingest status, as CdrStore does on its own thread. */
export function recordStatus(status: IngestStatus, request: Pick<StoreRequest, 'deviceId' | 'options'>, result: StoreBatchResult): void {
  if (request.options.countDaily ?? true) status.recorded(request.deviceId, result, request.options.receivedAt);
}
