/**
 * Reads one polled file (or the part of it not read yet) straight from the SFTP stream into the device's parser and
 * stores each batch together with the file's progress in one transaction: a crash or a lost connection mid-file
 * leaves the file's row exactly where the stored records end.
 */
import type { IngestCounts } from '../../src-shared/api/ingest';
import type { CdrFormat, DeviceContext } from '../../src-shared/domain/cdr';
import type { Sqlite } from '../db/connection';
import { createCdrParser, isCdrFileInProgress } from './adapters/registry';
import { LineSplitter } from './adapters/lines';
import { ParseOutcome, type CdrParser } from './adapters/types';
import { parseCdrStream } from './parse-stream';
import type { CdrWriter } from './writer/cdr-writer';
import { anchorRange, FileContentTracker, HEAD_WINDOW, sha256Hex } from './sftp-content-tracker';
import type { FilePlan } from './sftp-file-plan';
import type { FileProgress, SftpFileProgress } from './sftp-repository';
import type { RemoteFile, SftpSession } from './sftp-session';

/** Header lines are looked for in the first bytes of a file (CUCM's two header lines run to a few KiB each). */
const PREAMBLE_WINDOW = 32 * 1024;
const MAX_HEADER_LINES = 2;
const HEADER_SKIP = /^header line/;

export interface PolledDevice {
  id: number;
  format: CdrFormat;
  context: DeviceContext;
}

export interface FileReadDeps {
  session: SftpSession;
  db: Sqlite;
  writer: CdrWriter;
  progress: SftpFileProgress;
  /** Set when the poller stops: the read ends after the batch being stored. */
  signal: AbortSignal;
  batchLines?: number;
}

export interface FileReadResult {
  /** `read`: records were read (maybe none); `same-content`: the file re-appeared unchanged, nothing to read. */
  outcome: 'read' | 'same-content';
  /** Where the read began: the stored offset, or the start (new, rotated or rewritten file). */
  from: 'start' | 'offset';
  rewritten: boolean;
  counts: IngestCounts;
  /** The file's progress after the read. */
  progress: FileProgress | null;
  /** Stopped before the end (the poller is stopping). */
  interrupted: boolean;
}

export const emptyCounts = (): IngestCounts => ({ received: 0, stored: 0, duplicates: 0, rejected: 0, skipped: 0 });

export function addCounts(into: IngestCounts, more: IngestCounts): void {
  into.received += more.received;
  into.stored += more.stored;
  into.duplicates += more.duplicates;
  into.rejected += more.rejected;
  into.skipped += more.skipped;
}

/**
 * The header line(s) at the start of a file, as the device's parser sees them: lines it skips as headers (CUCM's
 * names and types, a generic CSV or 3CX header), among the complete lines that end by `before`. Fed to the parser
 * before resuming mid-file, and kept with the file's rejects. `conclusive` is false when `window` ended too soon.
 */
function scanHeaderLines(window: Buffer, device: PolledDevice, before: number): { headers: string[]; conclusive: boolean } {
  const probe = createCdrParser(device.format, device.context);
  const headers: string[] = [];
  if (probe.framing === 'document') return { headers, conclusive: true };
  for (const line of new LineSplitter().push(window)) {
    if (line.kind !== 'line' || line.endOffset > before || headers.length >= MAX_HEADER_LINES) return { headers, conclusive: true };
    const outcome = probe.push({ text: line.text, position: { line: line.line, offset: line.offset } });
    if (!outcome.skipped.some((s) => HEADER_SKIP.test(s.reason))) return { headers, conclusive: true };
    headers.push(line.text);
  }
  return { headers, conclusive: window.length >= before };
}

async function headerLinesBefore(session: SftpSession, file: RemoteFile, device: PolledDevice, offset: number, head: Buffer): Promise<string[]> {
  const fromHead = scanHeaderLines(head, device, offset);
  if (fromHead.conclusive) return fromHead.headers;
  const window = await session.readRange(file.path, 0, Math.min(offset, PREAMBLE_WINDOW));
  return scanHeaderLines(window, device, offset).headers;
}

/** Whether the bytes before the stored offset are still those that were read. */
async function sameBeginning(session: SftpSession, file: RemoteFile, p: FileProgress): Promise<{ head: Buffer; anchor: Buffer } | null> {
  const [anchorStart, anchorEnd] = anchorRange(p.offset);
  const headEnd = Math.min(p.offset, HEAD_WINDOW);
  let head: Buffer;
  let anchor: Buffer;
  if (anchorStart <= headEnd) {
    const prefix = await session.readRange(file.path, 0, anchorEnd);
    head = prefix.subarray(0, headEnd);
    anchor = prefix.subarray(anchorStart);
  } else {
    head = await session.readRange(file.path, 0, headEnd);
    anchor = await session.readRange(file.path, anchorStart, anchorEnd);
  }
  if (head.length !== headEnd || anchor.length !== anchorEnd - anchorStart) return null;
  if (sha256Hex(head.subarray(0, p.headBytes)) !== p.headSha256 || sha256Hex(anchor) !== p.anchorSha256) return null;
  return { head, anchor };
}

/**
 * Downloaded bytes wait in the tracker until a batch of records ends (every 1,000 lines, or a document's end). A file
 * that gives no batch end within this many bytes has no line ends the engine reads (CR-only line ends, or not a CDR
 * file at all, e.g. an archive matching the pattern): it is refused rather than held in memory whole.
 */
const MAX_UNMARKED_BYTES = 32 * 1024 * 1024;

/** A file the reader refuses (the other files of the folder are still read). */
export class UnreadableFileError extends Error {}

/** Passes the downloaded bytes on to the parser, hashing them and keeping the file's first bytes (its header). */
async function* tapped(source: AsyncIterable<Buffer>, tracker: FileContentTracker, prefix: Buffer[] | null): AsyncGenerator<Buffer> {
  let kept = 0;
  for await (const chunk of source) {
    tracker.push(chunk);
    if (tracker.unmarkedBytes > MAX_UNMARKED_BYTES) {
      throw new UnreadableFileError(
        `more than ${MAX_UNMARKED_BYTES / 1024 / 1024} MiB without the end of a batch of records (no LF line ends?): not read; ` +
          'check the file pattern and the line ends the PBX writes',
      );
    }
    if (prefix && kept < PREAMBLE_WINDOW) {
      prefix.push(Buffer.from(chunk.subarray(0, PREAMBLE_WINDOW - kept)));
      kept += Math.min(chunk.length, PREAMBLE_WINDOW - kept);
    }
    yield chunk;
  }
}

/** CUCM writes a file under a `_` name and renames it when complete: a file under its final name is complete. */
export const completeOnceNamed = (format: CdrFormat) => isCdrFileInProgress(format, '_file');

export async function readPolledFile(
  deps: FileReadDeps,
  device: PolledDevice,
  file: RemoteFile,
  stored: FileProgress | null,
  plan: Extract<FilePlan, { kind: 'read' }>,
): Promise<FileReadResult> {
  const { session } = deps;
  const counts = emptyCounts();
  const parser: CdrParser = createCdrParser(device.format, device.context);
  const wholeFile = parser.framing === 'document';
  let tracker: FileContentTracker | null = null;
  let headers: string[] = [];
  if (plan.from === 'offset' && stored && stored.offset > 0) {
    const beginning = await sameBeginning(session, file, stored);
    if (beginning) {
      tracker = await FileContentTracker.resume(stored.offset, stored.sha256State, beginning.head, beginning.anchor).catch(() => null);
      if (tracker && file.size === stored.offset && plan.why === 'changed') {
        deps.progress.seenAgain(device.id, file.path, file.size, file.mtimeMs);
        const progress = deps.progress.get(device.id, file.path);
        return { outcome: 'same-content', from: 'offset', rewritten: false, counts, progress, interrupted: false };
      }
      if (tracker) headers = await headerLinesBefore(session, file, device, stored.offset, beginning.head);
    }
  }
  const from: 'start' | 'offset' = tracker ? 'offset' : 'start';
  tracker ??= await FileContentTracker.fromStart();
  const start = from === 'offset' ? stored!.offset : 0;
  const startLines = from === 'offset' ? stored!.lines : 0;
  // Resuming mid-file: the parser learns the columns from the header before the records that follow it.
  for (const [i, text] of headers.entries()) parser.push({ text, position: { line: i + 1, offset: 0 } }, new ParseOutcome());

  const complete = wholeFile || (plan.from === 'offset' && plan.complete) || completeOnceNamed(device.format);
  const prefix = from === 'start' && !wholeFile ? ([] as Buffer[]) : null;
  const batches = parseCdrStream(tapped(session.read(file.path, start, file.size), tracker, prefix), parser, {
    startOffset: start,
    startLine: startLines + 1,
    endOfInput: complete ? 'complete' : 'may-grow',
    ...(deps.batchLines ? { batchLines: deps.batchLines } : {}),
  });
  let linesRead = 0;
  let progress: FileProgress | null = stored;
  const result = (interrupted: boolean): FileReadResult => ({
    outcome: 'read',
    from,
    rewritten: from === 'start' && stored !== null,
    counts,
    progress,
    interrupted,
  });
  for await (const batch of batches) {
    if (prefix && linesRead === 0) headers = scanHeaderLines(Buffer.concat(prefix), device, batch.endOffset).headers;
    linesRead += batch.lines;
    const held = parser.heldFrom();
    const mark = tracker.markAt(wholeFile ? batch.endOffset : batch.resumeOffset);
    const lines = held?.line !== undefined && batch.resumeOffset < batch.endOffset ? held.line - 1 : startLines + linesRead;
    const status = !batch.done ? 'reading' : mark.offset >= file.size ? 'done' : 'growing';
    const source = { kind: 'sftp' as const, name: file.path, ...(headers.length ? { context: headers.join('\n') } : {}) };
    // The records and where the file's read stands commit together: a crash resumes after the last stored batch.
    const stored = await deps.writer.storeFileBatch(
      { deviceId: device.id, source, batch },
      { ...mark, deviceId: device.id, path: file.path, size: file.size, mtimeMs: file.mtimeMs, lines, status },
    );
    addCounts(counts, stored);
    progress = deps.progress.get(device.id, file.path);
    if (deps.signal.aborted && !batch.done) return result(true);
  }
  return result(false);
}
