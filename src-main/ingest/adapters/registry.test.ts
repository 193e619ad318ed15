import { describe, expect, it } from 'vitest';
import { CDR_FORMATS } from '../../../src-shared/domain/cdr';
import { BEIJING } from './fixtures-for-tests';
import { cdrAdapters, createCdrParser, guardParser, parseCdrText } from './registry';
import { ParseOutcome, type CdrParser } from './types';

describe('registry', () => {
  it('has one adapter per format id, under its own id', () => {
    expect(Object.keys(cdrAdapters).sort()).toEqual([...CDR_FORMATS].sort());
    for (const format of CDR_FORMATS) {
      expect(cdrAdapters[format].format).toBe(format);
      expect(createCdrParser(format, BEIJING).format).toBe(format);
      expect(cdrAdapters[format].description).not.toBe('');
    }
  });

  it('turns an adapter exception into a reject that names the record, and goes on', () => {
    let calls = 0;
    const broken: CdrParser = {
      format: 'asterisk-csv',
      framing: 'line',
      push(record, into = new ParseOutcome()) {
        if (++calls === 1) throw new TypeError('boom');
        into.skip(record.position, 'ok');
        return into;
      },
      flush: () => {
        throw new Error('flush boom');
      },
      heldFrom: () => ({ line: 4 }),
    };
    const guarded = guardParser(broken);
    const first = guarded.push({ text: 'x', position: { line: 3 } });
    expect(first.rejects).toEqual([
      { raw: 'x', reason: 'line 3: could not be read (asterisk-csv adapter error: TypeError: boom)', position: { line: 3 } },
    ]);
    expect(guarded.push({ text: 'y', position: { line: 4 } }).skipped).toHaveLength(1);
    expect(guarded.flush().rejects[0]!.reason).toBe('held records could not be emitted (asterisk-csv adapter error: Error: flush boom)');
    expect(guarded.heldFrom()).toEqual({ line: 4 });
  });

  it('cuts a text into lines for line formats, and rejects lines over the cap', () => {
    const text = `${'x'.repeat(50)}\nshort`;
    const result = parseCdrText('asterisk-csv', text, BEIJING, { maxLineBytes: 20 });
    expect(result.rejects.map((r) => r.reason)).toEqual([
      'line 1: line is 50 bytes long, more than the 20 bytes accepted; only its start is kept',
      'line 2: expected 16 or more columns, found 1',
    ]);
    expect(result.rejects[0]!.raw).toBe('x'.repeat(20));
  });

  it('takes a JSON-lines body line by line, and a pretty-printed JSON body whole', () => {
    const lines = '{"event":"NewCdr","callid":"1","timestart":"2026-03-02 09:00:00","callduraction":"5","talkduraction":"3"}\n{"event":"NewCdr","callid":"2","timestart":"2026-03-02 09:01:00","callduraction":"5","talkduraction":"0"}\n';
    expect(parseCdrText('yeastar', lines, BEIJING).cdrs.map((c) => c.position)).toEqual([
      { line: 1, offset: 0 },
      { line: 2, offset: 106 },
    ]);
    const pretty = JSON.stringify(JSON.parse(lines.split('\n')[0]!), null, 2);
    expect(parseCdrText('yeastar', pretty, BEIJING).cdrs.map((c) => c.position)).toEqual([{ offset: 0 }]);
  });
});
