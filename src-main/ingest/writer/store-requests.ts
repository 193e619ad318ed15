/**
 * What the CDR writer does with a request, on whichever thread holds the writing connection: one batch in its own
 * transaction (with the read position of the SFTP file it came from, so that records and progress commit together),
 * or a group of batches from live connections in one transaction — and when that fails, each batch alone, so one
 * device's failure (a deleted device, a processor that throws) does not fail the others.
 */
import type { CdrParseResult } from '../../../src-shared/domain/cdr';
import type { Sqlite } from '../../db/connection';
import type { FileProgressUpdate, SftpFileProgress } from '../sftp-repository';
import type { CdrStore, IngestSource, StoreBatchResult, StoreOptions } from '../store';

/** Where an SFTP read stands after the batch (the records it adds are counted from the result). */
export type FileProgressSave = Omit<FileProgressUpdate, 'addRecords'>;

export interface StoreRequest {
  deviceId: number;
  source: IngestSource;
  batch: CdrParseResult;
  /** `receivedAt` is always set by the side that received the records (its clock). */
  options: StoreOptions & { receivedAt: number };
  /** Saved in the batch's transaction: the SFTP file read up to the batch's end. */
  progress?: FileProgressSave;
}

/** A stored batch, or why it was not stored (nothing of it was); an error crossing threads keeps its message. */
export type StoreOutcome = { ok: true; result: StoreBatchResult } | { ok: false; error: Error };

export interface StoreRequestDeps {
  db: Sqlite;
  store: CdrStore;
  progress: SftpFileProgress;
  /** Runs first inside each request's transaction (the writer thread re-reads the statistics state there). */
  beforeEach?: (request: StoreRequest) => void;
}

export class StoreRequests {
  private readonly one;
  private readonly group;

  constructor(private readonly deps: StoreRequestDeps) {
    this.one = deps.db.transaction((r: StoreRequest) => this.storeInTransaction(r));
    this.group = deps.db.transaction((rs: readonly StoreRequest[]) => rs.map((r) => this.storeInTransaction(r)));
  }

  /**
   * Runs what a writer was asked: a group of live connections' batches in one transaction (one durable commit) and,
   * when that fails, each alone; or each batch in its own transaction. One outcome per batch, in order.
   */
  run(requests: readonly StoreRequest[], group: boolean): StoreOutcome[] {
    if (group) {
      try {
        return this.group(requests).map((result) => ({ ok: true, result }));
      } catch {
        // Find the batch that fails: each alone.
      }
    }
    return requests.map((r) => {
      try {
        return { ok: true, result: this.one(r) };
      } catch (error) {
        return { ok: false, error: errorOf(error) };
      }
    });
  }

  private storeInTransaction(r: StoreRequest): StoreBatchResult {
    this.deps.beforeEach?.(r);
    const result = this.deps.store.storeBatch(r.deviceId, r.source, r.batch, r.options);
    if (r.progress) {
      const p = r.progress;
      // A state that crossed a thread arrives as a Uint8Array; the driver binds Buffers.
      const sha256State = Buffer.isBuffer(p.sha256State) ? p.sha256State : Buffer.from(p.sha256State);
      this.deps.progress.save({ ...p, sha256State, addRecords: result.stored + result.rejected });
    }
    return result;
  }
}

function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
