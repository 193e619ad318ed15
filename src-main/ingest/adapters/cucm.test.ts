import { describe, expect, it } from 'vitest';
import { isCucmFileInProgress } from './cucm';
import fs from 'node:fs';
import { BEIJING, fixtureText, isoOf, parseFixture } from './fixtures-for-tests';
import { isCdrFileInProgress, parseCdrText } from './registry';

describe('cucm: CDR flat files', () => {
  const result = parseFixture('cucm', 'cucm-cdr_Cluster1_01_202603020915_000001');

  it('skips the two header lines and reads three calls keyed by global call id and pkid', () => {
    expect(result.skipped.map((s) => s.reason)).toEqual(['header line (column names)', 'header line (column types)']);
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.dedupKey, c.caller, c.callee, c.finalCallee, c.billsec, c.disposition, c.cause])).toEqual([
      ['1:41377', '1:41377:3f2a9c1e-0b7d-4e55-9a61-2d4c8e7f1a30', '8001', '902150001234', '902150001234', 122, 'answered', '16'],
      ['1:41378', '1:41378:3f2a9c1e-0b7d-4e55-9a61-2d4c8e7f1a31', '8002', '913800138000', '913800138000', 61, 'answered', '16'],
      ['1:41379', '1:41379:3f2a9c1e-0b7d-4e55-9a61-2d4c8e7f1a32', '8003', '962345678', '962345678', 0, 'no_answer', '19'],
    ]);
  });

  it('reads epochs as UTC; dateTimeConnect 0 is never connected', () => {
    const [first, , third] = result.cdrs;
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    expect(first!.duration).toBe(129);
    expect(third!.answerMs).toBeNull();
    expect(third!.duration).toBe(25);
    expect(first).toMatchObject({ direction: 'outbound', trunkOut: 'SIPTrunk-CN' });
  });

  const header = [
    '"pkid","dateTimeConnect","globalCallID_callId","dateTimeOrigination","destCause_value","callingPartyNumber","originalCalledPartyNumber","finalCalledPartyNumber","dateTimeDisconnect","duration","origDeviceName","destDeviceName","cdrRecordType","globalCallID_callManagerId","origCause_value","authorizationCodeValue","clientMatterCode"',
    'UNIQUEIDENTIFIER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),VARCHAR(50),INTEGER,INTEGER,VARCHAR(129),VARCHAR(129),INTEGER,INTEGER,INTEGER,VARCHAR(32),VARCHAR(32)',
  ];

  it('finds columns by name in any order, and reads inbound, busy, FAC and CMC', () => {
    const text = [
      ...header,
      '"p1",1772414409,500,1772414400,16,"013912345678","8002","8003",1772414469,60,"SIPTrunk-CN","SEP0011AABBCC03",1,2,0,"","55"',
      '"p2",0,501,1772414500,17,"8001","913800138000","913800138000",1772414502,0,"SEP0011AABBCC01","SIPTrunk-CN",1,2,0,"4321",""',
      '"p3",0,502,1772414600,0,"8001","8004","8004",1772414610,0,"SEP0011AABBCC01","SEP0011AABBCC04",2,2,0,"",""',
    ].join('\n');
    const parsed = parseCdrText('cucm', text, BEIJING);
    expect(parsed.cdrs.map((c) => [c.dedupKey, c.caller, c.callee, c.finalCallee, c.direction, c.disposition, c.trunkIn ?? '', c.pin ?? '', c.accountCode ?? ''])).toEqual([
      ['2:500:p1', '013912345678', '8002', '8003', 'inbound', 'answered', 'SIPTrunk-CN', '', '55'],
      ['2:501:p2', '8001', '913800138000', '913800138000', 'outbound', 'busy', '', '4321', ''],
    ]);
    expect(parsed.skipped.map((s) => s.reason)).toContain('cdrRecordType 2 is not a call record (1)');
  });

  it('rejects records before any header, short records, and a header without the needed columns', () => {
    const record = '1,1,41377,23004711,1772414102,"8001","902150001234","902150001234",1772414109,1772414231,"x",122,"SEP1","T",0,16,""';
    expect(parseCdrText('cucm', record, BEIJING).rejects[0]!.reason).toBe(
      'line 1: no header line before this record: CUCM columns are found by name',
    );
    expect(parseCdrText('cucm', `${header[0]}\n"p1",0,500`, BEIJING).rejects[0]!.reason).toBe('line 2: expected 17 columns as in the header, found 3');
    expect(parseCdrText('cucm', '"cdrRecordType","pkid"', BEIJING).rejects[0]!.reason).toBe(
      'line 1: header line lacks the columns globalCallID_callId, dateTimeOrigination, callingPartyNumber, originalCalledPartyNumber',
    );
  });

  it('rejects a record with another column count than the header, or a call id that is not a number', () => {
    const parsed = parseFixture('cucm', 'cucm-cdr_Cluster1_01_202603031200_000002');
    expect(parsed.rejects.map((r) => r.reason)).toEqual([
      'line 7: expected 24 columns as in the header, found 23',
      "line 8: field globalCallID_callId: 'x51006' is not a whole number",
    ]);
  });

  it('rejects an unconnected call whose duration is not a number (it is not billed, but the line is damaged)', () => {
    const text = fixtureText('cucm-cdr_Cluster1_01_202603020915_000001');
    const lines = text.split('\n');
    const unanswered = lines.findIndex((l) => l.includes(',41379,'));
    const fields = lines[unanswered]!.split(',');
    expect(fields[8]).toBe('0'); // dateTimeConnect: never connected
    fields[11] = '--';
    lines[unanswered] = fields.join(',');
    const parsed = parseCdrText('cucm', lines.join('\n'), BEIJING);
    expect(parsed.rejects.map((r) => r.reason)).toEqual([`line ${unanswered + 1}: field duration: '--' is not a whole number of seconds`]);
    expect(parsed.cdrs.map((c) => c.nativeId)).toEqual(['1:41377', '1:41378']);
  });

  it('tells a file still being written by its leading underscore', () => {
    expect(isCucmFileInProgress('_cdr_Cluster1_01_202603020915_000002')).toBe(true);
    expect(isCucmFileInProgress('/var/cdr/_cdr_Cluster1_01_202603020915_000002')).toBe(true);
    expect(isCucmFileInProgress('cdr_Cluster1_01_202603020915_000001')).toBe(false);
    expect(isCucmFileInProgress('in_progress/cdr_Cluster1_01_202603020915_000001')).toBe(false);
    expect(isCdrFileInProgress('cucm', 'C:\\cdr\\_cdr_x')).toBe(true);
    expect(isCdrFileInProgress('asterisk-csv', '_Master.csv')).toBe(false);
  });
});

describe('cucm: recording and monitoring calls are legs of the recorded call, never charged', () => {
  it('reads the built-in-bridge recording legs of a real CUCM file (OnBehalfOf 27) linked to the recorded call', () => {
    const text = fs.readFileSync(new URL('../../../test/fixtures/real/cucm/cisco-cucm-cdr-examples-cdr.txt', import.meta.url), 'utf8');
    const parsed = parseCdrText('cucm', text, BEIJING);
    expect(parsed.rejects).toEqual([]);
    expect(parsed.cdrs.map((c) => [c.caller, c.callee, c.billsec, c.leg])).toEqual([
      ['b002179144511001', '5030079981', 0, { role: 'recording', callId: '2:47874239', billed: false }],
      ['b002179144411001', '5030079981', 0, { role: 'recording', callId: '2:47874240', billed: false }],
      // The call is known by its orig leg and names its dest leg, which the callee's-side recording names.
      ['5033466594', '5033466593', 11, { role: null, callId: '2:47874239', billed: true, otherLegId: '2:47874240' }],
    ]);
  });

  const file = 'cucm-cdr_Cluster1_01_202603031200_000002';

  it('marks recording (27) and monitoring (28) calls, whichever OnBehalfOf field carries the code', () => {
    const parsed = parseFixture('cucm', file);
    expect(parsed.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.leg])).toEqual([
      ['1:51001', '8001', '902150001234', { role: null, callId: '1:24000101', billed: true, otherLegId: '1:24000102' }],
      ['1:51002', 'b00105201060001', '7999', { role: 'recording', callId: '1:24000101', billed: false }],
      ['1:51003', '8005', 'b00105201060001', { role: 'recording', callId: '1:24000102', billed: false }],
      ['1:51004', '8002', '7990', { role: null, callId: '1:24000120', billed: true, otherLegId: '1:24000121' }],
    ]);
  });

  it("takes calls to the device's recorder numbers as recording legs, and rejects records while that setting is wrong", () => {
    const withRecorder = parseFixture('cucm', file, { ...BEIJING, formatOptions: { recorderNumbers: ['7990'] } });
    expect(withRecorder.cdrs.find((c) => c.nativeId === '1:51004')!.leg).toEqual({ role: 'recording', callId: '1:51004', billed: false });
    const wrong = parseFixture('cucm', file, { ...BEIJING, formatOptions: { recorderNumbers: '7990' } });
    expect(wrong.cdrs).toEqual([]);
    expect(wrong.rejects[0]!.reason).toBe('line 3: device format options: recorderNumbers must be a list of numbers written as text');
  });
});

describe('cucm: a consultative transfer is three calls, each of its own stretch of talk', () => {
  // Cisco's CDR definition, "Transfer with Consultation": A-B 120 s, A-C 30 s, then B-C 350 s after the join.
  const parsed = parseFixture('cucm', 'cucm-consult-cdr_Cluster1_01_202603031400_000003');

  it('reads the original call, the consultation call and the call the join made, none of them a leg of another', () => {
    expect(parsed.rejects).toEqual([]);
    expect(parsed.cdrs.map((c) => [c.nativeId, c.caller, c.callee, c.direction, c.billsec, isoOf(c.answerMs), isoOf(c.endMs), c.cause])).toEqual([
      ['1:61001', '8001', '902150001234', 'outbound', 120, '2026-03-03T06:00:07.000Z', '2026-03-03T06:02:07.000Z', '393216'],
      ['1:61002', '8001', '8002', 'internal', 30, '2026-03-03T06:02:13.000Z', '2026-03-03T06:02:43.000Z', '393216'],
      ['1:61001', '902150001234', '8002', 'inbound', 350, '2026-03-03T06:02:43.000Z', '2026-03-03T06:08:33.000Z', '16'],
    ]);
    // The outside party's leg (102) and the consulted phone's leg (104) live on into the joined call, yet every
    // record is billed: their talk times do not overlap.
    expect(parsed.cdrs.map((c) => c.leg)).toEqual([
      { role: null, callId: '1:101', billed: true, otherLegId: '1:102' },
      { role: null, callId: '1:103', billed: true, otherLegId: '1:104' },
      { role: null, callId: '1:102', billed: true, otherLegId: '1:104' },
    ]);
    // Three records of one global call id share no dedup key: the pkid tells them apart.
    expect(new Set(parsed.cdrs.map((c) => c.dedupKey)).size).toBe(3);
  });
});
