import { describe, expect, it } from 'vitest';
import { BEIJING, isoOf, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

describe('yeastar: S-series NewCdr (API v2)', () => {
  const result = parseFixture('yeastar', 'yeastar-newcdr.jsonl');

  it("reads the four calls with Yeastar's spellings", () => {
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.duration, c.billsec, c.disposition, c.direction])).toEqual([
      ['1772414102.77', '8001', '02150001234', 129, 122, 'answered', 'outbound'],
      ['1772414400.80', '8002', '13800138000', 65, 61, 'answered', 'outbound'],
      ['1772416800.91', '8003', '8004', 303, 300, 'answered', 'internal'],
      ['1772424000.99', '8002', '62345678', 25, 0, 'no_answer', 'outbound'],
    ]);
  });

  it('derives answer and end from the start and the two durations', () => {
    const [first, , , missed] = result.cdrs;
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    expect(missed!.answerMs).toBeNull();
    expect(first!.trunkOut).toBe('CN-Unicom');
  });

  it('takes pincode as the card number', () => {
    expect(result.cdrs[1]!.pin).toBe('700123');
    expect(result.cdrs[0]!.pin).toBeUndefined();
  });
});

describe('yeastar: P-series event 30012 and the cloud spelling', () => {
  const result = parseFixture('yeastar', 'yeastar-p-series.jsonl');

  it('reads msg given as a JSON string inside the JSON, and as an object', () => {
    expect(result.cdrs.map((c) => [c.nativeId, c.dedupKey, c.caller, c.callee, c.billsec, c.direction, c.disposition])).toEqual([
      ['1772414102.362', expect.stringMatching(/^1772414102\.362#[0-9a-f]{32}$/), '8001', '02150001234', 122, 'outbound', 'answered'],
      ['1772416900.370', expect.stringMatching(/^1772416900\.370#[0-9a-f]{32}$/), '013912345678', '8003', 0, 'inbound', 'no_answer'],
      ['1772417000.372', expect.stringMatching(/^1772417000\.372#[0-9a-f]{32}$/), '8001', '8004', 10, 'internal', 'answered'],
    ]);
    expect(isoOf(result.cdrs[0]!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(result.cdrs[0]).toMatchObject({ pin: '700123', trunkOut: 'CN-Unicom' });
    expect(result.cdrs[0]!.trunkIn).toBeUndefined(); // " " is empty
    expect(result.cdrs[1]).toMatchObject({ trunkIn: 'CN-Unicom', originalCallee: '66668888' });
  });

  it('skips events that are not call records, and rejects a broken msg', () => {
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'P-series event 30011 is not a call record',
      'event ExtensionStatus is not a call record',
    ]);
    expect(result.rejects.map((r) => r.reason)).toEqual([expect.stringMatching(/^line 4: field msg: not JSON \(/)]);
  });

  it('reads a pretty-printed HTTP body as one record', () => {
    const body = '{\n  "event": "NewCdr",\n  "callid": "1.1",\n  "timestart": "2026-03-02 09:00:00",\n  "callfrom": "8001",\n  "callto": "8002",\n  "callduraction": "5",\n  "talkduraction": "3",\n  "status": "ANSWERED",\n  "type": "Internal"\n}\n';
    const parsed = parseCdrText('yeastar', body, BEIJING);
    expect(parsed.cdrs).toHaveLength(1);
    expect(parsed.cdrs[0]!.position).toEqual({ offset: 0 });
  });

  it('rejects a record without a start or with a bad duration', () => {
    expect(parseCdrText('yeastar', '{"event":"NewCdr","callid":"1"}', BEIJING).rejects[0]!.reason).toBe('field timestart: missing');
    expect(
      parseCdrText('yeastar', '{"event":"NewCdr","timestart":"2026-03-02 09:00:00","callduraction":"5s"}', BEIJING).rejects[0]!.reason,
    ).toBe("field callduraction: '5s' is not a whole number of seconds");
    expect(parseCdrText('yeastar', '"NewCdr"', BEIJING).rejects[0]!.reason).toBe('expected a JSON object or array, found a string');
  });
});

describe('yeastar: CSV with a header line (a collector\'s database export, the PBX\'s CDR download)', () => {
  it('skips each header line as a header and reads the lines after it by its names; NULL is empty', () => {
    const result = parseFixture('yeastar', 'yeastar-collector.csv');
    expect(result.skipped.map((s) => [s.position.line, s.reason])).toEqual([
      [1, 'header line'],
      [5, 'header line'],
    ]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.duration, c.billsec, c.direction, c.disposition, c.trunkIn ?? '', c.trunkOut ?? '', c.pin ?? ''])).toEqual([
      ['1772414102.77', '8001', '02150001234', 129, 122, 'outbound', 'answered', '', 'CN-Unicom', ''],
      ['1772414400.80', '8002', '13800138000', 65, 61, 'outbound', 'answered', '', 'CN-Unicom', '700123'],
      ['1772416900.370', '013912345678', '8003', 20, 0, 'inbound', 'no_answer', 'CN-Unicom', '', ''],
      ['1772416800.91', '8003', '8004', 303, 300, 'internal', 'answered', '', '', ''],
    ]);
    expect(result.cdrs[2]!.originalCallee).toBe('66668888');
    // The same call as the JSON event: the same dedup key, whichever way it came in.
    const json = parseFixture('yeastar', 'yeastar-newcdr.jsonl');
    expect(result.cdrs[0]!.dedupKey).toBe(json.cdrs[0]!.dedupKey);
    expect(result.rejects.map((r) => r.reason)).toEqual(['line 7: expected 14 columns (as the header line names), found 13']);
  });

  it("reads the download's column names, parties written Name<number>, durations as H:MM:SS", () => {
    const text = [
      'ID,Time,Call From,Call To,Call Duration,Ring Duration,Talk Duration,Status,Reason,Source Trunk,Destination Trunk,Communication Type,DID/DDI,PIN Code',
      '1772414102.77,2026-03-02 09:15:02,Li Wei<8001>,02150001234,00:02:09,7,00:02:02,ANSWERED,,,CN-Unicom,Outbound,,',
    ].join('\n');
    const result = parseCdrText('yeastar', text, BEIJING);
    expect(result.skipped.map((s) => s.reason)).toEqual(['header line']);
    expect(result.cdrs.map((c) => [c.caller, c.callerName, c.callee, c.duration, c.billsec, c.direction, c.trunkOut])).toEqual([
      ['8001', 'Li Wei', '02150001234', 129, 122, 'outbound', 'CN-Unicom'],
    ]);
  });

  it('rejects CSV without a header before it, and a CSV line with a bad quote or a field of the wrong kind', () => {
    expect(parseCdrText('yeastar', '1.1,2026-03-02 09:00:00,8001,8002,5,3', BEIJING).rejects[0]!.reason).toMatch(/^not JSON \(/);
    const header = 'callid,timestart,callfrom,callto,callduraction,talkduraction';
    const result = parseCdrText('yeastar', `${header}\n1.1,2026-03-02 09:00:00,8001,"8002,5,3\n1.2,2026-03-02 09:00:00,8001,8002,5s,3`, BEIJING);
    expect(result.cdrs).toEqual([]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^line 2: column 4: /),
      "line 3: field callduraction: '5s' is not a whole number of seconds",
    ]);
  });
});
