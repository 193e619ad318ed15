/**
 * The real-world corpus (test/fixtures/real, SOURCES.md there says where each file comes from): each file is
 * imported into a device of its format and time zone, then the counts, the reasons of the rejects and a few rows
 * are compared with what the file says. The expected rows were read off the raw files by hand (times converted
 * with the zone the file's own Asterisk uniqueids or epochs give), not taken from what the import produced.
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
    expect((await c.detail(rows[0]!)).nativeId).toBe('1270167992.0');
    expect((await c.detail(rows[1]!)).nativeId).toBe('1270168442.0');

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

  it('an asterisk-csv device reads every one of the 14 lines into a call or a reject that names its line', async () => {
    const id = await c.device('asterisk-csv', 'Indian/Antananarivo');
    const result = await c.importReal(id, file);
    expect(result.received).toBe(14);
    expect(result.stored + result.duplicates + result.rejected).toBe(14);
    for (const reject of result.rejects) expect(reject.reason).toMatch(/^line (?:[1-9]|1[0-4]): /);
    expect(c.storedCount(id)).toBe(result.stored);
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

describe('cucm: Cisco Unified CM flat file, 133 columns (sieteunoseis/cisco-cucm-cdr)', () => {
  it('reads a phone-to-phone call and the two legs of its built-in-bridge recording; header and type lines skipped', async () => {
    const id = await c.device('cucm', 'America/Los_Angeles');
    await c.importChecked(id, 'cucm/cisco-cucm-cdr-examples-cdr.txt', { received: 3, stored: 3, duplicates: 0, rejected: 0, skipped: 2 });
    const rows = await c.rowsOf(id);
    const call = rows.find((r) => r.caller === '5033466594')!;
    expect(callOf(call)).toEqual({
      caller: '5033466594', callee: '5033466593', start: '2025-04-18T16:32:08.000Z', answer: '2025-04-18T16:32:10.000Z', end: '2025-04-18T16:32:21.000Z', duration: 13, billsec: 11, disposition: 'answered',
    });
    const callDetail = await c.detail(call);
    expect({ nativeId: callDetail.nativeId, cause: callDetail.cause, finalCallee: callDetail.finalCallee }).toEqual({
      nativeId: '2:25447',
      cause: '16',
      finalCallee: '5033466593',
    });

    // The recording legs (callers b00…, partition InformLabRecording) were never connected: nothing to bill.
    const recordingLegs = rows.filter((r) => r.caller.startsWith('b00'));
    expect(recordingLegs.map((r) => ({ caller: r.caller, callee: r.callee, start: r.start, billsec: r.billsec }))).toEqual([
      { caller: 'b002179144511001', callee: '5030079981', start: '2025-04-18T16:32:10.000Z', billsec: 0 },
      { caller: 'b002179144411001', callee: '5030079981', start: '2025-04-18T16:32:10.000Z', billsec: 0 },
    ]);
    expect((await Promise.all(recordingLegs.map((r) => c.detail(r)))).map((d) => d.nativeId)).toEqual(['2:25449', '2:25448']);
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

describe('freeswitch-xml: a FreeSWITCH 1.4.6 mod_xml_cdr body of an OpenBTS cell (CommunityCellularManager fixture)', () => {
  it('reads the A leg bridged to the sip.nexmo.com gateway: times from the epochs, 17 s billed of 37 s', async () => {
    const id = await c.device('freeswitch-xml', 'UTC');
    await c.importChecked(id, 'freeswitch-xml/ccm-endaga-invalid.cdr.xml', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1418419343 / 1418419363 / 1418419380; <duration>37</duration>, <billsec>17</billsec>.
    // The caller is left out: the caller profile holds the SIM's IMSI, the dialplan presented 6282349406514.
    expect(callOf(row!)).toMatchObject({
      callee: '6282349406513', start: '2014-12-12T21:22:23.000Z', answer: '2014-12-12T21:22:43.000Z', end: '2014-12-12T21:23:00.000Z', duration: 37, billsec: 17, disposition: 'answered',
    });
    expect(row!.callerName).toBe('6282349406514');
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: 'fff6895c-de04-4a59-b1c5-458835891c73', cause: 'NORMAL_CLEARING' });
  });
});

describe('freeswitch-json: mod_json_cdr bodies FreeSWITCH posted to CGRateS (cgrates test data)', () => {
  it('2014 (callflow as objects, Europe/Berlin): 1001 calls 1002, 15 s billed of 21 s', async () => {
    const id = await c.device('freeswitch-json', 'Europe/Berlin');
    await c.importChecked(id, 'freeswitch-json/cgrates-fsevcorelate-jsonCdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_stamp 2014-04-08 21:10:21 (+0200 says RFC2822_DATE) = start_epoch 1396984221; answer 1396984227; end 1396984242.
    expect(callOf(row!)).toEqual({
      caller: '1001', callee: '1002', start: '2014-04-08T19:10:21.000Z', answer: '2014-04-08T19:10:27.000Z', end: '2014-04-08T19:10:42.000Z', duration: 21, billsec: 15, disposition: 'answered',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '86cfd6e2-dbda-45a3-b59d-f683ec368e8b', cause: 'NORMAL_CLEARING' });
  });

  it('2018 (callStats, callflow as an array, America/New_York): 1001 calls 1002, 21 s billed of 30 s', async () => {
    const id = await c.device('freeswitch-json', 'America/New_York');
    await c.importChecked(id, 'freeswitch-json/cgrates-fsevent-2018-jsonCdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_stamp 2018-03-14 07:09:18 local = start_epoch 1521025758 (Event-Date-GMT 11:09:18); answer 1521025767; end 1521025788.
    expect(callOf(row!)).toEqual({
      caller: '1001', callee: '1002', start: '2018-03-14T11:09:18.000Z', answer: '2018-03-14T11:09:27.000Z', end: '2018-03-14T11:09:48.000Z', duration: 30, billsec: 21, disposition: 'answered',
    });
    expect((await c.detail(row!)).nativeId).toBe('5a3a1d91-90d3-4db4-af5c-cc3ae15d93a4');
  });
});

describe('freeswitch-json: a body CGRateS keeps tab-indented (engine/fscdr_test.go, 2018-01-11, Europe/Berlin)', () => {
  it('1001 calls 1002: 68 s billed of 71 s, 67 s of it on hold', async () => {
    const id = await c.device('freeswitch-json', 'Europe/Berlin');
    await c.importChecked(id, 'freeswitch-json/cgrates-fscdr-2018-tabs.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_stamp 11:25:44 (CET) = start_epoch 1515666344; answer_epoch 1515666347; end_epoch 1515666415.
    expect(callOf(row!)).toEqual({
      caller: '1001', callee: '1002', start: '2018-01-11T10:25:44.000Z', answer: '2018-01-11T10:25:47.000Z', end: '2018-01-11T10:26:55.000Z', duration: 71, billsec: 68, disposition: 'answered',
    });
    expect((await c.detail(row!)).nativeId).toBe('3da8bf84-c133-4959-9e24-e72875cb33a1');
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
    // The main CDR sums its sub-CDRs (65 s = 35 + 30) and is the one charged; the sub-CDRs are linked to it, never charged.
    const main = rows.find((r) => r.callee === '01924600401')!;
    expect({ caller: main.caller, start: main.start, duration: main.duration, billsec: main.billsec }).toEqual({ caller: '07917330699', start: '2022-08-22T08:33:56.000Z', duration: 65, billsec: 65 });
    expect((await c.detail(main)).leg).toMatchObject({ role: 'main', callId: '1661157236570719-07917330699', billed: true });
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

describe('ipoffice-smdr: the SMDR stream of an IP Office answering a crisis line (telephony-capture-service, America/Vancouver)', () => {
  it('reads 24 records of 30 columns split across three TCP writes: answered, unanswered and voicemail calls', async () => {
    const id = await c.device('ipoffice-smdr', 'America/Vancouver');
    await c.importChecked(id, 'ipoffice-smdr/telephony-capture-service-smdr-stream.txt', { received: 24, stored: 24, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    const withDetail = await Promise.all(rows.map(async (r) => ({ row: r, d: await c.detail(r) })));
    const byCallId = (callId: string) => withDetail.filter((x) => x.d.nativeId === callId);

    // 2015/03/01 00:54:10 (PST, UTC-8), ring 5 s, connected 00:00:45; E218 Volunteer9 answered Line 1.0 (T9001).
    const [first] = byCallId('1008741');
    expect({ ...callOf(first!.row), direction: first!.row.direction, trunkIn: first!.d.trunkIn }).toEqual({
      caller: '16046150477', callee: '203', start: '2015-03-01T08:54:10.000Z', answer: '2015-03-01T08:54:15.000Z', end: '2015-03-01T08:55:00.000Z', duration: 50, billsec: 45, disposition: 'answered', direction: 'inbound', trunkIn: 'T9001',
    });
    // 01:21:24, rang 18 s on Line 15.0, connected 00:00:00: not answered.
    const [unanswered] = byCallId('1008745');
    expect(callOf(unanswered!.row)).toEqual({
      caller: '6042904566', callee: '206', start: '2015-03-01T09:21:24.000Z', answer: null, end: '2015-03-01T09:21:42.000Z', duration: 18, billsec: 0, disposition: 'no_answer',
    });
    // The record split across the first two writes (…,0,| 1008744,0,E218,…) is read whole.
    const [split] = byCallId('1008744');
    expect({ caller: split!.row.caller, start: split!.row.start, billsec: split!.row.billsec, trunkIn: split!.d.trunkIn }).toEqual({
      caller: '6046136447', start: '2015-03-01T09:18:00.000Z', billsec: 383, trunkIn: 'T9014',
    });
    // The test's author repeated the 8 records with the hour moved on (02:xx, 03:xx), keeping the call ids.
    expect(byCallId('1008741').map((x) => x.row.start)).toEqual(['2015-03-01T08:54:10.000Z', '2015-03-01T09:54:10.000Z', '2015-03-01T10:54:10.000Z']);
  });
});

describe('freeswitch-json: mod_json_cdr bodies a Somleng (Rayo) FreeSWITCH posted, 2021-2022 (somleng, switch clock in UTC)', () => {
  it('an inbound call from a Cambodian mobile to the number 1294: 3 s billed of 4 s', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/somleng-inbound.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1657097403 / 1657097404 / 1657097407 (start_stamp 08:50:03 is the same: the switch ran in UTC).
    expect(callOf(row!)).toMatchObject({
      callee: '1294', start: '2022-07-06T08:50:03.000Z', answer: '2022-07-06T08:50:04.000Z', end: '2022-07-06T08:50:07.000Z', duration: 4, billsec: 3, disposition: 'answered',
    });
    expect(row!.caller.replace(/^\+/, '')).toBe('85516234567');
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '77e3b4f2-cac1-4724-81f6-f1cd5e01770c', cause: 'NORMAL_UNSPECIFIED' });
  });

  it('two outbound legs joined by uuid_bridge: both stored with their own times, linked as one call, charged once', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    const counts = { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 };
    await c.importChecked(id, 'freeswitch-json/somleng-leg-a-joined-by-leg-b.json', counts);
    await c.importChecked(id, 'freeswitch-json/somleng-leg-b.json', counts);
    const rows = await c.rowsOf(id);
    // 7bfa8442…: to 0715100860 via 175.100.32.29, epochs 1624793631 / 1624793640 / 1624793648, 17 s, 8 s billed.
    // 21bc47f2…: to 1234@somleng-foobar.sip.twilio.com, epochs 1624793642 / 1624793643 / 1624793648, 6 s, 5 s billed.
    expect(rows.map((r) => ({ callee: r.callee, start: r.start, answer: r.answer, end: r.end, duration: r.duration, billsec: r.billsec }))).toEqual([
      { callee: '0715100860', start: '2021-06-27T11:33:51.000Z', answer: '2021-06-27T11:34:00.000Z', end: '2021-06-27T11:34:08.000Z', duration: 17, billsec: 8 },
      { callee: '1234', start: '2021-06-27T11:34:02.000Z', answer: '2021-06-27T11:34:03.000Z', end: '2021-06-27T11:34:08.000Z', duration: 6, billsec: 5 },
    ]);
    const details = await Promise.all(rows.map((r) => c.detail(r)));
    expect(details.map((d) => d.nativeId)).toEqual(['7bfa8442-8fa2-4daa-bf10-6be79c9a07f6', '21bc47f2-250c-4d98-a157-0ad756d54027']);
    // Each names the other as bridge_uuid: one call, whichever leg is charged, the other is linked and never charged.
    expect(new Set(details.map((d) => d.leg?.callId)).size).toBe(1);
    expect(details.filter((d) => d.leg?.billed).length).toBe(1);
  });
});

describe('freeswitch-json: a Rayo-originated call to Somaliland billed by a Somleng biller plugin (twilreapi-active_biller-unicef_io)', () => {
  it('reads the outbound leg answered by an Asterisk 1.6 carrier: 20 s billed of 27 s', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/twilreapi-biller-unicef-io-cdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1493881624 / 1493881631 / 1493881651; start_stamp 07:07:04 is the same wall clock (UTC).
    // The caller is left out: the caller profile repeats the callee (252634478430); FreeSWITCH's ani is 1234.
    expect(callOf(row!)).toMatchObject({
      callee: '252634478430', start: '2017-05-04T07:07:04.000Z', answer: '2017-05-04T07:07:11.000Z', end: '2017-05-04T07:07:31.000Z', duration: 27, billsec: 20, disposition: 'answered',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '1a1b4ca5-1121-430a-b3ef-75dcef780214', cause: 'NORMAL_CLEARING' });
  });
});

describe('freeswitch-json: more Somleng bodies (an unanswered call of 2016, a 2025 body FreeSWITCH wrote with bare nan)', () => {
  it('2016, a developer switch in Cambodia (UTC+7): the caller cancels a bridge to 85595975802 after 1 s', async () => {
    const id = await c.device('freeswitch-json', 'Asia/Phnom_Penh');
    await c.importChecked(id, 'freeswitch-json/somleng-2016-originator-cancel.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_stamp 16:15:23 local = start_epoch 1474362923 (09:15:23Z); answer_epoch 0; end_epoch 1474362924.
    expect(callOf(row!)).toEqual({
      caller: '1234', callee: '85595975802', start: '2016-09-20T09:15:23.000Z', answer: null, end: '2016-09-20T09:15:24.000Z', duration: 1, billsec: 0, disposition: 'no_answer',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '1b17f1e5-becb-4daa-8cb8-1ec822dd4297', cause: 'ORIGINATOR_CANCEL' });
  });

  it('2022, outbound to 6998050496961447: 79 s of early media, refused with 480 (NO_USER_RESPONSE), nothing to bill', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/somleng-outbound-no-answer.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_epoch 1657099351, answer_epoch 0, end_epoch 1657099430; errorLog's "start": 1.6570994217498e+15 is read as a number.
    // The caller is left out: the caller profile repeats the callee; the ani is +50222787192.
    expect(callOf(row!)).toMatchObject({
      callee: '6998050496961447', start: '2022-07-06T09:22:31.000Z', answer: null, end: '2022-07-06T09:23:50.000Z', duration: 79, billsec: 0, disposition: 'no_answer',
    });
    expect((await c.detail(row!)).cause).toBe('NO_USER_RESPONSE');
  });

  it('2025: callStats "quality_percentage":nan, "mos":nan (no packet came in) make the body unreadable as JSON', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/somleng-nan-callstats.json', { received: 1, stored: 0, duplicates: 0, rejected: 1, skipped: 0 }, [/^not JSON .*nan/]);
  });
});

describe('freeswitch-csv: the mod_cdr_csv samples of the FreeSWITCH documentation (signalwire/freeswitch-docs, MIT)', () => {
  it('CDR page, Master.csv of the default template (2014, switch in UTC): five calls from context public refused at once', async () => {
    const id = await c.device('freeswitch-csv', 'UTC');
    await c.importChecked(id, 'freeswitch-csv/freeswitch-docs-cdr-examples-Master.csv', { received: 5, stored: 5, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await c.rowsOf(id);
    // Each line: empty answer_stamp, end_stamp = start_stamp, duration "0", billsec "0", NORMAL_CLEARING.
    const refused = (caller: string, callee: string, at: string) => ({ caller, callee, start: at, answer: null, end: at, duration: 0, billsec: 0, disposition: 'no_answer' });
    expect(rows.map(callOf)).toEqual([
      refused('9007', '0034688886392', '2014-05-29T16:59:50.000Z'),
      refused('9008', '+34688886392', '2014-05-29T17:01:32.000Z'),
      refused('9008', '34688886392', '2014-05-29T17:01:33.000Z'),
      refused('9008', '0034688886392', '2014-05-29T17:01:33.000Z'),
      refused('9008', '00034688886392', '2014-05-29T17:01:34.000Z'),
    ]);
    // Context public is where FreeSWITCH puts calls that come from outside.
    expect(rows.map((r) => r.direction)).toEqual(['inbound', 'inbound', 'inbound', 'inbound', 'inbound']);
    const details = await Promise.all(rows.map((r) => c.detail(r)));
    expect(details.map((d) => d.nativeId)).toEqual([
      'a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d',
      'e29ff0ae-e752-11e3-8bff-65b6c3cdac7d',
      'e2fe712e-e752-11e3-8c03-65b6c3cdac7d',
      'e34619ac-e752-11e3-8c07-65b6c3cdac7d',
      'e38cb5b0-e752-11e3-8c0b-65b6c3cdac7d',
    ]);
  });

  it('mod_cdr_csv page, the line "after a successful call" (2020, +1 916, America/Los_Angeles): 5 s answered', async () => {
    const id = await c.device('freeswitch-csv', 'America/Los_Angeles');
    await c.importChecked(id, 'freeswitch-csv/freeswitch-docs-mod_cdr_csv-example.csv', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // 2020-10-12 16:52:37 / 16:52:37 / 16:52:42 PDT (UTC-7), duration "5", billsec "5".
    expect(callOf(row!)).toEqual({
      caller: '+19168897510', callee: '+19167324000', start: '2020-10-12T23:52:37.000Z', answer: '2020-10-12T23:52:37.000Z', end: '2020-10-12T23:52:42.000Z', duration: 5, billsec: 5, disposition: 'answered',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '5f26b500-d6b1-4c8a-b3ed-cfbea629f011', cause: 'NORMAL_CLEARING' });
  });
});

describe('freeswitch-xml: the mod_xml_cdr sample of the FreeSWITCH documentation (2014, switch in UTC)', () => {
  it('an inbound call from 8009 (sipcli/v1.8) to 003468888646444 refused before answer', async () => {
    const id = await c.device('freeswitch-xml', 'UTC');
    await c.importChecked(id, 'freeswitch-xml/freeswitch-docs-cdr-example.cdr.xml', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_epoch = end_epoch = 1399273898 (start_stamp 2014-05-05 07:11:38, RFC2822_DATE +0000); answer_epoch 0.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '8009', callee: '003468888646444', start: '2014-05-05T07:11:38.000Z', answer: null, end: '2014-05-05T07:11:38.000Z', duration: 0, billsec: 0, disposition: 'no_answer', direction: 'inbound',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '80183ec8-d424-11e3-8fb2-65b6c3cdac7d', cause: 'NORMAL_CLEARING' });
  });
});

describe('asterisk-json: the FreePBX cdr table of an Elastix PBX as its API returns it (101t/elastix-api, 2015, Europe/Istanbul)', () => {
  it('reads the four rows (calldate, duration and billsec only): IVR calls, a call to 101 and an unanswered queue call', async () => {
    const id = await c.device('asterisk-json', 'Europe/Istanbul');
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
    // The first three came in on the trunk SIP/902422277777 (the DID); the fourth is the queue's Local/ leg of an inbound call.
    expect(rows.slice(0, 3).map((r) => r.direction)).toEqual(['inbound', 'inbound', 'inbound']);
    expect(details.slice(0, 3).map((d) => d.trunkIn)).toEqual(['902422277777', '902422277777', '902422277777']);
  });
});

describe('grandstream-json: a UCM "CDR real-time output" body kept in gks ERP (2026, Greek numbers, Europe/Athens)', () => {
  it('reads the inbound ring-group call on trunk Intertelecom that nobody answered', async () => {
    const id = await c.device('grandstream-json', 'Europe/Athens');
    await c.importChecked(id, 'grandstream-json/gks-erp-ucm-realtime-cdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start 12:07:08, end 12:07:12 EET (UTC+2; uniqueid 1769422021 is 10:07:01Z); duration "3", billsec "0", NO ANSWER.
    // The answer time is left out: the UCM wrote "answer" = end for this unanswered call.
    expect({ ...callOf(row!), direction: row!.direction }).toMatchObject({
      caller: '2310690797', callee: '331', start: '2026-01-26T10:07:08.000Z', end: '2026-01-26T10:07:12.000Z', duration: 3, billsec: 0, disposition: 'no_answer', direction: 'inbound',
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

  it('CSV: the header is skipped; each record (lastdata SIP/5301,60, written unquoted) is a guide call or a reject naming its line', async () => {
    const id = await c.device('grandstream-csv', 'America/Chicago');
    const result = await c.importReal(id, 'grandstream-csv/ucm-cdr-api-guide-example.csv');
    expect({ received: result.received, skipped: result.skipped, duplicates: result.duplicates }).toEqual({ received: 2, skipped: 1, duplicates: 0 });
    expect(result.stored + result.rejected).toBe(2);
    for (const reject of result.rejects) expect(reject.reason).toMatch(/^line [23]: /);
    const rows = await c.rowsOf(id);
    expect(rows.length).toBe(result.stored);
    for (const row of rows) expect(guideCalls.slice(0, 2)).toContainEqual(callOf(row));
  });
});
