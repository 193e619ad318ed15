/**
 * Reads a whole CDR file of a device (manual import, benchmarks) as a stream: parsed in batches, one transaction per
 * batch, so a file of any size never sits in memory as records and a crash leaves whole batches only (importing the
 * file again stores what is missing and counts the rest as duplicates).
 */
import type { Device } from '../../src-shared/api/devices';
import type { IngestCounts } from '../../src-shared/api/ingest';
import { deviceContextOf } from '../devices/repository';
import { createCdrParser, parseCdrText } from './adapters/registry';
import { DEFAULT_MAX_DOCUMENT_BYTES, parseCdrStream, type ParseBatch } from './parse-stream';
import type { IngestSource, StoreBatchResult } from './store';
import type { CdrWriter } from './writer/cdr-writer';

export interface FileImportProgress extends IngestCounts {
  bytesRead: number;
}

export interface FileImportSummary extends FileImportProgress {
  rated: number;
  unrated: number;
  /** Reject row ids met in the file, in file order (new and already known), at most `keepRejectIds`. */
  rejectIds: number[];
  rejectsTotal: number;
  /** Of the duplicates: unreadable records met again, already kept as rejects by an earlier import. */
  knownRejects: number;
  /** Of the skipped lines, those read as header lines (the device's or a collector's column names). */
  headerLines: number;
}

export interface FileImportOptions {
  device: Device;
  source: IngestSource;
  input: AsyncIterable<Buffer>;
  /** Lines per batch (and transaction). Default 5000. */
  batchLines?: number;
  keepRejectIds?: number;
  onBatch?: (progress: FileImportProgress) => void;
}

/** Bytes of the file's start kept to find its header lines (kept with rejects for reprocessing). */
const HEAD_BYTES = 64 * 1024;

/**
 * Parses the file and stores it batch by batch through the writer. The next batch is parsed while the writer stores
 * the one before (at most one waits), and each batch's counts are taken in file order.
 */
export async function importCdrFile(writer: Pick<CdrWriter, 'storeBatch'>, options: FileImportOptions): Promise<FileImportSummary> {
  const { device } = options;
  const parser = createCdrParser(device.format, deviceContextOf(device));
  const head: Buffer[] = [];
  let headBytes = 0;
  const counting = async function* (input: AsyncIterable<Buffer>) {
    for await (const chunk of input) {
      if (headBytes < HEAD_BYTES) {
        head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
        headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
      }
      progress.bytesRead += chunk.length;
      yield chunk;
    }
  };
  const progress: FileImportProgress = { received: 0, stored: 0, duplicates: 0, rejected: 0, skipped: 0, bytesRead: 0 };
  const summary = { rated: 0, unrated: 0, rejectIds: [] as number[], rejectsTotal: 0, knownRejects: 0, headerLines: 0 };
  const keep = options.keepRejectIds ?? 100;
  let source = options.source;
  let first = true;
  let previous: Promise<void> = Promise.resolve();
  const input = await peekFirstLine(options.input);
  const batches =
    parser.framing === 'json' && !input.firstLineIsJson
      ? wholeDocument(counting(input.chunks), device, progress, {
          maxBytes: DEFAULT_MAX_DOCUMENT_BYTES,
          asLines: (chunks) => parseCdrStream(chunks, parser, { batchLines: options.batchLines ?? 5000 }),
        })
      : parseCdrStream(counting(input.chunks), parser, { batchLines: options.batchLines ?? 5000 });
  for await (const batch of batches) {
    if (first) {
      first = false;
      const context = headerContext(batch, Buffer.concat(head));
      if (context) source = { ...source, context };
    }
    const storing = writer.storeBatch(device.id, source, batch);
    storing.catch(() => {}); // awaited below, after the batch before
    const prior = previous;
    // The batch before is counted first; a failure of either ends the import (what was committed stays).
    previous = (async () => {
      await prior;
      count(await storing, batch);
    })();
    previous.catch(() => {}); // awaited at the next batch or at the end
    await prior;
  }
  await previous;
  return { ...progress, ...summary };

  function count(result: StoreBatchResult, batch: ParseBatch): void {
    progress.received += result.received;
    progress.stored += result.stored;
    progress.duplicates += result.duplicates;
    progress.rejected += result.rejected;
    progress.skipped += result.skipped;
    summary.rated += result.rated;
    summary.unrated += result.unrated;
    summary.rejectsTotal += result.rejectIds.length;
    summary.knownRejects += result.knownRejects;
    for (const s of batch.skipped) if (isHeaderSkip(s.reason)) summary.headerLines++;
    for (const id of result.rejectIds) if (summary.rejectIds.length < keep && !summary.rejectIds.includes(id)) summary.rejectIds.push(id);
    options.onBatch?.({ ...progress });
  }
}

/**
 * The header line(s) of a file: the lines skipped as headers at its very start (CUCM's names and types lines, a
 * generic CSV's or 3CX's column names), so that a reject can later be read again with the same columns.
 */
export function headerContext(firstBatch: ParseBatch, head: Buffer): string | undefined {
  const headerLines = new Set<number>();
  for (const s of firstBatch.skipped) if (s.position.line !== undefined && isHeaderSkip(s.reason)) headerLines.add(s.position.line);
  if (headerLines.size === 0) return undefined;
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  const kept: string[] = [];
  for (let line = 1; line <= lines.length && headerLines.has(line); line++) kept.push(lines[line - 1]!.replace(/\r$/, ''));
  return kept.length ? kept.join('\n') : undefined;
}

/** Adapters skip header lines with a reason that names them (`header line`, CUCM's `header line (column types)`). */
function isHeaderSkip(reason: string): boolean {
  return /header/i.test(reason);
}

/** Cuts an in-memory file into chunks so that a large import yields to other work between batches. */
export async function* chunksOf(buffer: Buffer, size = 1024 * 1024): AsyncGenerator<Buffer, void, undefined> {
  for (let at = 0; at < buffer.length; at += size) {
    yield buffer.subarray(at, at + size);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The input with its first line read ahead: a JSON file whose first line is not JSON by itself is one document
 * spread over lines (a pretty-printed export, Grandstream's `{"cdr_root":[...]}`), not JSON lines.
 */
async function peekFirstLine(input: AsyncIterable<Buffer>): Promise<{ chunks: AsyncIterable<Buffer>; firstLineIsJson: boolean }> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let bytes = 0;
  let done = false;
  while (bytes < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    bytes += next.value.length;
    if (next.value.includes(0x0a)) break;
  }
  const text = Buffer.concat(head).toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split('\n', 1)[0]!.trim();
  let firstLineIsJson = true;
  try {
    JSON.parse(firstLine);
  } catch {
    firstLineIsJson = firstLine === '';
  }
  return {
    firstLineIsJson,
    chunks: {
      async *[Symbol.asyncIterator]() {
        yield* head;
        if (done) return;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      },
    },
  };
}

/**
 * A file that is one JSON document, read whole (up to the document size cap) and parsed as one batch. A file beyond
 * the cap cannot be one document the engine reads: it is read as lines instead, so that every line is stored or kept
 * as a reject with its text (a JSON-lines file whose first line is damaged loses nothing but that line).
 */
async function* wholeDocument(
  chunks: AsyncIterable<Buffer>,
  device: Device,
  progress: FileImportProgress,
  o: { maxBytes: number; asLines(chunks: AsyncIterable<Buffer>): AsyncIterable<ParseBatch> },
): AsyncGenerator<ParseBatch> {
  const iterator = chunks[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let bytes = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    parts.push(next.value);
    bytes += next.value.length;
    if (bytes > o.maxBytes) {
      const read = parts.splice(0);
      yield* o.asLines({
        async *[Symbol.asyncIterator]() {
          yield* read;
          for (let more = await iterator.next(); !more.done; more = await iterator.next()) yield more.value;
        },
      });
      return;
    }
  }
  const text = Buffer.concat(parts).toString('utf8');
  yield { ...parseCdrText(device.format, text, deviceContextOf(device)), endOffset: progress.bytesRead, resumeOffset: progress.bytesRead, lines: 1, done: true };
}
