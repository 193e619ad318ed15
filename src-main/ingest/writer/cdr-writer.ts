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
import { StoreRequests, errorOf, type FileProgressSave, type StoreOutcome, type StoreRequest } from './store-requests';

export type { FileProgressSave, StoreOutcome };

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
  /** Stops taking batches once those sent are stored. */
  close(): Promise<void>;
}

/** An error that crossed from the writer: its message (and code) as the store gave them. */
export class StoreFailure extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StoreFailure';
  }
}

export function outcomeResult(outcome: StoreOutcome): StoreBatchResult {
  if (outcome.ok) return outcome.result;
  throw new StoreFailure(outcome.error.message, outcome.error.code);
}

/** What the inline writer uses: the engine's own connection and store. */
export interface InlineCdrWriterDeps {
  db: Sqlite;
  cdrStore: CdrStore;
  sftpProgress: SftpFileProgress;
  now(): number;
}

/** Stores on the calling thread (the store records the live status itself). */
export class InlineCdrWriter implements CdrWriter {
  private readonly requests: StoreRequests;
  private readonly store: CdrStore;
  private readonly now: () => number;

  constructor(deps: InlineCdrWriterDeps) {
    this.store = deps.cdrStore;
    this.now = () => deps.now();
    this.requests = new StoreRequests({ db: deps.db, store: deps.cdrStore, progress: deps.sftpProgress });
  }

  async storeBatch(deviceId: number, source: IngestSource, batch: CdrParseResult, options: StoreOptions = {}): Promise<StoreBatchResult> {
    return this.requests.store({ deviceId, source, batch, options: { ...options, receivedAt: options.receivedAt ?? this.now() } });
  }

  async storeFileBatch(received: ReceivedBatch, progress: FileProgressSave): Promise<StoreBatchResult> {
    return this.requests.store({ ...received, options: { receivedAt: this.now() }, progress });
  }

  async storeMany(batches: ReceivedBatch[]): Promise<StoreOutcome[]> {
    const receivedAt = this.now();
    return this.requests.storeMany(batches.map((b) => ({ ...b, options: { receivedAt } })));
  }

  setRetentionHorizon(startedBefore: number | null): void {
    this.store.setRetentionHorizon(startedBefore);
  }

  async close(): Promise<void> {}
}

/** Records each stored batch in the live ingest status, as CdrStore does on its own thread. */
export function recordStatus(status: IngestStatus, request: Pick<StoreRequest, 'deviceId' | 'options'>, result: StoreBatchResult): void {
  if (request.options.countDaily ?? true) status.recorded(request.deviceId, result, request.options.receivedAt);
}

export { errorOf };
