/**
 * Cuts bytes into lines with their file positions: LF or CRLF endings, a UTF-8 byte order mark at the start of the
 * file dropped, characters split across chunks kept whole (lines are cut on the byte 0x0A, which never occurs inside
 * a multi-byte UTF-8 or GB18030 character, and decoded only when complete), and a cap on line length so one runaway
 * line cannot fill memory. The bytes after the last newline stay pending until `end()`.
 */

export interface FramedLine {
  kind: 'line';
  /** Decoded text without the line ending. */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just after the line's newline: where reading resumes. */
  endOffset: number;
}

export interface OverlongLine {
  kind: 'overlong';
  /** The first `maxLineBytes` bytes, decoded. */
  head: string;
  /** The line's length in bytes, without its ending. */
  bytes: number;
  line: number;
  offset: number;
  endOffset: number;
}

export interface UnterminatedTail {
  /** Decoded text after the last newline (at most `maxLineBytes` bytes of it). */
  text: string;
  bytes: number;
  line: number;
  offset: number;
  /** Longer than the cap: it will be rejected as overlong once its newline comes. */
  overlong: boolean;
}

export interface LineSplitterOptions {
  /** File offset of the first byte pushed (when resuming a growing file). Default 0. */
  startOffset?: number;
  /** Line number of the first line pushed. Default 1. */
  startLine?: number;
  /** Longest line accepted, in bytes without its ending. Default 64 KiB. */
  maxLineBytes?: number;
  /** Text encoding, any WHATWG label (`utf-8`, `gb18030`). Default utf-8. */
  encoding?: string;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** The reject reason of a line over the cap. */
export function overlongLineProblem(bytes: number, maxLineBytes: number): string {
  return `line is ${bytes} bytes long, more than the ${maxLineBytes} bytes accepted; only its start is kept`;
}
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Total bytes of the current line seen so far (beyond `pending` when it is overlong). */
  private lineBytes = 0;
  private lineOffset: number;
  private lineNumber: number;
  private readonly maxLineBytes: number;
  private readonly decode: (bytes: Buffer, start: number, end: number) => string;

  constructor(options: LineSplitterOptions = {}) {
    this.lineOffset = options.startOffset ?? 0;
    this.lineNumber = options.startLine ?? 1;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const encoding = (options.encoding ?? 'utf-8').toLowerCase();
    if (encoding === 'utf-8' || encoding === 'utf8') {
      this.decode = (bytes, start, end) => bytes.toString('utf8', start, end);
    } else {
      const decoder = new TextDecoder(encoding); // throws RangeError for unknown labels
      this.decode = (bytes, start, end) => decoder.decode(bytes.subarray(start, end));
    }
  }

  /** Byte offset where the next line starts (after the last complete line). */
  get committedOffset(): number {
    return this.lineOffset;
  }

  push(chunk: Buffer): (FramedLine | OverlongLine)[] {
    const lines: (FramedLine | OverlongLine)[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      lines.push(this.completeLine(chunk, start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
    return lines;
  }

  /** What is left after the last newline, if anything; the splitter is then empty. */
  end(): UnterminatedTail | null {
    if (this.lineBytes === 0) return null;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const tail: UnterminatedTail = {
      text: this.textOf(bytes, 0, bytes.length, true),
      bytes: this.lineBytes,
      line: this.lineNumber,
      offset: this.lineOffset,
      overlong: this.lineBytes > this.maxLineBytes,
    };
    this.pending = [];
    this.pendingBytes = 0;
    this.lineBytes = 0;
    return tail;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = this.maxLineBytes - this.pendingBytes;
    const length = end - start;
    // Past the cap only the count grows; the bytes kept are the head shown in the reject.
    if (room > 0) {
      const kept = Math.min(room, length);
      // Copy: the caller may reuse its chunk buffer.
      this.pending.push(Buffer.from(chunk.subarray(start, start + kept)));
      this.pendingBytes += kept;
    }
    this.lineBytes += length;
  }

  private completeLine(chunk: Buffer, start: number, newline: number): FramedLine | OverlongLine {
    const totalBytes = this.lineBytes + (newline - start);
    const offset = this.lineOffset;
    const line = this.lineNumber;
    const endOffset = offset + totalBytes + 1;
    this.lineOffset = endOffset;
    this.lineNumber++;
    if (totalBytes > this.maxLineBytes) {
      this.keep(chunk, start, newline);
      const head = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.lineBytes = 0;
      return { kind: 'overlong', head: this.textOf(head, 0, head.length, false), bytes: totalBytes, line, offset, endOffset };
    }
    let text: string;
    if (this.lineBytes === 0) {
      text = this.textOf(chunk, start, newline, true, offset);
    } else {
      this.keep(chunk, start, newline);
      const whole = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.lineBytes = 0;
      text = this.textOf(whole, 0, whole.length, true, offset);
    }
    return { kind: 'line', text, line, offset, endOffset };
  }

  /** Decodes a line, without its CR and without the byte order mark that may open the file. */
  private textOf(bytes: Buffer, start: number, end: number, stripCr: boolean, lineOffset = this.lineOffset): string {
    if (stripCr && end > start && bytes[end - 1] === CARRIAGE_RETURN) end--;
    if (lineOffset === 0 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) {
      start += 3;
    }
    return this.decode(bytes, start, end);
  }
}
