/**
 * The repository of how far each polled file of a device has been read (`ingest_sources`): the row of a file moves in
 * the same transaction as the records read from it, so after a crash the next poll resumes exactly where the stored
 * records end, and a file read before is never read twice.
 */
import type { Sqlite } from '../db/connection';
import type { IngestSourcesRow } from '../db/rows';
import type { ContentMark } from './sftp-content-tracker';

/**
 * - `reading`: a read is under way or was interrupted; the next poll continues at `offset`;
 * - `growing`: read to its end except a last line without its newline (or an unfinished call) that waits;
 * - `done`: read to its end; `moved` / `deleted`: and then moved or deleted on the server.
 */
export type FileProgressStatus = 'reading' | 'growing' | 'done' | 'moved' | 'deleted';

export interface FileProgress extends ContentMark {
  deviceId: number;
  path: string;
  /** Size and modification time (epoch ms) of the file as listed for the last read. */
  size: number;
  mtimeMs: number;
  /** Lines consumed before `offset` (the next line read is `lines + 1`). */
  lines: number;
  status: FileProgressStatus;
  /** The last problem with this file (an after-fetch action that failed), or null. */
  error: string | null;
  /** Records stored from this file (new CDRs and new rejects). */
  records: number;
  updatedAt: number;
}

function fromRow(r: IngestSourcesRow): FileProgress {
  return {
    deviceId: r.device_id,
    path: r.path,
    size: r.size ?? 0,
    mtimeMs: r.mtime ?? 0,
    offset: r.offset,
    lines: r.line,
    sha256: r.sha256 ?? '',
    sha256State: r.sha256_state ?? Buffer.alloc(0),
    headSha256: r.head_sha256 ?? '',
    headBytes: r.head_bytes ?? 0,
    anchorSha256: r.anchor_sha256 ?? '',
    status: r.status as FileProgressStatus,
    error: r.error,
    records: r.records,
    updatedAt: r.updated_at,
  };
}

export type FileProgressUpdate = Omit<FileProgress, 'records' | 'error' | 'updatedAt'> & { addRecords: number };

export class SftpFileProgress {
  private readonly upsert;

  constructor(
    private readonly db: Sqlite,
    private readonly now: () => number,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO ingest_sources (device_id, path, size, mtime, offset, line, sha256, sha256_state, head_sha256, head_bytes,
         anchor_sha256, status, error, records, first_seen_at, updated_at)
       VALUES (@deviceId, @path, @size, @mtimeMs, @offset, @lines, @sha256, @sha256State, @headSha256, @headBytes,
         @anchorSha256, @status, NULL, @addRecords, @at, @at)
       ON CONFLICT (device_id, path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, offset = excluded.offset,
         line = excluded.line, sha256 = excluded.sha256, sha256_state = excluded.sha256_state,
         head_sha256 = excluded.head_sha256, head_bytes = excluded.head_bytes, anchor_sha256 = excluded.anchor_sha256,
         status = excluded.status, error = NULL, records = records + excluded.records, updated_at = excluded.updated_at`,
    );
  }

  /** Every file of a device that has been read, by path. */
  forDevice(deviceId: number): Map<string, FileProgress> {
    const rows = this.db.prepare('SELECT * FROM ingest_sources WHERE device_id = ?').all(deviceId) as IngestSourcesRow[];
    return new Map(rows.map((r) => [r.path, fromRow(r)]));
  }

  get(deviceId: number, path: string): FileProgress | null {
    const row = this.db.prepare('SELECT * FROM ingest_sources WHERE device_id = ? AND path = ?').get(deviceId, path) as
      | IngestSourcesRow
      | undefined;
    return row ? fromRow(row) : null;
  }

  /** Records where a file's read stands; call inside the transaction that stores the records read up to there. */
  save(update: FileProgressUpdate): void {
    this.upsert.run({ ...update, at: this.now() });
  }

  /** The file was seen again unchanged in content but with another modification time (copied back, touched). */
  seenAgain(deviceId: number, path: string, size: number, mtimeMs: number): void {
    this.db
      .prepare('UPDATE ingest_sources SET size = ?, mtime = ?, updated_at = ? WHERE device_id = ? AND path = ?')
      .run(size, mtimeMs, this.now(), deviceId, path);
  }

  /** After the after-fetch action: `moved` / `deleted`, or the problem that stopped it (status unchanged). */
  setOutcome(deviceId: number, path: string, outcome: { status: 'moved' | 'deleted' } | { error: string }): void {
    if ('status' in outcome) {
      this.db
        .prepare('UPDATE ingest_sources SET status = ?, error = NULL, updated_at = ? WHERE device_id = ? AND path = ?')
        .run(outcome.status, this.now(), deviceId, path);
    } else {
      this.db
        .prepare('UPDATE ingest_sources SET error = ?, updated_at = ? WHERE device_id = ? AND path = ?')
        .run(outcome.error, this.now(), deviceId, path);
    }
  }
}
