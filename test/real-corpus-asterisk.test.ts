/**
 * The real-world corpus (test/fixtures/real, SOURCES.md there says where each file comes from), Asterisk and the
 * PBXs built on it (FreePBX/Elastix, Grandstream UCM, Yeastar): each file is imported into a device of its format and
 * time zone, then the counts, the reasons of the rejects and a few rows are compared with what the file says. The
 * expected rows were read off the raw files by hand (times converted with the zone the file's own Asterisk uniqueids
 * give), not taken from what the import produced. FreeSWITCH, CUCM and IP Office: ./real-corpus-other.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { callOf, RealCorpus } from './helpers/real-corpus-import';

let t: TestEngine;
let c: RealCorpus;

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  c = new RealCorpus(t, await t.loginAs('admin'), await t.loginAs('clerk'));
});
afterAll(() => t.dispose());

describe('asterisk-csv: the Asterisk test suite (cdr_csv with uniqueid and userfield, device clock in UTC)', () => {
  it('self_test/Master.csv: two console calls to extension 1; Master2.csv repeats the first and is a duplicate', async () => {
    const id = await c.device('asterisk-csv', 'UTC');
    await c.importChecked(id, 'asterisk-csv/testsuite-self_test-Master.csv', { received: 2, stored: 2, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    expect(rows.map(callOf)).toEqual([
      { caller: '', callee: '1', start: '2010-04-02T00:26:32.000Z', answer: '2010-04-02T00:26:32.000Z', end: '2010-04-02T00:26:39.000Z', duration: 7, billsec: 7, disposition: 'answered' },
      { caller: '', callee: '1', start: '2010-04-02T00:34:02.000Z', answer: '2010-04-02T00:34:02.000Z', end: '2010-04-02T00:34:09.000Z', duration: 7, billsec: 7, disposition: 'answered' },
    ]);
    const details = await Promise.all(rows.map((r) => c.detail(r)));
    expect(details.map((d) => d.nativeId)).toEqual(['1270167992.0', '1270168442.0']);
    // Console/dsp is the sound card of the PBX itself (chan_oss / chan_console), not a line from outside.
    expect(details.map((d) => ({ trunkIn: d.trunkIn, trunkOut: d.trunkOut }))).toEqual([
      { trunkIn: null, trunkOut: null },
      { trunkIn: null, trunkOut: null },
    ]);
    expect(details[0]!.directionReason).toMatch(/^channel 'Console\/dsp' is the PBX's own console/);

    await c.importChecked(id, 'asterisk-csv/testsuite-self_test-Master2.csv', { received: 1, stored: 0, duplicates: 1, rejected: 0, skipped: 0 });
  });

  it('cdrlib/good.csv: one record in five dispositions; the hand-edited billsec longer than the call is a reject', async () => {
    const id = await c.device('asterisk-csv', 'UTC');
    await c.importChecked(id, 'asterisk-csv/testsuite-cdrlib-good.csv', { received: 5, stored: 4, duplicates: 0, rejected: 1, skipped: 0 }, [
      /^line 2: field billsec: 7 s is longer than the whole call \(5 s\)$/,
    ]);
    const rows = await c.rowsOf(id);
    const call = { caller: 'test', callee: '100', start: '2009-01-14T23:51:15.000Z', answer: '2009-01-14T23:51:15.000Z', end: '2009-01-14T23:51:20.000Z', duration: 5 };
    expect(rows.map(callOf)).toEqual([
      { ...call, billsec: 5, disposition: 'answered' },
      { ...call, billsec: 0, disposition: 'failed' },
      { ...call, billsec: 0, disposition: 'no_answer' },
      { ...call, billsec: 0, disposition: 'busy' },
    ]);
    expect(rows.map((r) => r.callerName)).toEqual(['Test User', 'Test User', 'Test User', 'Test User']);
    const first = await c.detail(rows[0]!);
    expect({ nativeId: first.nativeId, line: first.source.line }).toEqual({ nativeId: '1231977075.0', line: 1 });
    expect((await c.detail(rows[3]!)).source.line).toBe(5);
  });

  it('cdrlib/buggy.csv: a record cut inside its last quoted field is a reject, not a call', async () => {
    const id = await c.device('asterisk-csv', 'UTC');
    await c.importChecked(id, 'asterisk-csv/testsuite-cdrlib-buggy.csv', { received: 1, stored: 0, duplicates: 0, rejected: 1, skipped: 0 }, [
      /^line 1: column 18: quoted field is not closed before the end of the line$/,
    ]);
  });
});

describe('Asterisk cdr_custom with the stock cdr_custom.conf mapping (KelySaina/cdr, PJSIP, UTC+3)', () => {
  const file = 'asterisk-csv/kelysaina-cdr_custom-Master.csv';

  it('an asterisk-csv device recognises the layout by its columns and stores all 14 calls as written', async () => {
    const id = await c.device('asterisk-csv', 'Indian/Antananarivo');
    await c.importChecked(id, file, { received: 14, stored: 14, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    // Line 1: 2023-07-26 01:51:32 / 01:51:50 / 01:52:04 at UTC+3, "31","13","ANSWERED", uniqueid 1690325492.2.
    expect(callOf(rows[0]!)).toEqual({
      caller: 'client1', callee: '6789', start: '2023-07-25T22:51:32.000Z', answer: '2023-07-25T22:51:50.000Z', end: '2023-07-25T22:52:04.000Z', duration: 31, billsec: 13, disposition: 'answered',
    });
    // Line 2: empty answer, end 01:52:42, "30","0","NO ANSWER" (30 s written where the stamps are 31 s apart).
    expect(callOf(rows[1]!)).toEqual({
      caller: 'client2', callee: '1234', start: '2023-07-25T22:52:11.000Z', answer: null, end: '2023-07-25T22:52:42.000Z', duration: 30, billsec: 0, disposition: 'no_answer',
    });
    expect(await Promise.all(rows.slice(0, 2).map(async (r) => (await c.detail(r)).nativeId))).toEqual(['1690325492.2', '1690325531.5']);
  });

  it('a generic-csv device with the columns mapped by index stores all 14 calls as written', async () => {
    const id = await c.device('generic-csv', 'Indian/Antananarivo', {
      formatOptions: {
        header: false,
        columns: { caller: 1, callee: 2, start: 8, answer: 9, end: 10, duration: 11, billsec: 12, disposition: 13, accountCode: 15, nativeId: 16 },
      },
    });
    await c.importChecked(id, file, { received: 14, stored: 14, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    expect(callOf(rows[0]!)).toEqual({
      caller: 'client1', callee: '6789', start: '2023-07-25T22:51:32.000Z', answer: '2023-07-25T22:51:50.000Z', end: '2023-07-25T22:52:04.000Z', duration: 31, billsec: 13, disposition: 'answered',
    });
    // Unanswered: empty answer time; the file says 30 s although its end is 31 s after its start.
    expect(callOf(rows[1]!)).toEqual({
      caller: 'client2', callee: '1234', start: '2023-07-25T22:52:11.000Z', answer: null, end: '2023-07-25T22:52:42.000Z', duration: 30, billsec: 0, disposition: 'no_answer',
    });
    expect(callOf(rows[13]!)).toEqual({
      caller: 'client2', callee: '1234', start: '2023-07-26T06:25:00.000Z', answer: '2023-07-26T06:25:02.000Z', end: '2023-07-26T06:25:04.000Z', duration: 4, billsec: 2, disposition: 'answered',
    });
    expect((await c.detail(rows[0]!)).nativeId).toBe('1690325492.2');
    expect(rows.filter((r) => r.disposition === 'no_answer').map((r) => r.start)).toEqual([
      '2023-07-25T22:52:11.000Z',
      '2023-07-25T23:23:06.000Z',
      '2023-07-25T23:53:44.000Z',
    ]);
  });
});

describe('asterisk-json: the FreePBX cdr table of an Elastix PBX as its API returns it (101t/elastix-api, 2015, Europe/Istanbul)', () => {
  it('reads the four rows (calldate, duration and billsec only): IVR calls, a call to 101 and an unanswered queue call', async () => {
    // FreePBX's extensions on this PBX are three digits (100, 101): the device's extension pattern says so.
    const id = await c.device('asterisk-json', 'Europe/Istanbul', { extensionPattern: '\\d{3}' });
    await c.importChecked(id, 'asterisk-json/elastix-api-cdrreport.json', { received: 4, stored: 4, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    // calldate is local (UTC+2 in December 2015: uniqueid 1449302825 is 08:07:05Z, calldate 10:07:05);
    // answer = start + (duration - billsec), end = start + duration.
    expect(rows.map(callOf)).toEqual([
      { caller: '02164440375', callee: 's', start: '2015-12-05T08:07:05.000Z', answer: '2015-12-05T08:07:05.000Z', end: '2015-12-05T08:07:46.000Z', duration: 41, billsec: 41, disposition: 'answered' },
      { caller: '05396666666', callee: '101', start: '2015-12-05T13:26:49.000Z', answer: '2015-12-05T13:27:16.000Z', end: '2015-12-05T13:27:42.000Z', duration: 53, billsec: 26, disposition: 'answered' },
      { caller: '05075478515', callee: 's', start: '2015-12-05T17:57:13.000Z', answer: '2015-12-05T17:57:13.000Z', end: '2015-12-05T17:57:20.000Z', duration: 7, billsec: 7, disposition: 'answered' },
      { caller: '05512444444', callee: '100', start: '2015-12-07T12:18:20.000Z', answer: null, end: '2015-12-07T12:18:30.000Z', duration: 10, billsec: 0, disposition: 'no_answer' },
    ]);
    const details = await Promise.all(rows.map((r) => c.detail(r)));
    expect(details.map((d) => d.nativeId)).toEqual(['1449302825.65', '1449322009.66', '1449338233.68', '1449490700.71']);
    // The first three came in on the trunk SIP/902422277777 (the DID), the second rang extension 101 (SIP/101, not a
    // trunk); the fourth is the queue's Local/ leg of a call from the mobile 05512444444 ringing extension 100.
    expect(rows.map((r) => r.direction)).toEqual(['inbound', 'inbound', 'inbound', 'inbound']);
    expect(details.map((d) => ({ trunkIn: d.trunkIn, trunkOut: d.trunkOut }))).toEqual([
      { trunkIn: '902422277777', trunkOut: null },
      { trunkIn: '902422277777', trunkOut: null },
      { trunkIn: '902422277777', trunkOut: null },
      { trunkIn: null, trunkOut: null },
    ]);
  });
});

describe('grandstream-json: a UCM63xx cdrapi response in the MIT-licensed grandstream-cdr-tool (UK, Europe/London)', () => {
  it('stores the parked inbound call (main CDR and two sub-CDRs), the internal pick-up and an outbound call', async () => {
    const id = await c.device('grandstream-json', 'Europe/London');
    await c.importChecked(id, 'grandstream-json/grandstream-cdr-tool-ucm63xx-cdrapi.json', { received: 5, stored: 5, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);

    // sub_cdr_1 / sub_cdr_2: 07917330699 in on trunk Daisy, parked on 71 (35 s) then picked up by 203 (30 s); BST is UTC+1.
    const subs = rows.filter((r) => r.caller === '07917330699' && r.callee !== '01924600401');
    expect(subs.map((r) => ({ ...callOf(r), direction: r.direction }))).toEqual([
      { caller: '07917330699', callee: '71', start: '2022-08-22T08:34:32.000Z', answer: '2022-08-22T08:34:32.000Z', end: '2022-08-22T08:35:07.000Z', duration: 35, billsec: 35, disposition: 'answered', direction: 'inbound' },
      { caller: '07917330699', callee: '203', start: '2022-08-22T08:35:07.000Z', answer: '2022-08-22T08:35:07.000Z', end: '2022-08-22T08:35:38.000Z', duration: 30, billsec: 30, disposition: 'answered', direction: 'inbound' },
    ]);
    const subDetails = await Promise.all(subs.map((r) => c.detail(r)));
    expect(subDetails.map((d) => ({ nativeId: d.nativeId, trunkIn: d.trunkIn }))).toEqual([
      { nativeId: '1661157236.2641', trunkIn: 'Daisy' },
      { nativeId: '1661157236.2641', trunkIn: 'Daisy' },
    ]);
    // The main CDR (09:33:56, "65"/"65": the sums of its sub-CDRs, 35 + 30) has no answer, end or channel: it is
    // answered when its first sub-CDR is (09:34:32) and ends with its last (09:35:38), so it lasts 102 s from its
    // start; it came in on trunk Daisy like them. It is the one charged; the sub-CDRs are linked to it, never charged.
    const main = rows.find((r) => r.callee === '01924600401')!;
    expect({ ...callOf(main), direction: main.direction }).toEqual({
      caller: '07917330699', callee: '01924600401', start: '2022-08-22T08:33:56.000Z', answer: '2022-08-22T08:34:32.000Z', end: '2022-08-22T08:35:38.000Z', duration: 102, billsec: 65, disposition: 'answered', direction: 'inbound',
    });
    const mainDetail = await c.detail(main);
    expect({ trunkIn: mainDetail.trunkIn, trunkOut: mainDetail.trunkOut }).toEqual({ trunkIn: 'Daisy', trunkOut: null });
    expect(mainDetail.leg).toMatchObject({ role: 'main', callId: '1661157236570719-07917330699', billed: true });
    expect(subDetails.map((d) => d.leg && { role: d.leg.role, callId: d.leg.callId, billed: d.leg.billed })).toEqual([
      { role: 'sub', callId: '1661157236570719-07917330699', billed: false },
      { role: 'sub', callId: '1661157236570719-07917330699', billed: false },
    ]);

    const pickUp = rows.find((r) => r.caller === '203')!;
    expect({ ...callOf(pickUp), direction: pickUp.direction, callerName: pickUp.callerName }).toEqual({
      caller: '203', callee: '71', start: '2022-08-22T08:35:07.000Z', answer: '2022-08-22T08:35:07.000Z', end: '2022-08-22T08:35:38.000Z', duration: 31, billsec: 31, disposition: 'answered', direction: 'internal', callerName: '203 Louis Home',
    });
    const outbound = rows.find((r) => r.caller === '230')!;
    expect({ ...callOf(outbound), direction: outbound.direction, callerName: outbound.callerName }).toEqual({
      caller: '230', callee: '07917330699', start: '2022-08-22T08:43:58.000Z', answer: '2022-08-22T08:44:12.000Z', end: '2022-08-22T08:51:12.000Z', duration: 433, billsec: 420, disposition: 'answered', direction: 'outbound', callerName: 'Oak Technology',
    });
    const outDetail = await c.detail(outbound);
    expect({ nativeId: outDetail.nativeId, trunkOut: outDetail.trunkOut }).toEqual({ nativeId: '1661157838.2666', trunkOut: 'Daisy' });
  });
});

describe('grandstream-json: a UCM "CDR real-time output" body kept in gks ERP (2026, Greek numbers, Europe/Athens)', () => {
  it('reads the inbound ring-group call on trunk Intertelecom that nobody answered', async () => {
    const id = await c.device('grandstream-json', 'Europe/Athens');
    await c.importChecked(id, 'grandstream-json/gks-erp-ucm-realtime-cdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start 12:07:08, end 12:07:12 EET (UTC+2; uniqueid 1769422021 is 10:07:01Z); duration "3", billsec "0", NO ANSWER.
    // The UCM wrote "answer" = end (12:07:12) for this unanswered call: not an answer.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '2310690797', callee: '331', start: '2026-01-26T10:07:08.000Z', answer: null, end: '2026-01-26T10:07:12.000Z', duration: 3, billsec: 0, disposition: 'no_answer', direction: 'inbound',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, trunkIn: d.trunkIn, trunkOut: d.trunkOut }).toEqual({ nativeId: '1769422021.5655', trunkIn: 'Intertelecom', trunkOut: null });
  });
});

describe("grandstream: the example output of Grandstream's UCM CDR API guide (one data set as CSV and JSON, America/Chicago)", () => {
  // The guide's example queries use -06:00; uniqueid 1386092800 is 17:46:40Z for the start written 11:46:40.
  const call = (start: string, answer: string, end: string, duration: number, billsec: number) => ({
    caller: '5300', callee: '5301', start, answer, end, duration, billsec, disposition: 'answered',
  });
  const guideCalls = [
    call('2013-12-03T17:46:40.000Z', '2013-12-03T17:46:43.000Z', '2013-12-03T17:46:49.000Z', 9, 6),
    call('2013-12-03T20:01:41.000Z', '2013-12-03T20:01:43.000Z', '2013-12-03T20:01:46.000Z', 5, 3),
    call('2013-12-03T20:02:23.000Z', '2013-12-03T20:02:27.000Z', '2013-12-03T20:02:31.000Z', 8, 4),
  ];

  it('JSON ({"cdr": [...]} of UCM61xx): three internal calls from 5300 "pn01" to 5301', async () => {
    const id = await c.device('grandstream-json', 'America/Chicago');
    await c.importChecked(id, 'grandstream-json/ucm6100-cdr-api-guide-example.json', { received: 3, stored: 3, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    expect(rows.map(callOf)).toEqual(guideCalls);
    expect(rows.map((r) => [r.callerName, r.direction])).toEqual([['pn01', 'internal'], ['pn01', 'internal'], ['pn01', 'internal']]);
    expect((await Promise.all(rows.map((r) => c.detail(r)))).map((d) => d.nativeId)).toEqual(['1386092800.0', '1386100901.0', '1386100943.2']);
  });

  it('CSV: the header is skipped; lastdata SIP/5301,60, written unquoted (24 fields under 22 columns) is read back as one field', async () => {
    const id = await c.device('grandstream-csv', 'America/Chicago');
    await c.importChecked(id, 'grandstream-csv/ucm-cdr-api-guide-example.csv', { received: 2, stored: 2, duplicates: 0, rejected: 0, skipped: 1 });
    const rows = await c.rowsOf(id);
    expect(rows.map(callOf)).toEqual(guideCalls.slice(0, 2));
    expect(rows.map((r) => [r.callerName, r.direction])).toEqual([['pn01', 'internal'], ['pn01', 'internal']]);
    const details = await Promise.all(rows.map((r) => c.detail(r)));
    expect(details.map((d) => [d.nativeId, d.dedupKey])).toEqual([['1386092800.0', '1386092800.0:62'], ['1386100901.0', '1386100901.0:63']]);
  });
});

describe('yeastar: the NewCdr samples of the Yeastar S-Series API guide (Asia/Shanghai)', () => {
  it('reads the internal, outbound and inbound samples with their trunks and directions', async () => {
    const id = await c.device('yeastar', 'Asia/Shanghai');
    await c.importChecked(id, 'yeastar/yeastar-s-series-api-guide-newcdr.jsonl', { received: 3, stored: 3, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    expect(rows.map((r) => ({ caller: r.caller, callee: r.callee, start: r.start, duration: r.duration, billsec: r.billsec, disposition: r.disposition, direction: r.direction }))).toEqual([
      { caller: '1002', callee: '1000', start: '2017-05-25T14:15:10.000Z', duration: 3, billsec: 2, disposition: 'answered', direction: 'internal' },
      { caller: '102', callee: '1000', start: '2017-09-14T01:27:25.000Z', duration: 38, billsec: 29, disposition: 'answered', direction: 'inbound' },
      { caller: '1000', callee: '91000', start: '2017-09-14T01:30:15.000Z', duration: 29, billsec: 29, disposition: 'answered', direction: 'outbound' },
    ]);
    const [internal, inbound, outbound] = await Promise.all(rows.map((r) => c.detail(r)));
    expect(internal!.nativeId).toBe('1495779310.371');
    expect({ nativeId: inbound!.nativeId, trunkIn: inbound!.trunkIn, trunkOut: inbound!.trunkOut }).toEqual({ nativeId: '1505352445.265', trunkIn: 'Apple_test', trunkOut: null });
    expect({ nativeId: outbound!.nativeId, trunkIn: outbound!.trunkIn, trunkOut: outbound!.trunkOut }).toEqual({ nativeId: '1505352615.274', trunkIn: null, trunkOut: 'Apple_test' });
  });
});
