import { describe, expect, it } from 'vitest';
import { BEIJING, fixtureText, isoOf, parseFixture } from './fixtures-for-tests';
import { createCdrParser, parseCdrText } from './registry';

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
    expect(step(4).rejects.map((r) => r.reason)).toEqual(['line 5: expected 30, 34 or 35 columns (17 in the short layout), found 6']);
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

describe('ipoffice-smdr: files collectors write', () => {
  it("skips the collector's header line (a header, not a reject) and reads 34-column records", () => {
    const result = parseFixture('ipoffice-smdr', 'ipoffice-smdr-collector-header.txt');
    expect(result.skipped).toEqual([{ position: { line: 1, offset: 0 }, reason: 'header line' }]);
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.direction, c.billsec, c.duration, c.trunkIn ?? '', c.trunkOut ?? ''])).toEqual([
      ['1005724', '8003', '8004', 'internal', 20, 27, '', ''],
      ['1005727', '8001', '902150001234', 'outbound', 122, 129, '', 'T9005'],
      ['1005728', '8002', '?8002', 'outbound', 15, 15, '', ''],
      ['1005817', '', '8002', 'inbound', 0, 26, 'T9005', ''],
      ['1005855', '8001', '*17', 'internal', 0, 0, '', ''],
    ]);
  });

  it('recognises the headers collectors write in their spellings, and no data line as one', () => {
    const record = '2026/03/02 09:15:02,00:02:02,7,8001,O,902150001234,902150001234,,0,1000042,0,E8001,Li Wei,T9001,Line 1.1,0,0';
    const headers = [
      'Call Start,Connected Time,Ring Time,Caller,Direction,Called Number,Dialled Number,Account,Is Internal,Call ID,Continuation,Party1Device,Party1Name,Party2Device,Party2Name,Hold Time,Park Time,AuthValid,AuthCode,UserCharged,CallCharge,Currency,AmountAtLastUserChange,CallUnits,UnitsAtLastUserChange,CostPerUnit,MarkUp,ExternalTargetingCause,ExternalTargeterId,ExternalTargetedNumber',
      'datetime,duration,ringtime,caller,direction,called,dialled,account,isinternal,callid,cont,p1device,p1name,p2device,p2name,holdtime,parktime,authvalid,authcode,usercharged,callcharge,currency,aocamount,callunits,aocunits,costperunit,markup,exttargettingcause,exttargeterid,exttargetednumber,ip1,port1,ip2,port2',
      'Call Start,Connected Time,Ring Time,Caller,Call Direction,Dialed Number',
    ];
    for (const header of headers) {
      const result = parseCdrText('ipoffice-smdr', `${header}\n${record}\n${header}`, BEIJING);
      expect(result.skipped.map((s) => [s.position.line, s.reason])).toEqual([[1, 'header line'], [3, 'header line']]);
      expect(result.cdrs).toHaveLength(1);
      expect(result.rejects).toEqual([]);
    }
    // Text that names no SMDR column is no header: it is a reject with its reason.
    expect(parseCdrText('ipoffice-smdr', 'hello,world', BEIJING).rejects.map((r) => r.reason)).toEqual([
      'line 1: expected 30, 34 or 35 columns (17 in the short layout), found 2',
    ]);
  });

  it('rejects column counts no layout has and fields of the wrong kind; NULL is an empty field', () => {
    const base = '2026/03/02 09:15:02,00:02:02,7,8001,O,902150001234,902150001234,,0,1000042,0,E8001,Li Wei,T9001,Line 1.1,0,0';
    const withField = (index: number, value: string) => base.split(',').map((f, i) => (i === index ? value : f)).join(',');
    const lines = [
      `${base},`, // 18
      `${base}${',x'.repeat(83)}`, // 100
      withField(4, 'X'),
      withField(8, 'yes'),
      withField(9, 'abc'),
      withField(10, '2'),
      withField(2, 'seven'),
      withField(7, 'NULL'),
    ];
    // A 34-column record whose columns slid by one (the called number doubled, the last column lost).
    const full = fixtureText('ipoffice-smdr-collector-header.txt').split('\n')[2]!.split(',');
    lines.push([...full.slice(0, 6), ...full.slice(5, -1)].join(','));
    const result = parseCdrText('ipoffice-smdr', lines.join('\n'), BEIJING);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      'line 1: expected 30, 34 or 35 columns (17 in the short layout), found 18',
      'line 2: expected 30, 34 or 35 columns (17 in the short layout), found 100',
      "line 3: field direction: 'X' is not I or O",
      "line 4: field is internal: 'yes' is not 0 or 1",
      "line 5: field call id: 'abc' is not a number",
      "line 6: field continuation: '2' is not 0 or 1",
      "line 7: field ring time: 'seven' is not a whole number of seconds",
      "line 9: field caller unique call id: '192.168.0.201' is not a whole number",
    ]);
    expect(result.cdrs).toHaveLength(1);
    expect(result.cdrs[0]!.accountCode).toBeUndefined();
  });
});
