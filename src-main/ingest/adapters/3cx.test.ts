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
    const line = '1,c,2 min,2026.03.02 01:00:00,2026.03.02 01:00:10,2026.03.02 01:02:10,x,8001,8002';
    expect(parseCdrText('3cx', line, BEIJING).rejects[0]!.reason).toBe("line 1: field duration: '2 min' is not a duration (HH:MM:SS)");
  });
});
