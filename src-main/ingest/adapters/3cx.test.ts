import { describe, expect, it } from 'vitest';
import { BEIJING, isoOf, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

describe('3cx: CDR lines', () => {
  const withHeader = parseFixture('3cx', '3cx-cdr.csv');

  it('reads the sample with its header, times in UTC whatever the device zone', () => {
    expect(withHeader.skipped.map((s) => s.reason)).toEqual(['header line']);
    expect(withHeader.cdrs.map((c) => [c.dedupKey, c.caller, c.callerName, c.callee, c.billsec, c.duration, c.direction, c.trunkOut])).toEqual([
      [expect.stringMatching(/^7781#[0-9a-f]{32}$/), '8001', 'Li Wei', '02150001234', 122, 129, 'outbound', '10000'],
      [expect.stringMatching(/^7782#[0-9a-f]{32}$/), '8002', 'Zhang Min', '13800138000', 61, 65, 'outbound', '10000'],
    ]);
    const [first] = withHeader.cdrs;
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    const ny = parseFixture('3cx', '3cx-cdr.csv', { deviceId: 'x', timeZone: 'America/New_York' });
    expect(ny.cdrs[0]!.startMs).toBe(first!.startMs);
    expect(first).toMatchObject({ finalCallee: '02150001234', originalCallee: '02150001234', cause: 'src_participant_terminated' });
  });

  it('reads lines without a header in the stock order (CRLF, UTF-8 names)', () => {
    const result = parseFixture('3cx', '3cx-cdr-noheader.txt');
    expect(result.cdrs.map((c) => [c.caller, c.callerName, c.callee, c.billsec, c.direction, c.disposition])).toEqual([
      ['8001', '李伟', '02150001234', 122, 'outbound', 'answered'],
      ['013912345678', '', '8003', 0, 'inbound', 'no_answer'],
      ['8003', 'Wang Fang', '8004', 300, 'internal', 'answered'],
      ['8001', 'Li Wei', '13800138000', 0, 'outbound', 'busy'],
    ]);
    expect(result.cdrs[1]).toMatchObject({ answerMs: null, trunkIn: '10000' });
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "line 5: field time-start: '2026.03.02 25:20:00' is not a date and time (YYYY.MM.DD HH:MM:SS)",
    ]);
  });

  it('maps a custom field order by its header', () => {
    const text = 'time-start,time-end,from-no,dial-no,duration,time-answered,historyid\n2026.03.02 01:00:00,2026.03.02 01:00:40,8001,8002,00:00:30,2026.03.02 01:00:10,55';
    const [call] = parseCdrText('3cx', text, BEIJING).cdrs;
    expect(call).toMatchObject({ caller: '8001', callee: '8002', billsec: 30, duration: 40, nativeId: '55' });
    expect(call!.dedupKey).toMatch(/^55#[0-9a-f]{32}$/);
  });

  it('rejects a duration that is not HH:MM:SS', () => {
    const line = `1,c,2 min,2026.03.02 01:00:00,2026.03.02 01:00:10,2026.03.02 01:02:10,x,8001,8002${','.repeat(18)}`;
    expect(parseCdrText('3cx', line, BEIJING).rejects[0]!.reason).toBe("line 1: field duration: '2 min' is not a duration (HH:MM:SS)");
  });
});

describe('3cx: files as 3CX versions wrote them', () => {
  it('v16 (2020): "Call " before the history id, Ext.114 as dialable 114, Internal / External types, slashed dates', () => {
    const result = parseFixture('3cx', '3cx-v16-internal-external.txt');
    expect(result.rejects).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.direction, c.billsec, c.disposition, c.trunkIn ?? '', c.trunkOut ?? ''])).toEqual([
      ['7781', '114', '02150001234', 'outbound', 122, 'answered', '', '10001'],
      ['7782', '115', '13800138000', 'outbound', 61, 'answered', '', '10001'],
      ['7783', '116', '117', 'internal', 300, 'answered', '', ''],
      ['7784', '114', '0044207946000', 'outbound', 600, 'answered', '', '10001'],
      ['7785', '114', '62345678', 'outbound', 0, 'no_answer', '', ''],
      ['7786', '013912345678', '610', 'inbound', 210, 'answered', '10000', ''],
      ['7787', '114', '13912345678', 'outbound', 180, 'answered', '', '10001'],
      ['7788', '013912345678', '009', 'unknown', 2, 'answered', '10001', ''],
      ['7789', '112', '114', 'internal', 337, 'answered', '', ''],
      ['7790', '114', '124', 'internal', 3, 'answered', '', ''],
      ['7791', '114', '02150001234', 'outbound', 6, 'answered', '', ''], // to-dn EndCall is no trunk
      ['7792', '114', '0044207946000', 'outbound', 0, 'failed', '', ''],
      ['7781', '114', '02150001234', 'outbound', 122, 'answered', '', '10001'],
    ]);
    const [first, , , , , inbound] = result.cdrs;
    expect(first!.dedupKey).toBe(result.cdrs[12]!.dedupKey); // the re-sent line is the same call
    expect(first!.raw).toContain('Call 7781,00000171DEE41BB3_2501,00:02:02,2026/03/02 01:15:02');
    expect(first!.raw).toContain(',Ext.114,02150001234,114,10001,');
    expect(first!.callerName).toBe('Li Wei');
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    expect(inbound).toMatchObject({ originalCallee: '610', finalCallee: '114', cause: 'TerminatedByDst' });
  });

  it('v14: 26 columns, Line / Extension / Queue / IVR / RingGroup / VoiceMail', () => {
    const result = parseFixture('3cx', '3cx-v14-line-types.txt');
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.direction, c.finalCallee ?? '', c.trunkIn ?? '', c.trunkOut ?? '', c.disposition])).toEqual([
      ['51021', '101', '02150001234', 'outbound', '', '', '10000', 'answered'],
      ['51022', '013912345678', '800', 'inbound', '102', '10000', '', 'answered'],
      ['51023', '013912345678', '801', 'inbound', '103', '10000', '', 'answered'],
      ['51024', '101', '600', 'internal', '104', '', '', 'answered'],
      // Came in on a line and was forwarded out on another: neither in- nor outbound; the final trunk is kept.
      ['51025', '013912345678', '102', 'unknown', '13800138000', '10000', '10001', 'answered'],
      ['51026', '104', '101', 'internal', '', '', '', 'busy'],
    ]);
  });

  it("v20 through a collector: its header (names with '_'), 'Call ' before the start, lower-case types, NULL", () => {
    const result = parseFixture('3cx', '3cx-v20-collector-header.csv');
    expect(result.skipped.map((s) => [s.position.line, s.reason])).toEqual([
      [1, 'header line'],
      [7, 'header line'],
    ]);
    expect(result.cdrs.map((c) => [c.caller, c.callee, c.direction, c.billsec, c.finalCallee ?? '', c.trunkIn ?? '', c.trunkOut ?? '', c.disposition])).toEqual([
      ['201', '02150001234', 'outbound', 122, '02150001234', '', '10002', 'answered'],
      ['013912345678', '800', 'inbound', 250, '202', '10002', '', 'answered'],
      ['013912345678', '801', 'inbound', 60, '204', '10002', '', 'answered'],
      ['201', '204', 'internal', 45, '204', '', '', 'answered'],
      ['202', '913800138000', 'outbound', 61, '13800138000', '', '10003', 'answered'],
      ['0085223456789', '800', 'inbound', 0, '', '10002', '', 'no_answer'],
    ]);
    expect(result.cdrs[0]).toMatchObject({ nativeId: null, callerName: 'Li Wei', cause: 'dst_participant_terminated' });
    expect(result.cdrs[0]!.dedupKey).toMatch(/^sha256:/);
    expect(isoOf(result.cdrs[0]!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(result.rejects.map((r) => r.reason)).toEqual(['line 9: expected 20 columns (as the header line names them), found 21']);
  });

  it('reads the type columns in every spelling, numbers from call-log exports, and a direction a collector wrote', () => {
    const line = (fromType: string, toType: string, finalType: string, fromNo = '201', dialNo = '02150001234') =>
      `1,c,00:00:10,2026/03/02 01:00:00,2026/03/02 01:00:05,2026/03/02 01:00:15,x,${fromNo},${dialNo},201,10000,${dialNo},,,,,,,,,${fromType},${toType},${finalType},,,,`;
    const directionOf = (...args: Parameters<typeof line>) => parseCdrText('3cx', line(...args), BEIJING).cdrs[0]!.direction;
    expect(directionOf('Extension', 'Line', 'Line')).toBe('outbound');
    expect(directionOf('EXTENSION', 'External_Line', '')).toBe('outbound');
    expect(directionOf('extension', 'outbound_rule', 'external_line')).toBe('outbound');
    expect(directionOf('extension', 'VoIPProvider', 'VoIPProvider')).toBe('outbound');
    expect(directionOf('0', '1', '1')).toBe('outbound');
    expect(directionOf('1', '2', '0', '013912345678', '800')).toBe('inbound');
    expect(directionOf('Line', 'ring_group_ring_all', 'Extension', '013912345678', '800')).toBe('inbound');
    expect(directionOf('Internal', 'Internal', 'Internal', 'Ext.201', '202')).toBe('internal');
    expect(directionOf('extension', 'script', 'voicemail', 'Ext.201', '999')).toBe('internal');
    expect(directionOf('Local', 'Local', 'Local', '201', '202')).toBe('internal');
    expect(directionOf('Inbound', '', '', '013912345678', '201')).toBe('inbound');
    expect(directionOf('', 'Outgoing', '', '201', '02150001234')).toBe('outbound');
    // Types this adapter does not know: the numbers decide (an extension to a long number is outbound).
    expect(directionOf('Wormhole', 'Teleporter', '', '201', '02150001234')).toBe('outbound');
    expect(directionOf('', '', '', 'Ext.201', 'Ext.202')).toBe('internal');
  });

  it('rejects a line with a column count no 3CX layout has, a header without time-start, and bad options', () => {
    const stock = `1,c,00:00:10,2026/03/02 01:00:00,2026/03/02 01:00:05,2026/03/02 01:00:15,x,201,202,201,202,202${',,'.repeat(7)}`;
    expect(stock.split(',')).toHaveLength(26);
    const texts = [stock, `${stock},`, `${stock},,`, `${stock}${',x'.repeat(74)}`, '1,c,00:00:10,2026/03/02 01:00:00'];
    const result = parseCdrText('3cx', texts.join('\n'), BEIJING);
    expect(result.cdrs.map((c) => c.position.line)).toEqual([1, 2]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "line 3: expected 26 or 27 columns (3CX's stock field list), found 28",
      "line 4: expected 26 or 27 columns (3CX's stock field list), found 100",
      "line 5: expected 26 or 27 columns (3CX's stock field list), found 4",
    ]);
    const noStart = parseCdrText('3cx', `historyid,callid,from-no,to-no\n${stock}`, BEIJING);
    expect(noStart.rejects.map((r) => r.reason)).toEqual([
      'line 1: the header line names no time-start column',
      'line 2: the header line names no time-start column',
    ]);
    const bad = parseCdrText('3cx', stock, { ...BEIJING, formatOptions: { fields: ['time-start', 'colour'] } });
    expect(bad.rejects.map((r) => r.reason)).toEqual(["line 1: device format options: fields: 'colour' is not a 3CX CDR field"]);
  });

  it("reads a headerless stream in the order set in 3CX from the device option 'fields'", () => {
    const device = { ...BEIJING, formatOptions: { fields: ['time-start', 'dial-no', 'from-no', 'duration', 'time-answered', 'time-end', 'from-type', 'to-type'] } };
    const result = parseCdrText('3cx', 'Call 2026/03/02 01:15:02,02150001234,Ext.201,00:02:02,2026/03/02 01:15:09,2026/03/02 01:17:11,extension,external_line\n2026/03/02 01:15:02,1', device);
    expect(result.cdrs.map((c) => [c.caller, c.callee, c.billsec, c.direction])).toEqual([['201', '02150001234', 122, 'outbound']]);
    expect(result.rejects.map((r) => r.reason)).toEqual(['line 2: expected 8 columns (the device option fields), found 2']);
  });
});
