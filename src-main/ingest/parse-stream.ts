/**
 * Drives a CDR parser over a byte stream (a file's read stream, a TCP socket, an HTTP request) without holding the
 * input in memory, yielding batches the caller stores one transaction each.
 *
 * Line and JSON formats are cut into lines (see adapters/lines.ts). Each batch says how far the input has been
 * consumed (`endOffset`, just after the last complete line) and where a reader of a growing file must resume so that
 * nothing is lost (`resumeOffset`: earlier when the parser still holds records of an unfinished call). With
 * `endOfInput: 'may-grow'` the bytes after the last newline are not parsed (the rest of the line may still be
 * coming) and held calls are not flushed; with `'complete'` (the default) both are processed.
 *
 * Document formats (one call per body or file) are read whole, up to `maxDocumentBytes`.
 */
import type { CdrParseResult } from '../../src-shared/domain/cdr';
import {
  DEFAULT_MAX_LINE_BYTES,
  LineSplitter,
  overlongLineProblem,
  type LineSplitterOptions,
} from './adapters/lines';
import { ParseOutcome, type CdrParser } from './adapters/types';

export interface ParseStreamOptions extends LineSplitterOptions {
  /** Lines per batch. Default 1000. */
  batchLines?: number;
  /** `complete` (default): the input ends here. `may-grow`: a file still being appended to. */
  endOfInput?: 'complete' | 'may-grow';
  /** Largest body accepted by document formats. Default 16 MiB. */
  maxDocumentBytes?: number;
  /**
   * A live connection (TCP): also yield whatever has arrived at the end of each chunk, so a record that trickles in
   * is stored at once instead of waiting for `batchLines` more. Files leave it off and get full batches.
   */
  liveInput?: boolean;
}

export interface UnterminatedLine {
  text: string;
  line: number;
  /** Byte offset of its first byte. */
  offset: number;
  bytes: number;
  /** Parsed as a record (`complete`), or left for the next read (`may-grow`). */
  parsed: boolean;
}

export interface ParseBatch extends CdrParseResult {
  /** Byte offset just after the last complete line handed to the parser so far. */
  endOffset: number;
  /** Where a growing file's next read starts: `endOffset`, or the first byte of the earliest record still held. */
  resumeOffset: number;
  /** Lines (or documents) read into this batch. */
  lines: number;
  /** Set on the last batch, which is always yielded (possibly empty). */
  done: boolean;
  /** Last batch only: the text after the last newline, when the input did not end with one. */
  unterminated?: UnterminatedLine;
}

export const DEFAULT_BATCH_LINES = 1000;
export const DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

type Chunk = Buffer | Uint8Array | string;

function toBuffer(chunk: Chunk): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Parses a stream of CDR input with `parser`, yielding batches; the last one has `done: true`. */
export async function* parseCdrStream(
  input: AsyncIterable<Chunk>,
  parser: CdrParser,
  options: ParseStreamOptions = {},
): AsyncGenerator<ParseBatch, void, undefined> {
  if (parser.framing === 'document') {
    yield await parseDocumentStream(input, parser, options);
    return;
  }
  const batchLines = Math.max(1, options.batchLines ?? DEFAULT_BATCH_LINES);
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const splitter = new LineSplitter(options);
  let endOffset = splitter.committedOffset;
  let batch = new ParseOutcome();
  let lines = 0;
  const finish = (done: boolean, unterminated?: UnterminatedLine): ParseBatch => {
    const held = parser.heldFrom()?.offset;
    const result: ParseBatch = {
      cdrs: batch.cdrs,
      rejects: batch.rejects,
      skipped: batch.skipped,
      endOffset,
      resumeOffset: held !== undefined && held < endOffset ? held : endOffset,
      lines,
      done,
    };
    if (unterminated) result.unterminated = unterminated;
    batch = new ParseOutcome();
    lines = 0;
    return result;
  };

  for await (const chunk of input) {
    for (const line of splitter.push(toBuffer(chunk))) {
      const position = { line: line.line, offset: line.offset };
      if (line.kind === 'line') parser.push({ text: line.text, position }, batch);
      else batch.reject(line.head, position, overlongLineProblem(line.bytes, maxLineBytes));
      endOffset = line.endOffset;
      if (++lines >= batchLines) yield finish(false);
    }
    if (options.liveInput && lines > 0) yield finish(false);
  }

  const tail = splitter.end();
  const complete = (options.endOfInput ?? 'complete') === 'complete';
  let unterminated: UnterminatedLine | undefined;
  if (tail) {
    unterminated = { text: tail.text, line: tail.line, offset: tail.offset, bytes: tail.bytes, parsed: complete };
    if (complete) {
      const position = { line: tail.line, offset: tail.offset };
      if (tail.overlong) batch.reject(tail.text, position, overlongLineProblem(tail.bytes, maxLineBytes));
      else parser.push({ text: tail.text, position }, batch);
      endOffset = tail.offset + tail.bytes;
      lines++;
    }
  }
  if (complete) parser.flush(batch);
  yield finish(true, unterminated);
}

async function parseDocumentStream(input: AsyncIterable<Chunk>, parser: CdrParser, options: ParseStreamOptions): Promise<ParseBatch> {
  const maxBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const startOffset = options.startOffset ?? 0;
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of input) {
    const buffer = toBuffer(chunk);
    if (bytes < maxBytes) parts.push(Buffer.from(buffer.subarray(0, maxBytes - bytes))); // copy: chunks may be reused
    bytes += buffer.length;
  }
  const out = new ParseOutcome();
  const position = { offset: startOffset };
  const body = Buffer.concat(parts);
  const encoding = (options.encoding ?? 'utf-8').toLowerCase();
  const text = encoding === 'utf-8' || encoding === 'utf8' ? body.toString('utf8') : new TextDecoder(encoding).decode(body);
  if (bytes > maxBytes) {
    out.reject(text.slice(0, DEFAULT_MAX_LINE_BYTES), position, `body is ${bytes} bytes, more than the ${maxBytes} bytes accepted`);
  } else if (bytes > 0) {
    parser.push({ text, position }, out);
  }
  parser.flush(out);
  const endOffset = startOffset + bytes;
  return { ...out, endOffset, resumeOffset: endOffset, lines: bytes > 0 ? 1 : 0, done: true };
}
