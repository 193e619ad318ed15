/**
 * Dedup keys: an exact re-send must get the same key (stored once); two different records must never share one,
 * even when the PBX gives them the same native id (merging two real calls is the worst mistake ingestion can make).
 */
import { describe, expect, it } from 'vitest';
import type { CdrFormat } from '../../../src-shared/domain/cdr';
import { BEIJING } from './fixtures-for-tests';
import { parseCdrText } from './registry';

function keysOf(format: CdrFormat, text: string, device = BEIJING): string[] {
  const result = parseCdrText(format, text, device);
  expect(result.rejects).toEqual([]);
  return result.cdrs.map((c) => c.dedupKey);
}

const asteriskLine = (dst: string, dstChannel: string, start: string, answer: string, end: string, duration: number, billsec: number, disposition: string) =>
  `"","8001","${dst}","from-internal","""Li Wei"" <8001>","PJSIP/8001-00000011","${dstChannel}","Dial","PJSIP/${dst}@trunk-cn,60",` +
  `"${start}","${answer}","${end}",${duration},${billsec},"${disposition}","DOCUMENTATION","1772524800.17",""`;

describe('dedup keys: one native id, several records', () => {
  it('asterisk: two Dial attempts of one channel (same uniqueid) are two calls; a re-sent line is one', () => {
    const missed = asteriskLine('962345678', 'PJSIP/trunk-cn-00000012', '2026-03-03 08:00:00', '', '2026-03-03 08:00:30', 30, 0, 'NO ANSWER');
    const answered = asteriskLine('913800138000', 'PJSIP/trunk-cn-00000013', '2026-03-03 08:00:30', '2026-03-03 08:00:36', '2026-03-03 08:03:36', 186, 180, 'ANSWERED');
    const [a, b, again] = keysOf('asterisk-csv', [missed, answered, missed].join('\n'));
    expect(a).toMatch(/^1772524800\.17#[0-9a-f]{32}$/);
    expect(b).toMatch(/^1772524800\.17#/);
    expect(b).not.toBe(a);
    expect(again).toBe(a);
  });

  it('asterisk: records that differ only in the dialled channel or the userfield keep apart', () => {
    const one = asteriskLine('962345678', 'PJSIP/trunk-cn-00000012', '2026-03-03 08:00:00', '', '2026-03-03 08:00:30', 30, 0, 'NO ANSWER');
    const otherChannel = one.replace('trunk-cn-00000012', 'trunk-cn-00000014');
    const otherUserfield = one.replace(/""$/, '"project-x"');
    const keys = keysOf('asterisk-csv', [one, otherChannel, otherUserfield].join('\n'));
    expect(new Set(keys).size).toBe(3);
  });

  it('asterisk-json: the same uniqueid with a different start is another call', () => {
    const rec = (start: string) =>
      JSON.stringify({ uniqueid: '1772524800.17', src: '8001', dst: '8004', start, duration: 10, billsec: 5, disposition: 'ANSWERED' });
    const [a, b, c] = keysOf('asterisk-json', [rec('2026-03-03 08:00:00'), rec('2026-03-03 09:00:00'), rec('2026-03-03 08:00:00')].join('\n'));
    expect(a).not.toBe(b);
    expect(c).toBe(a);
  });

  it('yeastar: the legs of a transferred call share the call id but stay two records; a re-sent event is one', () => {
    const leg = (callto: string, talk: string) =>
      JSON.stringify({
        event: 'NewCdr', callid: '1772414102.77', timestart: '2026-03-02 09:15:02', callfrom: '8001', callto,
        callduraction: '129', talkduraction: talk, status: 'ANSWERED', type: 'Outbound',
      });
    const [first, second, resent] = keysOf('yeastar', [leg('02150001234', '60'), leg('8002', '62'), leg('02150001234', '60')].join('\n'));
    expect(first).toMatch(/^1772414102\.77#[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
    expect(resent).toBe(first);
  });

  it('cucm without pkid: two records of one global call id keep apart', () => {
    const header =
      '"cdrRecordType","globalCallID_callManagerId","globalCallID_callId","dateTimeOrigination","callingPartyNumber",' +
      '"originalCalledPartyNumber","finalCalledPartyNumber","dateTimeConnect","dateTimeDisconnect","duration"\n' +
      'INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),VARCHAR(50),INTEGER,INTEGER,INTEGER\n';
    const keys = keysOf(
      'cucm',
      header + '1,1,41377,1772414102,"8001","8002","8002",1772414109,1772414231,122\n1,1,41377,1772414231,"8002","8003","8003",1772414232,1772414300,68\n',
    );
    expect(keys[0]).toMatch(/^1:41377#[0-9a-f]{32}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('generic-csv: a mapped id column shared by two records does not merge them', () => {
    const device = {
      ...BEIJING,
      formatOptions: { columns: { start: 0, caller: 1, callee: 2, billsec: 3, nativeId: 4 }, header: false },
    };
    const keys = keysOf('generic-csv', '2026-03-02 09:00:00,8001,8002,7,call-1\n2026-03-02 09:05:00,8001,8003,9,call-1\n2026-03-02 09:00:00,8001,8002,7,call-1', device);
    expect(keys[0]).toMatch(/^call-1#/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
  });

  it('keeps the per-record discriminators the PBX guarantees unique (Asterisk sequence, UCM acctid, CUCM pkid)', () => {
    const withSequence =
      '"","8001","8004","from-internal","<8001>","PJSIP/8001-1","PJSIP/8004-2","Dial","","2026-03-03 08:00:00","2026-03-03 08:00:01",' +
      '"2026-03-03 08:00:10",10,9,"ANSWERED","DOCUMENTATION","1782892800.37","","","1782892800.37","2"';
    expect(keysOf('asterisk-csv', withSequence)).toEqual(['1782892800.37:2']);
  });

  it("keeps the key of a record in local time when the device's time zone is corrected: the wall clock as written identifies it", () => {
    const line = asteriskLine('8004', 'PJSIP/8004-1', '2026-03-03 08:00:00', '2026-03-03 08:00:01', '2026-03-03 08:00:10', 10, 9, 'ANSWERED');
    const beijing = keysOf('asterisk-csv', line);
    const berlin = keysOf('asterisk-csv', line, { deviceId: 'x', timeZone: 'Europe/Berlin' });
    expect(berlin[0]).toBe(beijing[0]);
    // Another wall clock is another call.
    const later = asteriskLine('8004', 'PJSIP/8004-1', '2026-03-03 09:00:00', '2026-03-03 09:00:01', '2026-03-03 09:00:10', 10, 9, 'ANSWERED');
    expect(keysOf('asterisk-csv', later)[0]).not.toBe(beijing[0]);
  });

  it("keeps the key across a zone correction on the days the clocks change (a start in the skipped hour, a call across the change)", () => {
    const london = { deviceId: 'x', timeZone: 'Europe/London' };
    const berlin = { deviceId: 'x', timeZone: 'Europe/Berlin' };
    // 02:30 on 29 March is a London time, but never happens in Berlin (its clocks go from 02:00 to 03:00).
    const skipped = asteriskLine('8004', 'PJSIP/8004-1', '2026-03-29 02:30:00', '2026-03-29 02:30:05', '2026-03-29 02:31:00', 60, 55, 'ANSWERED');
    // 20 minutes in Berlin across its change (01:50 CET to 03:10 CEST); 80 minutes on a London wall clock.
    const across = asteriskLine('8004', 'PJSIP/8004-1', '2026-03-29 01:50:00', '2026-03-29 01:50:10', '2026-03-29 03:10:00', 1200, 1190, 'ANSWERED');
    for (const line of [skipped, across]) expect(keysOf('asterisk-csv', line, berlin)).toEqual(keysOf('asterisk-csv', line, london));
    const yeastar = JSON.stringify({
      event: 'NewCdr', callid: '1774745400.1', timestart: '2026-03-29 01:50:00', callfrom: '8001', callto: '02150001234',
      callduraction: '1200', talkduraction: '1190', status: 'ANSWERED', type: 'Outbound',
    });
    expect(keysOf('yeastar', yeastar, berlin)).toEqual(keysOf('yeastar', yeastar, london));
  });

  it("generic-csv: correcting the zone of the device's format options keeps the keys", () => {
    const device = (timeZone: string) => ({
      ...BEIJING,
      formatOptions: { columns: { start: 0, caller: 1, callee: 2, billsec: 3 }, header: false, timeZone },
    });
    const text = '2026-03-02 09:00:00,8001,8002,7\n2026-03-29 02:30:00,8001,8003,9';
    const tokyo = keysOf('generic-csv', text, device('Asia/Tokyo'));
    expect(keysOf('generic-csv', text, device('Asia/Shanghai'))).toEqual(tokyo);
    expect(keysOf('generic-csv', text, device('Europe/Berlin'))).toEqual(tokyo);
  });

  it('keys records whose times are instants (epoch seconds) on the instant, whatever the zone setting', () => {
    const epoch = asteriskLine('8004', 'PJSIP/8004-1', '1772496000', '1772496001', '1772496010', 10, 9, 'ANSWERED');
    expect(keysOf('asterisk-csv', epoch, { deviceId: 'x', timeZone: 'Europe/Berlin' })).toEqual(keysOf('asterisk-csv', epoch));
  });
});
