/**
 * The real-world corpus (test/fixtures/real, SOURCES.md there says where each file comes from), FreeSWITCH, Cisco
 * CUCM and Avaya IP Office: each file is imported into a device of its format and time zone, then the counts, the
 * reasons of the rejects and a few rows are compared with what the file says. The expected rows were read off the raw
 * files by hand (times converted with the zone the files' epochs give), not taken from what the import produced.
 * Asterisk and the PBXs built on it: ./real-corpus-asterisk.test.ts.
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
    const legDetails = await Promise.all(recordingLegs.map((r) => c.detail(r)));
    expect(legDetails.map((d) => d.nativeId)).toEqual(['2:25449', '2:25448']);
    // Each records one side of the call 2:25447: its origConversationId is that call's orig leg (47874239, the
    // caller's phone) or dest leg (47874240, the callee's phone). Both are linked to the call, under its id (its
    // orig leg), though the callee's side names the dest leg and came before the call in the file. Neither is charged.
    expect(legDetails.map((d) => d.leg && { role: d.leg.role, callId: d.leg.callId, billed: d.leg.billed })).toEqual([
      { role: 'recording', callId: '2:47874239', billed: false },
      { role: 'recording', callId: '2:47874239', billed: false },
    ]);
    for (const d of legDetails) expect(d.leg!.others.filter((o) => o.billed).map((o) => o.id)).toEqual([call.id]);
    expect(callDetail.leg!.others.map((o) => [o.id, o.role, o.billed]).sort()).toEqual(
      recordingLegs.map((r) => [r.id, 'recording', false]).sort(),
    );
    expect(recordingLegs.map((r) => r.status)).toEqual(['pending', 'pending']);
  });
});

describe('freeswitch-xml: a FreeSWITCH 1.4.6 mod_xml_cdr body of an OpenBTS cell (CommunityCellularManager fixture)', () => {
  it('reads the A leg bridged to the sip.nexmo.com gateway: times from the epochs, 17 s billed of 37 s', async () => {
    const id = await c.device('freeswitch-xml', 'UTC');
    await c.importChecked(id, 'freeswitch-xml/ccm-endaga-invalid.cdr.xml', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1418419343 / 1418419363 / 1418419380; <duration>37</duration>, <billsec>17</billsec>.
    // The caller profile holds the SIM's IMSI (IMSI510555550000168); the dialplan presented the handset's number as
    // effective_caller_id_number 6282349406514 and bridged to sofia/gateway/sip.nexmo.com/6282349406513.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '6282349406514', direction: 'outbound', callee: '6282349406513', start: '2014-12-12T21:22:23.000Z', answer: '2014-12-12T21:22:43.000Z', end: '2014-12-12T21:23:00.000Z', duration: 37, billsec: 17, disposition: 'answered',
    });
    expect(row!.callerName).toBe('6282349406514');
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause, trunkIn: d.trunkIn, trunkOut: d.trunkOut }).toEqual({
      nativeId: 'fff6895c-de04-4a59-b1c5-458835891c73',
      cause: 'NORMAL_CLEARING',
      trunkIn: null,
      trunkOut: 'sip.nexmo.com',
    });
  });
});

describe('freeswitch-json: mod_json_cdr bodies FreeSWITCH posted to CGRateS (cgrates test data)', () => {
  it('2014 (callflow as objects, Europe/Berlin): 1001 calls 1002, 15 s billed of 21 s', async () => {
    const id = await c.device('freeswitch-json', 'Europe/Berlin');
    await c.importChecked(id, 'freeswitch-json/cgrates-fsevcorelate-jsonCdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start_stamp 2014-04-08 21:10:21 (+0200 says RFC2822_DATE) = start_epoch 1396984221; answer 1396984227; end 1396984242.
    // 1001 is a directory user (user_name), 1002 was reached by bridge user/1002@…: both are the switch's own users.
    expect(row!.direction).toBe('internal');
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
    expect(row!.direction).toBe('internal');
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
    // No user_name here: presence_id 1001@10.10.10.204 says 1001 is a directory user; dialed_user is 1002.
    expect(row!.direction).toBe('internal');
    expect(callOf(row!)).toEqual({
      caller: '1001', callee: '1002', start: '2018-01-11T10:25:44.000Z', answer: '2018-01-11T10:25:47.000Z', end: '2018-01-11T10:26:55.000Z', duration: 71, billsec: 68, disposition: 'answered',
    });
    expect((await c.detail(row!)).nativeId).toBe('3da8bf84-c133-4959-9e24-e72875cb33a1');
  });
});

describe('freeswitch-json: mod_json_cdr bodies a Somleng (Rayo) FreeSWITCH posted, 2021-2022 (somleng, switch clock in UTC)', () => {
  it('an inbound call from a Cambodian mobile to the number 1294: 3 s billed of 4 s', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/somleng-inbound.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1657097403 / 1657097404 / 1657097407 (start_stamp 08:50:03 is the same: the switch ran in UTC).
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '+85516234567', callee: '1294', start: '2022-07-06T08:50:03.000Z', answer: '2022-07-06T08:50:04.000Z', end: '2022-07-06T08:50:07.000Z', duration: 4, billsec: 3, disposition: 'answered', direction: 'inbound',
    });
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
    // Both channels were placed by the switch (caller profiles from switch_ivr_originate.c) and joined by uuid_bridge,
    // so FreeSWITCH's originator/originatee roles only follow the command's arguments. The call is 1294 -> 0715100860
    // (origination_caller_id_number 1294); 21bc47f2… calls its own number (caller profile 1234 -> 1234): the B leg.
    expect(rows.map((r) => ({ caller: r.caller, direction: r.direction }))).toEqual([
      { caller: '1294', direction: 'outbound' },
      { caller: '1294', direction: 'unknown' },
    ]);
    expect(details.map((d) => d.leg && { role: d.leg.role, callId: d.leg.callId, billed: d.leg.billed })).toEqual([
      { role: 'a', callId: '7bfa8442-8fa2-4daa-bf10-6be79c9a07f6', billed: true },
      { role: 'b', callId: '7bfa8442-8fa2-4daa-bf10-6be79c9a07f6', billed: false },
    ]);
  });
});

describe('freeswitch-json: a Rayo-originated call to Somaliland billed by a Somleng biller plugin (twilreapi-active_biller-unicef_io)', () => {
  it('reads the outbound leg answered by an Asterisk 1.6 carrier: 20 s billed of 27 s', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/twilreapi-biller-unicef-io-cdr.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1493881624 / 1493881631 / 1493881651; start_stamp 07:07:04 is the same wall clock (UTC).
    // The caller profile repeats the callee (252634478430); the number the switch presented is the ani /
    // origination_caller_id_number 1234. The switch placed the channel (direction outbound) to an outside number.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '1234', direction: 'outbound', callee: '252634478430', start: '2017-05-04T07:07:04.000Z', answer: '2017-05-04T07:07:11.000Z', end: '2017-05-04T07:07:31.000Z', duration: 27, billsec: 20, disposition: 'answered',
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
    // The caller profile repeats the callee; the ani / origination_caller_id_number is %2B50222787192.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '+50222787192', direction: 'outbound', callee: '6998050496961447', start: '2022-07-06T09:22:31.000Z', answer: null, end: '2022-07-06T09:23:50.000Z', duration: 79, billsec: 0, disposition: 'no_answer',
    });
    expect((await c.detail(row!)).cause).toBe('NO_USER_RESPONSE');
  });

  it('2025: callStats "quality_percentage":nan, "mos":nan (no packet came in) are read as no value; the call is stored', async () => {
    const id = await c.device('freeswitch-json', 'UTC');
    await c.importChecked(id, 'freeswitch-json/somleng-nan-callstats.json', { received: 1, stored: 1, duplicates: 0, rejected: 0, skipped: 0 });
    const [row] = await c.rowsOf(id);
    // start/answer/end_epoch 1745629742 / 1745629749 / 1745629775, duration "33", billsec "26"; ani 525550894262.
    expect({ ...callOf(row!), direction: row!.direction }).toEqual({
      caller: '525550894262', callee: '69980528134193323', start: '2025-04-26T01:09:02.000Z', answer: '2025-04-26T01:09:09.000Z', end: '2025-04-26T01:09:35.000Z', duration: 33, billsec: 26, disposition: 'answered', direction: 'outbound',
    });
    const d = await c.detail(row!);
    expect({ nativeId: d.nativeId, cause: d.cause }).toEqual({ nativeId: '29326605-2668-4982-8365-df8939a82582', cause: 'NORMAL_CLEARING' });
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
    // Context "default" is where the switch's own users call from; +19167324000 is an outside number.
    expect(row!.direction).toBe('outbound');
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
