/**
 * Group commit for live connections: batches submitted by many connections within a short window are stored in one
 * transaction, so the cost of a durable commit (an fsync with synchronous=FULL) is shared instead of paid per
 * connection and per chunk. Each submitter waits for its own batch to be committed before it reads more from its
 * socket: that wait is the connection's back-pressure.
 *
 * One group is with the writer at a time: what arrives meanwhile waits and goes as the next group, so under load the
 * groups grow and the commits per record fall. If a group's transaction fails, the writer stores each batch in its own
 * transaction, so one device's failure (a deleted device, a processor that throws) does not fail the others.
 */
import type { CdrParseResult } from '../../src-shared/domain/cdr';
import type { IngestSource, StoreBatchResult } from './store';
import { outcomeResult, type CdrWriter } from './writer/cdr-writer';

export interface GroupCommitOptions {
  /**
   * How long the first batch waits for others before the commit. Default 0: the commit runs once the current round of
   * socket reads is done (setImmediate), so every connection that had data in that round is in it, and a lone
   * connection does not wait at all.
   */
  windowMs?: number;
  /** Send a group at once when this many records are waiting (and no group is with the writer). Default 10,000. */
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
  private inFlight = false;
  private readonly windowMs: number;
  private readonly maxRecords: number;

  constructor(
    private readonly writer: CdrWriter,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 0;
    this.maxRecords = options.maxRecords ?? 10_000;
  }

  /** Resolves once the batch is committed (durably), with its counts; rejects when it could not be stored. */
  submit(deviceId: number, source: IngestSource, batch: CdrParseResult): Promise<StoreBatchResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ deviceId, source, batch, resolve, reject });
      this.queuedRecords += batch.cdrs.length + batch.rejects.length + batch.skipped.length;
      if (this.inFlight) return; // sent as the next group when the writer answers
      if (this.queuedRecords >= this.maxRecords) this.flush();
      else this.timer ??= this.windowMs > 0 ? setTimeout(() => this.flush(), this.windowMs) : setImmediate(() => this.flush());
    });
  }

  /** Sends what is waiting now (unless a group is with the writer: then it goes next). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    const items = this.queue;
    if (items.length === 0 || this.inFlight) return;
    this.queue = [];
    this.queuedRecords = 0;
    this.inFlight = true;
    this.writer
      .storeMany(items.map(({ deviceId, source, batch }) => ({ deviceId, source, batch })))
      .then(
        (outcomes) =>
          items.forEach((item, i) => {
            try {
              item.resolve(outcomeResult(outcomes[i]!));
            } catch (error) {
              item.reject(error);
            }
          }),
        (error: unknown) => items.forEach((item) => item.reject(error)),
      )
      .finally(() => {
        this.inFlight = false;
        if (this.queue.length > 0) this.flush();
      });
  }

  get waiting(): number {
    return this.queue.length;
  }
}
