import { describe, expect, it } from 'vitest';
import { LineSplitter, type FramedLine, type OverlongLine } from './lines';

function splitAll(splitter: LineSplitter, ...chunks: (string | Buffer)[]) {
  const out: (FramedLine | OverlongLine)[] = [];
  for (const chunk of chunks) out.push(...splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  return { lines: out, tail: splitter.end() };
}

describe('LineSplitter', () => {
  it('cuts LF and CRLF lines with their numbers and byte offsets', () => {
    const { lines, tail } = splitAll(new LineSplitter(), 'ab\r\ncd\n\nef');
    expect(lines).toEqual([
      { kind: 'line', text: 'ab', line: 1, offset: 0, endOffset: 4 },
      { kind: 'line', text: 'cd', line: 2, offset: 4, endOffset: 7 },
      { kind: 'line', text: '', line: 3, offset: 7, endOffset: 8 },
    ]);
    expect(tail).toEqual({ text: 'ef', bytes: 2, line: 4, offset: 8, overlong: false });
  });

  it('drops the byte order mark at the start of the file only', () => {
    const bom = Buffer.from([0xef, 0xbb]);
    const { lines } = splitAll(new LineSplitter(), bom, Buffer.from([0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62, 0x0a]));
    expect(lines.map((l) => (l as FramedLine).text)).toEqual(['a', '\uFEFFb']);
    const resumed = splitAll(new LineSplitter({ startOffset: 100, startLine: 9 }), '\uFEFFx\n').lines[0] as FramedLine;
    expect(resumed).toEqual({ kind: 'line', text: '\uFEFFx', line: 9, offset: 100, endOffset: 105 });
  });

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const bytes = Buffer.from('张敏,王芳\n李伟\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { lines } = splitAll(new LineSplitter(), bytes.subarray(0, cut), bytes.subarray(cut));
      expect(lines.map((l) => (l as FramedLine).text)).toEqual(['张敏,王芳', '李伟']);
    }
  });

  it('rejects lines over the cap without keeping them, and goes on after them', () => {
    const splitter = new LineSplitter({ maxLineBytes: 8 });
    const { lines, tail } = splitAll(splitter, 'short\n', '0123456789', 'abcdef\nok\n', 'x'.repeat(20));
    expect(lines[0]).toMatchObject({ kind: 'line', text: 'short' });
    expect(lines[1]).toEqual({ kind: 'overlong', head: '01234567', bytes: 16, line: 2, offset: 6, endOffset: 23 });
    expect(lines[2]).toMatchObject({ kind: 'line', text: 'ok', line: 3, offset: 23 });
    expect(tail).toMatchObject({ bytes: 20, overlong: true, text: 'xxxxxxxx' });
  });

  it('accepts a line of exactly the cap, counting the CR of a CRLF ending', () => {
    const { lines } = splitAll(new LineSplitter({ maxLineBytes: 4 }), 'abcd\r\n');
    expect(lines[0]).toMatchObject({ kind: 'overlong' }); // the CR counts: 5 bytes before the LF
    const { lines: exact } = splitAll(new LineSplitter({ maxLineBytes: 4 }), 'abcd\n');
    expect(exact[0]).toMatchObject({ kind: 'line', text: 'abcd' });
  });

  it('does not depend on the caller keeping its chunk buffers unchanged', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.from('abc');
    splitter.push(chunk);
    chunk.fill(0x7a);
    expect((splitter.push(Buffer.from('d\n'))[0] as FramedLine).text).toBe('abcd');
  });

  it('decodes GB18030 when asked', () => {
    const gb = Buffer.from([0xd5, 0xc5, 0xc3, 0xf4, 0x0a]); // 张敏
    expect((splitAll(new LineSplitter({ encoding: 'gb18030' }), gb).lines[0] as FramedLine).text).toBe('张敏');
  });
});
