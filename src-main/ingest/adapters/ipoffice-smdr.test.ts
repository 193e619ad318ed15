import { describe, expect, it } from 'vitest';
import { BEIJING, fixtureText, isoOf, parseFixture } from './fixtures-for-tests';
import { createCdrParser } from './registry';

describe('ipoffice-smdr', () => {
  it('reads the sample: one record per call', () => {
    const result = parseFixture('ipoffice-smdr', 'ipoffice-smdr.txt');
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.dedupKey, c.caller, c.callerName, c.callee, c.billsec, c.duration, c.direction, c.trunkOut ?? ''])).toEqual([
      ['1000042:1772442902000', '8001', 'Li Wei', '902150001234', 122, 129, 'outbound', 'T9001'],
      ['1000043:1772443200000', '8002', 'Zhang Min', '913800138000', 61, 65, 'outbound', 'T9001'],
      ['1000044:1772445600000', '8003', 'Wang Fang', '8004', 300, 303, 'internal', ''],
    ]);
    const [first] = result.cdrs;
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    expect(first!.joinedRecords).toBeUndefined();
  });

  it('joins the records of a transferred call by call id, across other calls in between', () => {
    const parser = createCdrParser('ipoffice-smdr', BEIJING);
    const lines = fixtureText('ipoffice-smdr-transfer.txt').split('\n');
    const step = (i: number) => parser.push({ text: lines[i]!, position: { line: i + 1 } });

    const first = step(0);
    expect(first.cdrs).toEqual([]);
    expect(parser.heldFrom()).toEqual({ line: 1 });
    expect(step(1).cdrs.map((c) => c.nativeId)).toEqual(['1000051']);
    const joined = step(2).cdrs;
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({
      nativeId: '1000050',
      caller: '013912345678',
      callerName: '',
      callee: '66668888',
      originalCallee: '8001',
      finalCallee: '8002',
      billsec: 210,
      duration: 233,
      direction: 'inbound',
      trunkIn: 'T9002',
      disposition: 'answered',
      joinedRecords: 2,
      position: { line: 1 },
      raw: `${lines[0]}\n${lines[2]}`,
    });
    expect(isoOf(joined[0]!.answerMs)).toBe('2026-03-02T06:00:05.000Z');
    expect(parser.heldFrom()).toBeNull();

    expect(step(3).cdrs).toEqual([]);
    expect(parser.heldFrom()).toEqual({ line: 4 });
    expect(step(4).rejects.map((r) => r.reason)).toEqual(['line 5: expected 11 or more columns, found 6']);
    const flushed = parser.flush();
    expect(flushed.cdrs.map((c) => [c.nativeId, c.direction, c.billsec])).toEqual([['1000052', 'internal', 30]]);
    expect(parser.heldFrom()).toBeNull();
  });

  it('marks an unanswered call as no answer', () => {
    const result = parseFixture('ipoffice-smdr', 'ipoffice-smdr-transfer.txt');
    const missed = result.cdrs.find((c) => c.nativeId === '1000051')!;
    expect(missed).toMatchObject({ answerMs: null, billsec: 0, duration: 20, disposition: 'no_answer', direction: 'outbound' });
    expect(result.cdrs).toHaveLength(3);
    expect(result.rejects).toHaveLength(1);
  });

  it('rejects a bad connected time', () => {
    const parser = createCdrParser('ipoffice-smdr', BEIJING);
    const out = parser.push({ text: '2026/03/02 09:15:02,2 min,7,8001,O,9021,9021,,0,1000042,0,E8001,Li Wei,T9001,Line 1.1,0,0', position: { line: 3 } });
    expect(out.rejects[0]!.reason).toBe("line 3: field connected time: '2 min' is not a duration (HH:MM:SS)");
  });
});
