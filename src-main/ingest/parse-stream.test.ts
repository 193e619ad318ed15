import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CdrFormat, DeviceContext } from '../../src-shared/domain/cdr';
import { BEIJING, BERLIN, fixturePath, fixtureText } from './adapters/fixtures-for-tests';
import { createCdrParser, parseCdrText } from './adapters/registry';
import { parseCdrStream, type ParseBatch, type ParseStreamOptions } from './parse-stream';

async function* chunksOf(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function collect(
  format: CdrFormat,
  input: AsyncIterable<Buffer | string>,
  device: DeviceContext = BEIJING,
  options: ParseStreamOptions = {},
): Promise<ParseBatch[]> {
  const batches: ParseBatch[] = [];
  for await (const batch of parseCdrStream(input, createCdrParser(format, device), options)) batches.push(batch);
  return batches;
}

const merged = (batches: ParseBatch[]) => ({
  cdrs: batches.flatMap((b) => b.cdrs),
  rejects: batches.flatMap((b) => b.rejects),
  skipped: batches.flatMap((b) => b.skipped),
});

describe('parseCdrStream: line formats', () => {
  const edge = fs.readFileSync(fixturePath('asterisk-edge-berlin.csv'));
  const reference = parseCdrText('asterisk-csv', edge.toString('utf8'), BERLIN);

  it('gives the same records as parsing the whole text, for a cut at every byte position', async () => {
    expect(reference.cdrs.length + reference.rejects.length).toBe(9);
    for (let cut = 0; cut <= edge.length; cut++) {
      const batches = await collect('asterisk-csv', chunksOf(edge, [cut]), BERLIN);
      expect(merged(batches)).toEqual(reference);
      expect(batches.at(-1)!.endOffset).toBe(edge.length);
    }
  });

  it('gives the same records for any three cuts, and for one-byte chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: edge.length }), { minLength: 3, maxLength: 3 }), async (cuts) => {
        expect(merged(await collect('asterisk-csv', chunksOf(edge, cuts), BERLIN))).toEqual(reference);
      }),
      { numRuns: 100 },
    );
    const oneByte = Array.from({ length: edge.length - 1 }, (_, i) => i + 1);
    expect(merged(await collect('asterisk-csv', chunksOf(edge, oneByte), BERLIN))).toEqual(reference);
  });

  it('records byte offsets that point at each line in the file', async () => {
    const { cdrs } = merged(await collect('asterisk-csv', fs.createReadStream(fixturePath('asterisk-master.csv'), { highWaterMark: 64 })));
    const file = fs.readFileSync(fixturePath('asterisk-master.csv'));
    for (const cdr of cdrs) {
      const offset = cdr.position.offset!;
      expect(file.subarray(offset, offset + Buffer.byteLength(cdr.raw)).toString('utf8')).toBe(cdr.raw);
    }
    expect(cdrs).toHaveLength(7);
  });

  it('yields batches of the asked size, each with the offset after its last line; the last one is marked done', async () => {
    const batches = await collect('asterisk-csv', Readable.from([fixtureText('asterisk-master.csv')]), BEIJING, { batchLines: 3 });
    expect(batches.map((b) => [b.lines, b.cdrs.length, b.rejects.length, b.done])).toEqual([
      [3, 3, 0, false],
      [3, 3, 0, false],
      [2, 1, 1, true],
    ]);
    const file = fs.readFileSync(fixturePath('asterisk-master.csv'));
    const lineEnds = [...file.entries()].filter(([, byte]) => byte === 0x0a).map(([i]) => i + 1);
    expect(batches.map((b) => b.endOffset)).toEqual([lineEnds[2], lineEnds[5], lineEnds[7]]);
    expect(batches.every((b) => b.resumeOffset === b.endOffset)).toBe(true);
  });

  it('yields what has arrived after each chunk of a live connection, without waiting for a full batch', async () => {
    const [l1, l2, l3] = fixtureText('asterisk-master.csv').split('\n');
    async function* connection() {
      yield `${l1}\n${l2!.slice(0, 10)}`;
      yield `${l2!.slice(10)}\n`;
      yield `${l3}\n`;
    }
    const batches = await collect('asterisk-csv', connection(), BEIJING, { liveInput: true });
    expect(batches.map((b) => [b.lines, b.cdrs.length, b.done])).toEqual([
      [1, 1, false],
      [1, 1, false],
      [1, 1, false],
      [0, 0, true],
    ]);
    const fileLike = await collect('asterisk-csv', connection(), BEIJING);
    expect(fileLike.map((b) => [b.lines, b.done])).toEqual([[3, true]]);
  });

  it('rejects a line over the cap, keeping only its start, and reads the next lines', async () => {
    const long = `"${'9'.repeat(5000)}"`;
    const text = `${long}\n${fixtureText('asterisk-master.csv')}`;
    const { cdrs, rejects } = merged(await collect('asterisk-csv', chunksOf(Buffer.from(text), [100, 4000]), BEIJING, { maxLineBytes: 1024 }));
    expect(rejects[0]).toEqual({
      raw: long.slice(0, 1024),
      reason: 'line 1: line is 5002 bytes long, more than the 1024 bytes accepted; only its start is kept',
      position: { line: 1, offset: 0 },
    });
    expect(cdrs).toHaveLength(7);
    expect(cdrs[0]!.position).toEqual({ line: 2, offset: 5003 });
  });
});

describe('parseCdrStream: the last line and growing files', () => {
  const lines = fixtureText('asterisk-master.csv').split('\n').filter(Boolean);
  const firstTwo = `${lines[0]}\n${lines[1]}\n`;
  const cutThird = lines[2]!.slice(0, 40);

  it('parses a last line without newline when the input is complete, and says so', async () => {
    const batches = await collect('asterisk-csv', Readable.from([firstTwo + lines[2]]));
    const last = batches.at(-1)!;
    expect(merged(batches).cdrs).toHaveLength(3);
    expect(last.unterminated).toEqual({ text: lines[2], line: 3, offset: Buffer.byteLength(firstTwo), bytes: Buffer.byteLength(lines[2]!), parsed: true });
    expect(last.endOffset).toBe(Buffer.byteLength(firstTwo + lines[2]));
  });

  it('leaves a cut last line for the next read of a growing file, and reads it once when complete', async () => {
    const first = await collect('asterisk-csv', Readable.from([firstTwo + cutThird]), BEIJING, { endOfInput: 'may-grow' });
    const last = first.at(-1)!;
    expect(merged(first).cdrs).toHaveLength(2);
    expect(merged(first).rejects).toEqual([]);
    expect(last.unterminated).toMatchObject({ text: cutThird, parsed: false });
    expect(last.resumeOffset).toBe(Buffer.byteLength(firstTwo));

    const grown = Buffer.from(`${firstTwo}${lines[2]}\n${lines[3]}\n`);
    const rest = grown.subarray(last.resumeOffset);
    const second = await collect('asterisk-csv', Readable.from([rest]), BEIJING, { endOfInput: 'may-grow', startOffset: last.resumeOffset, startLine: 3 });
    const cdrs = merged(second).cdrs;
    expect(cdrs.map((c) => c.position)).toEqual([
      { line: 3, offset: Buffer.byteLength(firstTwo) },
      { line: 4, offset: Buffer.byteLength(`${firstTwo}${lines[2]}\n`) },
    ]);
    expect(cdrs[0]!.raw).toBe(lines[2]);
    expect(second.at(-1)!.unterminated).toBeUndefined();
    expect(second.at(-1)!.resumeOffset).toBe(grown.length);
  });

  it('resumes a growing SMDR file at the first record of a call still open', async () => {
    const text = fixtureText('ipoffice-smdr-transfer.txt');
    const [l1, l2, l3, l4] = text.split('\n');
    const upToOpenCall = `${l1}\n${l2}\n${l3}\n${l4}\n`;
    const batches = await collect('ipoffice-smdr', Readable.from([upToOpenCall]), BEIJING, { endOfInput: 'may-grow' });
    const last = batches.at(-1)!;
    expect(merged(batches).cdrs.map((c) => c.nativeId)).toEqual(['1000051', '1000050']);
    expect(last.endOffset).toBe(Buffer.byteLength(upToOpenCall));
    expect(last.resumeOffset).toBe(Buffer.byteLength(`${l1}\n${l2}\n${l3}\n`));
    const complete = await collect('ipoffice-smdr', Readable.from([upToOpenCall]), BEIJING);
    expect(merged(complete).cdrs.map((c) => c.nativeId)).toEqual(['1000051', '1000050', '1000052']);
    expect(complete.at(-1)!.resumeOffset).toBe(complete.at(-1)!.endOffset);
  });

  it('reads a real file stream from disk in small chunks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdr-stream-'));
    try {
      const file = path.join(dir, 'Master.csv');
      fs.writeFileSync(file, fixtureText('asterisk-master-uniqueid.csv').repeat(50));
      const batches = await collect('asterisk-csv', fs.createReadStream(file, { highWaterMark: 97 }), BEIJING, { batchLines: 40 });
      expect(merged(batches).cdrs).toHaveLength(150);
      expect(new Set(merged(batches).cdrs.map((c) => c.dedupKey)).size).toBe(2);
      expect(batches.at(-1)!.endOffset).toBe(fs.statSync(file).size);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseCdrStream: document formats', () => {
  it('reads a document body arriving in chunks as one record', async () => {
    const xml = Buffer.from(fixtureText('freeswitch-xml-cdr.xml'));
    const batches = await collect('freeswitch-xml', chunksOf(xml, [10, 200, 201]));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ done: true, lines: 1, endOffset: xml.length });
    expect(batches[0]!.cdrs[0]!.nativeId).toBe('8d0e1f2a-3b4c-4d5e-8f60-718293a4b5c6');
  });

  it('rejects a body over the size cap without parsing it', async () => {
    const xml = Buffer.from(fixtureText('freeswitch-xml-cdr.xml'));
    const [batch] = await collect('freeswitch-xml', chunksOf(xml, [100]), BEIJING, { maxDocumentBytes: 300 });
    expect(batch!.cdrs).toEqual([]);
    expect(batch!.rejects[0]!.reason).toBe(`body is ${xml.length} bytes, more than the 300 bytes accepted`);
    expect(batch!.rejects[0]!.raw).toBe(xml.subarray(0, 300).toString('utf8'));
  });

  it('yields one empty, done batch for an empty input', async () => {
    expect(await collect('freeswitch-json', Readable.from([]))).toEqual([
      { cdrs: [], rejects: [], skipped: [], endOffset: 0, resumeOffset: 0, lines: 0, done: true },
    ]);
    expect(await collect('3cx', Readable.from([]))).toEqual([
      { cdrs: [], rejects: [], skipped: [], endOffset: 0, resumeOffset: 0, lines: 0, done: true },
    ]);
  });
});
