import { describe, expect, it } from 'vitest';
import { BEIJING, BERLIN, isoOf, NEW_YORK, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

describe('asterisk-csv: Master.csv sample (16 columns)', () => {
  const result = parseFixture('asterisk-csv', 'asterisk-master.csv');

  it('reads seven calls and rejects the garbage line, saying where and why', () => {
    expect(result.cdrs).toHaveLength(7);
    expect(result.rejects).toEqual([
      { raw: 'this line is not a CDR at all', reason: 'line 7: expected 16 or more columns, found 1', position: { line: 7, offset: 1468 } },
    ]);
    expect(result.cdrs.map((c) => c.position.line)).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });

  it('normalizes row 1 as in the README worked example', () => {
    const [first] = result.cdrs;
    expect(first).toMatchObject({
      deviceId: 'pbx-beijing',
      format: 'asterisk-csv',
      nativeId: null,
      caller: '8001',
      callerName: 'Li Wei',
      callee: '902150001234',
      duration: 129,
      billsec: 122,
      direction: 'outbound',
      trunkOut: 'trunk-cn',
      disposition: 'answered',
      accountCode: 'ent-a',
    });
    expect(isoOf(first!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(isoOf(first!.answerMs)).toBe('2026-03-02T01:15:09.000Z');
    expect(isoOf(first!.endMs)).toBe('2026-03-02T01:17:11.000Z');
    expect(first!.raw).toBe(
      '"ent-a","8001","902150001234","from-internal","""Li Wei"" <8001>","PJSIP/8001-00000001","PJSIP/trunk-cn-00000002","Dial","PJSIP/02150001234@trunk-cn,60,tT","2026-03-02 09:15:02","2026-03-02 09:15:09","2026-03-02 09:17:11",129,122,"ANSWERED","DOCUMENTATION"',
    );
    expect(first!.dedupKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads each row: callee, billsec, disposition, direction', () => {
    expect(result.cdrs.map((c) => [c.caller, c.callee, c.billsec, c.disposition, c.direction])).toEqual([
      ['8001', '902150001234', 122, 'answered', 'outbound'],
      ['8002', '913800138000', 61, 'answered', 'outbound'],
      ['8003', '8004', 300, 'answered', 'internal'],
      ['8001', '90044207946000', 600, 'answered', 'outbound'],
      ['8002', '962345678', 0, 'no_answer', 'outbound'],
      ['8003', '9110', 60, 'answered', 'outbound'],
      ['8001', '913912345678', 180, 'answered', 'outbound'],
    ]);
  });

  it('keeps a comma inside a quoted caller name, and an empty answer time as unanswered', () => {
    const unanswered = result.cdrs[4]!;
    expect(unanswered.callerName).toBe('Zhang, Min');
    expect(unanswered.answerMs).toBeNull();
    expect(isoOf(unanswered.endMs)).toBe('2026-03-02T04:00:25.000Z');
  });

  it('gives different calls different hash keys, and the same record the same key on every run', () => {
    const keys = result.cdrs.map((c) => c.dedupKey);
    expect(new Set(keys).size).toBe(7);
    expect(parseFixture('asterisk-csv', 'asterisk-master.csv').cdrs.map((c) => c.dedupKey)).toEqual(keys);
  });
});

describe('asterisk-csv: with uniqueid and userfield (18 columns)', () => {
  const result = parseFixture('asterisk-csv', 'asterisk-master-uniqueid.csv');

  it('uses uniqueid as the native id, and uniqueid plus a hash of the fields as the dedup key', () => {
    expect(result.cdrs.map((c) => c.nativeId)).toEqual(['1772524800.17', '1772525400.19', '1772525400.19']);
    expect(result.cdrs[0]!.dedupKey).toMatch(/^1772524800\.17#[0-9a-f]{32}$/);
    expect(result.cdrs[0]!.accountCode).toBeUndefined();
  });

  it('gives the exact duplicate last record the same dedup key as the one before', () => {
    const [, second, third] = result.cdrs;
    expect(third!.dedupKey).toBe(second!.dedupKey);
    expect({ ...third, position: undefined, raw: undefined }).toEqual({ ...second, position: undefined, raw: undefined });
    expect(third!.position).toEqual({ line: 3, offset: second!.position.offset! + second!.raw.length + 1 });
  });
});

describe('asterisk-csv: edge cases (Europe/Berlin, BOM, CRLF, Chinese names, 17/18/21 columns)', () => {
  const result = parseFixture('asterisk-csv', 'asterisk-edge-berlin.csv', BERLIN);
  const byLine = (line: number) => result.cdrs.find((c) => c.position.line === line)!;

  it('reads five calls and rejects four bad lines with what and where', () => {
    expect(result.cdrs.map((c) => c.position.line)).toEqual([1, 2, 3, 4, 5]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      'line 6: expected 16 or more columns, found 6',
      "line 7: field start: '2026-13-02 10:00:00' is not a date and time (YYYY-MM-DD HH:MM:SS)",
      'line 8: expected 16 or more columns, found 5',
      "line 9: field billsec: 'zero' is not a whole number of seconds",
    ]);
  });

  it('drops the BOM and CR, and reads UTF-8 names', () => {
    expect(byLine(1).raw.startsWith('"ent-b"')).toBe(true);
    expect(byLine(1).raw.endsWith('"1774745940.33"')).toBe(true);
    expect(byLine(1).callerName).toBe('张敏');
    expect(byLine(2).callerName).toBe('王芳');
    expect(byLine(3).callerName).toBe('O"Brien');
  });

  it('reads a call across the spring jump with the right offsets on each side', () => {
    const call = byLine(1);
    expect([isoOf(call.startMs), isoOf(call.answerMs), isoOf(call.endMs)]).toEqual([
      '2026-03-29T00:59:00.000Z',
      '2026-03-29T01:00:05.000Z',
      '2026-03-29T01:02:05.000Z',
    ]);
    expect(call.nativeId).toBe('1774745940.33');
  });

  it('reads the repeated autumn hour as its earlier instant, and trusts durations when stamps disagree', () => {
    expect(isoOf(byLine(2).startMs)).toBe('2026-10-25T00:30:00.000Z');
    const across = byLine(5);
    expect([isoOf(across.startMs), isoOf(across.answerMs), isoOf(across.endMs)]).toEqual([
      '2026-10-25T00:50:00.000Z',
      '2026-10-25T00:50:10.000Z',
      '2026-10-25T01:05:00.000Z',
    ]);
  });

  it('names the 18-column extras uniqueid and userfield, and BUSY as busy', () => {
    expect(byLine(2)).toMatchObject({ nativeId: '1792881000.35', disposition: 'busy', direction: 'internal', billsec: 0 });
  });

  it('keys newcdrcolumns records by uniqueid and sequence, and reads an inbound trunk call', () => {
    expect(byLine(3)).toMatchObject({
      nativeId: '1782892800.37',
      dedupKey: '1782892800.37:2',
      direction: 'inbound',
      trunkIn: 'trunk-cn',
      caller: '013912345678',
      callee: '8101',
    });
    expect(isoOf(byLine(3).startMs)).toBe('2026-07-01T06:00:00.000Z'); // CEST
  });

  it('reads a call across the new year in winter time', () => {
    expect(isoOf(byLine(4).startMs)).toBe('2026-12-31T22:59:30.000Z');
    expect(isoOf(byLine(4).endMs)).toBe('2026-12-31T23:00:40.000Z');
  });
});

describe('asterisk-csv: layouts and zones', () => {
  const base =
    '"","8001","902150001234","from-internal","""Li Wei"" <8001>","PJSIP/8001-00000001","PJSIP/trunk-cn-00000002","Dial","x","2026-11-01 01:30:00","2026-11-01 01:30:05","2026-11-01 01:32:05",125,120,"ANSWERED","DOCUMENTATION"';

  it('tells a 17th column uniqueid from a 17th column userfield by its shape', () => {
    expect(parseCdrText('asterisk-csv', `${base},"pbx1-1772414102.26"`, BEIJING).cdrs[0]!.nativeId).toBe('pbx1-1772414102.26');
    expect(parseCdrText('asterisk-csv', `${base},"project-x"`, BEIJING).cdrs[0]!.nativeId).toBeNull();
    expect(parseCdrText('asterisk-csv', `${base},"","","1772414102.26",1`, BEIJING).cdrs[0]!.nativeId).toBeNull();
  });

  it('reads the same local text per device zone (New York repeated hour -> EDT)', () => {
    const ny = parseCdrText('asterisk-csv', base, NEW_YORK).cdrs[0]!;
    expect(isoOf(ny.startMs)).toBe('2026-11-01T05:30:00.000Z');
    const beijing = parseCdrText('asterisk-csv', base, BEIJING).cdrs[0]!;
    expect(isoOf(beijing.startMs)).toBe('2026-10-31T17:30:00.000Z');
  });

  it('rejects every local time of a device whose zone is not an IANA zone', () => {
    const result = parseCdrText('asterisk-csv', base, { deviceId: 'x', timeZone: 'CST' });
    expect(result.cdrs).toHaveLength(0);
    expect(result.rejects[0]!.reason).toBe("line 1: field start: cannot read local time: device time zone 'CST' is not an IANA time zone (e.g. Asia/Shanghai)");
  });

  it('rejects talk time longer than the whole call', () => {
    const line = base.replace('"2026-11-01 01:30:05","2026-11-01 01:32:05",125,120', '"2026-11-01 01:29:00","2026-11-01 01:30:10",10,70');
    expect(parseCdrText('asterisk-csv', line, BEIJING).rejects[0]!.reason).toBe('line 1: field billsec: 70 s is longer than the whole call (10 s)');
  });

  it("takes the PBX's own console (Console/dsp, the Asterisk test suite's caller) for a phone inside, not a trunk", () => {
    const line = '"","","1","default","","Console/dsp","","Hangup","","2010-04-02 00:26:32","2010-04-02 00:26:32","2010-04-02 00:26:39",7,7,"ANSWERED","DOCUMENTATION","1270167992.0",""';
    const [call] = parseCdrText('asterisk-csv', line, BEIJING).cdrs;
    expect(call!.trunkIn).toBeUndefined();
    expect(call!.directionReason).toMatch(/^channel 'Console\/dsp' is the PBX's own console; /);
    const toTrunk = line.replace('"Console/dsp",""', '"Console/dsp","SIP/carrier-0000002a"').replace('"","1","default"', '"","013912345678","default"');
    expect(parseCdrText('asterisk-csv', toTrunk, BEIJING).cdrs[0]).toMatchObject({ direction: 'outbound', trunkOut: 'carrier' });
    expect(parseCdrText('asterisk-csv', toTrunk, BEIJING).cdrs[0]!.trunkIn).toBeUndefined();
  });
});

describe('asterisk-json: cdr_custom JSON lines', () => {
  const result = parseFixture('asterisk-json', 'asterisk-cdr-custom.jsonl');

  it('reads objects and arrays of objects, with CDR() names and common aliases', () => {
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.billsec, c.disposition])).toEqual([
      ['1772414102.1', '8001', '902150001234', 122, 'answered'],
      ['1772414400.3', '8002', '913800138000', 61, 'answered'],
      ['1772424000.9', '8002', '962345678', 0, 'no_answer'],
      ['1772425800.11', '8003', '9110', 60, 'answered'],
    ]);
    expect(result.cdrs[2]!.position).toEqual({ line: 3, offset: expect.any(Number), index: 0 });
    expect(result.cdrs[3]!.position.index).toBe(1);
  });

  it('reads local stamps in the device zone and epoch stamps as UTC', () => {
    expect(isoOf(result.cdrs[0]!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(isoOf(result.cdrs[1]!.startMs)).toBe('2026-03-02T01:20:00.123Z');
    expect(isoOf(result.cdrs[1]!.answerMs)).toBe('2026-03-02T01:20:04.500Z');
    expect(result.cdrs[1]!.callerName).toBe('张敏');
    expect(result.cdrs[0]).toMatchObject({ callerName: 'Li Wei', direction: 'outbound', trunkOut: 'trunk-cn', accountCode: 'ent-a' });
  });

  it('rejects a line that is not JSON and a record without a start', () => {
    expect(result.rejects.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^line 4: not JSON \(/),
      'line 5: field start: missing (expected start or calldate)',
    ]);
  });
});
