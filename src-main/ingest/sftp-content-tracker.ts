/**
 * What the poller remembers of a file's content at the offset it has read up to, so that the next poll can tell a
 * file that only grew from one that was rotated or rewritten, without downloading it again:
 * - `sha256`: SHA-256 of every byte read so far, [0, offset); its running state is saved with it so that the next
 *   read continues the same hash from the offset (a growing Master.csv is never downloaded twice);
 * - `headSha256` over the first `headBytes` bytes (at most HEAD_WINDOW) and `anchorSha256` over the ANCHOR_WINDOW
 *   bytes just before the offset: two small ranges the next poll downloads and compares before reading on.
 */
import { createHash } from 'node:crypto';
import { createSHA256, type IHasher } from 'hash-wasm';

export const HEAD_WINDOW = 4096;
export const ANCHOR_WINDOW = 4096;

export interface ContentMark {
  offset: number;
  sha256: string;
  sha256State: Buffer;
  headSha256: string;
  headBytes: number;
  anchorSha256: string;
}

/** The byte range [start, end) of the anchor window of a file read up to `offset`. */
export function anchorRange(offset: number): [number, number] {
  return [Math.max(0, offset - ANCHOR_WINDOW), offset];
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Hashes a file's bytes as they are read, and gives the marks to store at the offsets where batches end. */
export class FileContentTracker {
  /** Bytes from `hashedTo` on, pushed but not yet hashed (a batch ends before the stream position). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly hasher: IHasher,
    private hashedTo: number,
    /** The first bytes of the file (up to HEAD_WINDOW), as far as known. */
    private head: Buffer,
    /** The last bytes before `hashedTo` (up to ANCHOR_WINDOW). */
    private recent: Buffer,
  ) {}

  /** For a read from the first byte. */
  static async fromStart(): Promise<FileContentTracker> {
    const hasher = await createSHA256();
    hasher.init();
    return new FileContentTracker(hasher, 0, Buffer.alloc(0), Buffer.alloc(0));
  }

  /**
   * For a read continuing at `offset`, with the hash state saved there and the file's bytes already checked: its
   * first min(offset, HEAD_WINDOW) bytes and the anchor window before the offset. Throws when the saved state cannot
   * be loaded (then the file is read again from the start).
   */
  static async resume(offset: number, sha256State: Buffer, head: Buffer, anchor: Buffer): Promise<FileContentTracker> {
    const hasher = await createSHA256();
    hasher.load(new Uint8Array(sha256State));
    return new FileContentTracker(hasher, offset, head.subarray(0, Math.min(offset, HEAD_WINDOW)), anchor);
  }

  /** Bytes pushed but not yet hashed (waiting for the next mark). */
  get unmarkedBytes(): number {
    return this.pendingBytes;
  }

  /** The next bytes of the file, in order. */
  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  /** Hashes the pushed bytes up to `offset` (the rest stays pending) and returns what to store for that offset. */
  markAt(offset: number): ContentMark {
    let take = offset - this.hashedTo;
    if (take < 0 || take > this.pendingBytes) {
      throw new Error(`cannot mark offset ${offset}: hashed to ${this.hashedTo}, ${this.pendingBytes} bytes pending`);
    }
    const consumed: Buffer[] = [];
    while (take > 0) {
      const first = this.pending[0]!;
      const part = first.length <= take ? first : first.subarray(0, take);
      if (part === first) this.pending.shift();
      else this.pending[0] = first.subarray(take);
      this.hasher.update(part);
      consumed.push(part);
      take -= part.length;
      this.pendingBytes -= part.length;
    }
    this.remember(consumed);
    this.hashedTo = offset;
    const state = Buffer.from(this.hasher.save());
    const sha256 = this.hasher.digest('hex');
    this.hasher.load(state);
    const headBytes = Math.min(offset, this.head.length);
    return {
      offset,
      sha256,
      sha256State: state,
      headSha256: sha256Hex(this.head.subarray(0, headBytes)),
      headBytes,
      anchorSha256: sha256Hex(this.recent),
    };
  }

  private remember(consumed: Buffer[]): void {
    if (consumed.length === 0) return;
    if (this.head.length < HEAD_WINDOW && this.hashedTo === this.head.length) {
      const joined = Buffer.concat([this.head, ...consumed]);
      this.head = Buffer.from(joined.subarray(0, HEAD_WINDOW));
    }
    // Only the last ANCHOR_WINDOW bytes matter: walk back from the end.
    const tail: Buffer[] = [];
    let need = ANCHOR_WINDOW;
    for (let i = consumed.length - 1; i >= 0 && need > 0; i--) {
      const part = consumed[i]!;
      tail.unshift(part.length <= need ? part : part.subarray(part.length - need));
      need -= Math.min(need, part.length);
    }
    if (need > 0) tail.unshift(this.recent.subarray(Math.max(0, this.recent.length - need)));
    this.recent = Buffer.from(Buffer.concat(tail));
  }
}
