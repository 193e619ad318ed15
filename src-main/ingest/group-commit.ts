/**
 * Group commit for live connections: batches submitted by many connections within a short window are stored in one
 * transaction, so the cost of a durable commit (an fsync with synchronous=FULL) is shared instead of paid per
 * connection and per chunk. Each submitter waits for its own batch to be committed before it reads more from its
 * socket: that wait is the connection's back-pressure.
 *
 * If the shared transaction fails, every batch is retried in its own transaction, so one device's failure (a
 * deleted device, a processor that throws) does not fail the others.
 */
import type { CdrParseResult } from '../../src-shared/domain/cdr';
import type { Sqlite } from '../db/connection';
import type { CdrStore, IngestSource, StoreBatchResult } from './store';

export interface GroupCommitOptions {
  /**
   * How long the first batch waits for others before the commit. Default 0: the commit runs once the current round of
   * socket reads is done (setImmediate), so every connection that had data in that round is in it, and a lone
   * connection does not wait at all.
   */
  windowMs?: number;
  /** Commit at once when this many records are waiting. Default 10,000. */
  maxRecords?: number;
}

interface Pending {
  deviceId: number;
  source: IngestSource;
  batch: CdrParseResult;
  resolve(result: StoreBatchResult): void;
  reject(error: unknown): void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private readonly windowMs: number;
  private readonly maxRecords: number;
  private readonly commitAll;

  constructor(
    db: Sqlite,
    private readonly store: CdrStore,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 0;
    this.maxRecords = options.maxRecords ?? 10_000;
    this.commitAll = db.transaction((items: Pending[]) =>
      items.map((p) => this.store.storeBatch(p.deviceId, p.source, p.batch)),
    );
  }

  /** Resolves once the batch is committed (durably), with its counts; rejects when it could not be stored. */
  submit(deviceId: number, source: IngestSource, batch: CdrParseResult): Promise<StoreBatchResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ deviceId, source, batch, resolve, reject });
      this.queuedRecords += batch.cdrs.length + batch.rejects.length + batch.skipped.length;
      if (this.queuedRecords >= this.maxRecords) this.flush();
      else this.timer ??= this.windowMs > 0 ? setTimeout(() => this.flush(), this.windowMs) : setImmediate(() => this.flush());
    });
  }

  /** Commits what is waiting now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    const items = this.queue;
    if (items.length === 0) return;
    this.queue = [];
    this.queuedRecords = 0;
    let results: StoreBatchResult[] | undefined;
    try {
      results = this.commitAll(items);
    } catch {
      // Find the batch that fails: each alone.
      for (const item of items) {
        try {
          item.resolve(this.store.storeBatch(item.deviceId, item.source, item.batch));
        } catch (error) {
          item.reject(error);
        }
      }
      return;
    }
    items.forEach((item, i) => item.resolve(results[i]!));
  }

  get waiting(): number {
    return this.queue.length;
  }
}
