import { describe, expect, it } from 'vitest';
import { BEIJING, fixtureText, isoOf, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

describe('grandstream-csv: cdrapi CSV', () => {
  const result = parseFixture('grandstream-csv', 'grandstream-cdrapi.csv');

  it('skips the header line and reads the three calls', () => {
    expect(result.skipped).toEqual([{ position: { line: 1, offset: 0 }, reason: 'header line' }]);
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.dedupKey, c.caller, c.callerName, c.callee, c.billsec, c.direction])).toEqual([
      ['1772414102.26', '1772414102.26:4711', '8001', 'Li Wei', '02150001234', 122, 'outbound'],
      ['1772414400.28', '1772414400.28:4712', '8002', 'Zhang Min', '13800138000', 61, 'outbound'],
      ['1772416800.30', '1772416800.30:4713', '8003', 'Wang Fang', '8004', 300, 'internal'],
    ]);
    expect(isoOf(result.cdrs[0]!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(result.cdrs[0]!.trunkOut).toBe('trunk_1');
  });

  it('maps columns by header name, whatever their order, and reads Chinese caller ids', () => {
    const text = [
      'dst,src,start,clid,billsec,duration,answer,end,disposition,uniqueid,AcctId,channel,dstchannel',
      '8004,8003,2026-03-02 10:00:00,"王芳" <8003>,300,303,2026-03-02 10:00:03,2026-03-02 10:05:03,ANSWERED,1.5,99,PJSIP/8003-1,PJSIP/8004-2',
    ].join('\r\n');
    const [call] = parseCdrText('grandstream-csv', text, BEIJING).cdrs;
    expect(call).toMatchObject({ caller: '8003', callerName: '王芳', callee: '8004', billsec: 300, dedupKey: '1.5:99', direction: 'internal' });
  });

  it('uses the stock column order when no header line has been seen', () => {
    const line = '4714,,8001,8004,from-internal,"Li Wei" <8001>,PJSIP/8001-1,PJSIP/8004-2,Dial,x,2026-03-02 11:00:00,,2026-03-02 11:00:09,9,0,NO ANSWER,DOCUMENTATION,1772420400.31,IN,8001,8004,s';
    const [call] = parseCdrText('grandstream-csv', line, BEIJING).cdrs;
    expect(call).toMatchObject({ callee: '8004', disposition: 'no_answer', answerMs: null, nativeId: '1772420400.31' });
  });

  it('rejects a line with another column count than the header', () => {
    expect(parseCdrText('grandstream-csv', '4715,,8001', BEIJING).rejects[0]!.reason).toBe('line 1: expected 22 columns, found 3');
    const lines = fixtureText('grandstream-cdrapi.csv').trimEnd().split('\n');
    const parsed = parseCdrText('grandstream-csv', [lines[0], `${lines[1]},extra`].join('\n'), BEIJING);
    expect(parsed.cdrs).toEqual([]);
    expect(parsed.rejects.map((r) => r.reason)).toEqual(['line 2: expected 22 columns, found 23']);
  });

  it('joins the commas of an unquoted lastdata back into it, and only where every typed column then keeps its kind', () => {
    const header = fixtureText('grandstream-cdrapi.csv').split('\n')[0]!;
    // As the UCM6100 CDR API guide prints it: Dial(SIP/5301,60,) written unquoted, 24 fields under 22 columns.
    const guide = '62,,5300,5301,from-internal,"pn01" <5300>,SIP/5300-00000000,SIP/5301-00000001,Dial,SIP/5301,60,,2013-12-03 11:46:40,2013-12-03 11:46:43,2013-12-03 11:46:49,9,6,ANSWERED,DOCUMENTATION,1386092800.0,EXT,5300,5301,s';
    const read = parseCdrText('grandstream-csv', [header, guide].join('\n'), BEIJING);
    expect(read.rejects).toEqual([]);
    expect(read.cdrs.map((c) => [c.caller, c.callerName, c.callee, c.duration, c.billsec, c.disposition, c.dedupKey])).toEqual([
      ['5300', 'pn01', '5301', 9, 6, 'answered', '1386092800.0:62'],
    ]);
    expect(isoOf(read.cdrs[0]!.answerMs)).toBe('2013-12-03T03:46:43.000Z');

    const rejectsOf = (line: string) => parseCdrText('grandstream-csv', [header, line].join('\n'), BEIJING).rejects.map((r) => r.reason);
    // An extra column anywhere else shifts a typed column: a reject, as before.
    expect(rejectsOf(guide.replace(',9,6,', ',9,9,6,'))).toEqual(['line 2: expected 22 columns, found 25']);
    expect(rejectsOf(guide.replace('62,,5300', '62,,,5300'))).toEqual(['line 2: expected 22 columns, found 25']);
    expect(rejectsOf(`${guide},extra`)).toEqual(['line 2: expected 22 columns, found 25']);
    // The whole record written twice: more pieces than any application takes arguments, dates among them.
    expect(rejectsOf(`${guide},${guide}`)).toEqual(['line 2: expected 22 columns, found 48']);
  });
});

describe('grandstream-json: cdrapi JSON', () => {
  const result = parseFixture('grandstream-json', 'grandstream-cdrapi.json');

  it('reads flat records, and a multi-leg call as its main CDR (charged) with its sub-CDRs linked (never charged)', () => {
    expect(result.cdrs.map((c) => [c.dedupKey, c.caller, c.callee, c.billsec, c.direction, c.trunkIn ?? null, c.leg ?? null])).toEqual([
      ['1772414102.26:4711', '8001', '02150001234', 122, 'outbound', null, null],
      ['1772434800.40:4720', '013912345678', '8002', 180, 'inbound', 'CN-Unicom', { role: 'main', callId: '4720', billed: true }],
      ['1772434800.40:4721', '013912345678', '8002', 60, 'inbound', 'CN-Unicom', { role: 'sub', callId: '4720', billed: false }],
      ['1772434866.42:4722', '8002', '8003', 120, 'internal', null, { role: 'sub', callId: '4720', billed: false }],
    ]);
    // The main CDR keeps the whole item as its raw text; each sub-CDR its own object, all at the item's position.
    expect(result.cdrs[1]!.position).toEqual({ offset: 0, index: 1 });
    expect(JSON.parse(result.cdrs[1]!.raw)).toHaveProperty('sub_cdr_2');
    expect(JSON.parse(result.cdrs[3]!.raw)).toMatchObject({ AcctId: '4722', lastapp: 'Transfer' });
    expect(result.cdrs[3]!.position).toEqual({ offset: 0, index: 1 });
  });

  it('links sub-CDRs by the main CDR\'s session or uniqueid when there is no cdr id, in sub_cdr_N order, skipping empty slots', () => {
    const sub = (acctId: string, start: string) => ({
      AcctId: acctId, src: '8001', dst: '8002', start, answer: start, end: start.replace(':00', ':30'), duration: '30', billsec: '30',
      disposition: 'ANSWERED', uniqueid: '1772500000.7', channel: 'PJSIP/8001-1', dstchannel: 'PJSIP/8002-2',
    });
    const item = {
      main_cdr: { ...sub('700', '2026-03-03 10:00:00'), session: '1772500000.7-8001' },
      sub_cdr_10: sub('710', '2026-03-03 10:02:00'),
      sub_cdr_2: sub('702', '2026-03-03 10:01:00'),
      sub_cdr_3: null,
    };
    const parsed = parseCdrText('grandstream-json', JSON.stringify({ cdr_root: [item] }), BEIJING);
    expect(parsed.rejects).toEqual([]);
    expect(parsed.cdrs.map((c) => [c.dedupKey, c.leg?.role, c.leg?.callId])).toEqual([
      ['1772500000.7:700', 'main', '1772500000.7-8001'],
      ['1772500000.7:702', 'sub', '1772500000.7-8001'],
      ['1772500000.7:710', 'sub', '1772500000.7-8001'],
    ]);
  });

  it('makes the whole item a reject when a sub-CDR cannot be read, and still stores its main CDR and the other legs', () => {
    const text = fixtureText('grandstream-cdrapi.json').replace('"billsec":"120"', '"billsec":"2 min"');
    const parsed = parseCdrText('grandstream-json', text, BEIJING);
    expect(parsed.cdrs.map((c) => c.dedupKey)).toEqual(['1772414102.26:4711', '1772434800.40:4720', '1772434800.40:4721']);
    const reject = parsed.rejects.find((r) => r.position.index === 1)!;
    expect(reject.reason).toBe("record 2: sub_cdr_2: field billsec: '2 min' is not a whole number of seconds");
    expect(JSON.parse(reject.raw)).toHaveProperty('main_cdr');
  });

  it('rejects a record with a bad date and an element that is not an object, by index', () => {
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "record 3: field start: 'not a date' is not a date and time (YYYY-MM-DD HH:MM:SS)",
      'record 4: expected a JSON object, found a string',
    ]);
  });

  it('takes no answer time from a call the UCM says was not answered (its real-time output writes answer = end)', () => {
    const record = { AcctId: '3030', src: '2310690797', dst: '331', start: '2026-01-26 12:07:08', answer: '2026-01-26 12:07:12', end: '2026-01-26 12:07:12', duration: '3', billsec: '0', disposition: 'NO ANSWER', uniqueid: '1769422021.5655' };
    const [call] = parseCdrText('grandstream-json', JSON.stringify(record), BEIJING).cdrs;
    expect(call).toMatchObject({ answerMs: null, billsec: 0, disposition: 'no_answer' });
    const garbled = parseCdrText('grandstream-json', JSON.stringify({ ...record, answer: 'soon' }), BEIJING);
    expect(garbled.rejects.map((r) => r.reason)).toEqual(["field answer: 'soon' is not a date and time (YYYY-MM-DD HH:MM:SS)"]);
  });

  it('gives a main CDR without answer, end or channels the first answer, the last end and the route of its sub-CDRs', () => {
    const leg = (acctId: string, dst: string, start: string, end: string, seconds: string, dstchannel: string) => ({
      AcctId: acctId, src: '07917330699', dst, start, answer: start, end, duration: seconds, billsec: seconds, disposition: 'ANSWERED',
      uniqueid: '1661157236.2641', userfield: 'Inbound', channel: 'PJSIP/trunk_2-000004e1', dstchannel, src_trunk_name: 'Daisy',
    });
    const item = {
      cdr: '',
      main_cdr: { src: '07917330699', dst: '01924600401', start: '2022-08-22 09:33:56', answer: '', end: '', duration: '65', billsec: '65', session: '1661157236570719-07917330699' },
      sub_cdr_1: leg('71047', '71', '2022-08-22 09:34:32', '2022-08-22 09:35:07', '35', ''),
      sub_cdr_2: leg('71048', '203', '2022-08-22 09:35:07', '2022-08-22 09:35:38', '30', 'PJSIP/203-000004eb'),
    };
    const [main] = parseCdrText('grandstream-json', JSON.stringify({ cdr_root: [item] }), { ...BEIJING, timeZone: 'Europe/London' }).cdrs;
    expect([isoOf(main!.startMs), isoOf(main!.answerMs), isoOf(main!.endMs)]).toEqual(['2022-08-22T08:33:56.000Z', '2022-08-22T08:34:32.000Z', '2022-08-22T08:35:38.000Z']);
    expect(main).toMatchObject({ duration: 102, billsec: 65, direction: 'inbound', trunkIn: 'Daisy', leg: { role: 'main', billed: true } });
  });

  it('reads the older {"cdr": [...]} shape', () => {
    const body = JSON.stringify({ cdr: [{ AcctId: '62', src: '5300', dst: '5301', start: '2013-12-03 11:46:40', answer: '2013-12-03 11:46:43', end: '2013-12-03 11:46:49', duration: '9', billsec: '6', disposition: 'ANSWERED', uniqueid: '1386092800.0', userfield: 'EXT' }] });
    const [call] = parseCdrText('grandstream-json', body, BEIJING).cdrs;
    expect(call).toMatchObject({ billsec: 6, direction: 'internal', dedupKey: '1386092800.0:62' });
  });
});
