import { describe, expect, it } from 'vitest';
import { extractCdrDocument } from './freeswitch-body';
import { BEIJING, fixtureText, isoOf, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

describe('freeswitch-csv: example template', () => {
  const result = parseFixture('freeswitch-csv', 'freeswitch-example.csv');

  it('reads the three calls with uuid as native id', () => {
    expect(result.rejects).toEqual([]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callerName, c.callee, c.billsec, c.disposition, c.cause])).toEqual([
      ['6f1c2a9e-0b7d-4e55-9a61-2d4c8e7f1a20', '8001', 'Li Wei', '02150001234', 122, 'answered', 'NORMAL_CLEARING'],
      ['6f1c2a9e-0b7d-4e55-9a61-2d4c8e7f1a22', '8002', 'Zhang Min', '13800138000', 61, 'answered', 'NORMAL_CLEARING'],
      ['6f1c2a9e-0b7d-4e55-9a61-2d4c8e7f1a23', '8003', 'Wang Fang', '62345678', 0, 'no_answer', 'NO_ANSWER'],
    ]);
    expect(result.cdrs[0]!.dedupKey).toMatch(/^6f1c2a9e-0b7d-4e55-9a61-2d4c8e7f1a20#[0-9a-f]{32}$/);
  });

  it('reads local stamps in the device zone; an empty answer stamp means unanswered', () => {
    const [first, , third] = result.cdrs;
    expect([isoOf(first!.startMs), isoOf(first!.answerMs), isoOf(first!.endMs)]).toEqual([
      '2026-03-02T01:15:02.000Z',
      '2026-03-02T01:15:09.000Z',
      '2026-03-02T01:17:11.000Z',
    ]);
    expect(third!.answerMs).toBeNull();
    expect(first!.accountCode).toBe('ent-a');
  });

  it('maps hangup causes of unanswered calls, and rejects short or malformed lines', () => {
    const line = (cause: string) =>
      `"Li Wei","8001","8004","default","2026-03-02 10:00:00","","2026-03-02 10:00:09","9","0","${cause}","u-1","","ent-a","PCMA","PCMA"`;
    const disposition = (cause: string) => parseCdrText('freeswitch-csv', line(cause), BEIJING).cdrs[0]!.disposition;
    expect(disposition('USER_BUSY')).toBe('busy');
    expect(disposition('ORIGINATOR_CANCEL')).toBe('no_answer');
    expect(disposition('CALL_REJECTED')).toBe('failed');
    expect(disposition('UNALLOCATED_NUMBER')).toBe('failed');
    const bad = parseCdrText(
      'freeswitch-csv',
      ['"Li Wei","8001","8004"', line('X').replace('"2026-03-02 10:00:09"', '"x"'), line('NORMAL CLEARING'), line('X').replace('"u-1"', '"u 1"')].join('\n'),
      BEIJING,
    );
    expect(bad.rejects.map((r) => r.reason)).toEqual([
      'line 1: expected 15 columns (example template) or 13 (default template), found 3',
      "line 2: field end_stamp: 'x' is not a date and time (YYYY-MM-DD HH:MM:SS)",
      "line 3: field hangup_cause: 'NORMAL CLEARING' is not a hangup cause name",
      "line 4: field uuid: 'u 1' is not a channel uuid",
    ]);
  });

  it('takes the "public" context as a call from outside', () => {
    const line =
      '"","013912345678","66668888","public","2026-03-02 10:00:00","2026-03-02 10:00:02","2026-03-02 10:00:09","9","7","NORMAL_CLEARING","u-2","","","PCMA","PCMA"';
    expect(parseCdrText('freeswitch-csv', line, BEIJING).cdrs[0]!.direction).toBe('inbound');
  });
});

describe('freeswitch-csv: legs="ab", both channels of a call in one file', () => {
  const result = parseFixture('freeswitch-csv', 'freeswitch-legs-ab.csv');
  const A = (n: number) => `5b1e7c40-2d9a-4c1e-8f3b-6a0d2e9c4a1${n}`;
  const B = (n: number) => `5b1e7c40-2d9a-4c1e-8f3b-6a0d2e9c4b1${n}`;

  it('reads an A line, which names its B leg in bleg_uuid, and a B line, which names nothing (the store links them)', () => {
    expect(result.cdrs.map((c) => [c.nativeId, c.leg])).toEqual([
      [B(1), { role: null, callId: B(1), billed: true }],
      [A(1), { role: 'a', callId: A(1), billed: true, otherLegId: B(1) }],
      [A(2), { role: 'a', callId: A(2), billed: true, otherLegId: B(2) }],
      [B(2), { role: null, callId: B(2), billed: true }],
      [A(3), { role: 'a', callId: A(3), billed: true, otherLegId: B(3) }],
      [B(3), { role: null, callId: B(3), billed: true }],
      [B(4), { role: null, callId: B(4), billed: true }],
      [B(6), { role: null, callId: B(6), billed: true }],
      [A(4), { role: 'a', callId: A(4), billed: true, otherLegId: B(4) }],
      [A(5), { role: null, callId: A(5), billed: true }],
      [A(6), { role: 'a', callId: A(6), billed: true, otherLegId: B(6) }],
    ]);
  });

  it('leaves the A lines uncharged when the device bills the B legs', () => {
    const b = parseFixture('freeswitch-csv', 'freeswitch-legs-ab.csv', { ...BEIJING, formatOptions: { billedLeg: 'b' } });
    expect(b.cdrs.filter((c) => c.leg!.role === 'a').every((c) => c.leg!.billed === false)).toBe(true);
    expect(b.cdrs.filter((c) => c.leg!.role === null).every((c) => c.leg!.billed)).toBe(true);
  });

  it('rejects a line of a column count no template has and a line whose columns are shifted', () => {
    expect(result.rejects.map((r) => r.reason)).toEqual([
      'line 12: expected 15 columns (example template) or 13 (default template), found 14',
      "line 13: field duration: 'NORMAL_CLEARING' is not a whole number of seconds",
    ]);
  });

  it("reads the module's built-in default template (13 columns, a space before the account code)", () => {
    const line = '"Li Wei","8001","8004","default","2026-03-02 10:00:00","2026-03-02 10:00:02","2026-03-02 10:00:09","9","7","NORMAL_CLEARING","u-7","u-8", "ent-a"';
    expect(parseCdrText('freeswitch-csv', line, BEIJING).cdrs[0]).toMatchObject({ accountCode: 'ent-a', billsec: 7, leg: { role: 'a', otherLegId: 'u-8' } });
  });

  it("rejects every line while the device's billedLeg setting is neither 'a' nor 'b'", () => {
    const wrong = parseFixture('freeswitch-csv', 'freeswitch-legs-ab.csv', { ...BEIJING, formatOptions: { billedLeg: 'both' } });
    expect(wrong.cdrs).toEqual([]);
    expect(wrong.rejects[0]!.reason).toBe(`line 1: device format options: billedLeg must be 'a' or 'b', found "both"`);
  });
});

describe('freeswitch-xml: mod_xml_cdr bodies in all four encodings', () => {
  const xml = fixtureText('freeswitch-xml-cdr.xml');
  const encodings: [string, string][] = [
    ['bare text/xml', xml],
    ['cdr= url-encoded', `cdr=${encodeURIComponent(xml)}`],
    ['cdr= url-encoded with + for spaces', `cdr=${encodeURIComponent(xml).replace(/%20/g, '+')}`],
    ['cdr= unencoded', `cdr=${xml}`],
    ['cdr= base64', `cdr=${Buffer.from(xml).toString('base64')}`],
  ];

  it.each(encodings)('reads the sample posted as %s', (_, body) => {
    const result = parseCdrText('freeswitch-xml', body, BEIJING);
    expect(result.rejects).toEqual([]);
    const [call] = result.cdrs;
    expect(call).toMatchObject({
      format: 'freeswitch-xml',
      nativeId: '8d0e1f2a-3b4c-4d5e-8f60-718293a4b5c6',
      caller: '8001',
      callerName: 'Li Wei',
      callee: '0044207946000',
      duration: 610,
      billsec: 600,
      disposition: 'answered',
      cause: 'NORMAL_CLEARING',
      accountCode: 'ent-a',
      raw: body,
      position: { offset: 0 },
    });
    expect([isoOf(call!.startMs), isoOf(call!.answerMs), isoOf(call!.endMs)]).toEqual([
      '2026-03-02T03:30:00.000Z',
      '2026-03-02T03:30:10.000Z',
      '2026-03-02T03:40:10.000Z',
    ]);
  });

  it('falls back to url-encoded local stamps when epochs are missing', () => {
    const stampsOnly = xml.replace(/<(start|answer|end)_epoch>\d+<\/\1_epoch>/g, '');
    const [call] = parseCdrText('freeswitch-xml', stampsOnly, BEIJING).cdrs;
    expect(isoOf(call!.startMs)).toBe('2026-03-02T03:30:00.000Z');
    expect(isoOf(call!.answerMs)).toBe('2026-03-02T03:30:10.000Z');
  });

  it('reads answer_epoch 0 as never answered, and the cause of the failure', () => {
    const busy = xml
      .replace('<answer_epoch>1772422210</answer_epoch>', '<answer_epoch>0</answer_epoch>')
      .replace(/<answer_stamp>.*<\/answer_stamp>/, '')
      .replace('<billsec>600</billsec>', '<billsec>0</billsec>')
      .replace('NORMAL_CLEARING', 'USER_BUSY');
    expect(parseCdrText('freeswitch-xml', busy, BEIJING).cdrs[0]).toMatchObject({ answerMs: null, billsec: 0, disposition: 'busy' });
  });

  it('does not blow up nested entity definitions (billion laughs) posted by an untrusted client', () => {
    const entities = ['<!ENTITY a0 "lol">', ...Array.from({ length: 6 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i};`.repeat(10)}">`)].join('');
    const body = `<?xml version="1.0"?><!DOCTYPE x [${entities}]><cdr><variables><caller_id_name>&a6;</caller_id_name><start_epoch>1772422200</start_epoch></variables></cdr>`;
    const result = parseCdrText('freeswitch-xml', body, BEIJING);
    const outcome = [...result.cdrs.map((c) => c.callerName), ...result.rejects.map((r) => r.reason)];
    expect(outcome).toHaveLength(1);
    expect(outcome[0]!.length).toBeLessThan(1000);
  });

  it.each([
    ['<cdr><variables><uuid>x</variables></cdr>', /^not well-formed XML \(line 1: /],
    ['<other/>', /^XML has no <cdr> element$/],
    ['cdr=%%%', /^the cdr= field holds neither url-encoded nor base64 XML$/],
    ['hello', /^expected an XML document or a cdr= form field, found 'hello'$/],
    ['<cdr><variables><uuid>x</uuid></variables></cdr>', /^field start_epoch: missing \(and no start_stamp\)$/],
    ['<cdr><variables><start_epoch>soon</start_epoch></variables></cdr>', /^field start_epoch: 'soon' is not a Unix time in seconds$/],
  ])('rejects %j with a reason', (body, reason) => {
    const result = parseCdrText('freeswitch-xml', body, BEIJING);
    expect(result.cdrs).toEqual([]);
    expect(result.rejects[0]!.reason).toMatch(reason);
    expect(result.rejects[0]!.raw).toBe(body);
  });

  it('rejects a body with a NUL byte, saying where it is, in each encoding', () => {
    const damaged = xml.replace('<destination_number>00442', '<destination_number>00442\u0000');
    const reason = 'NUL byte at line 7, column 30 (in <destination_number>): the XML document is damaged';
    for (const body of [damaged, `cdr=${encodeURIComponent(damaged)}`, `cdr=${Buffer.from(damaged).toString('base64')}`]) {
      const result = parseCdrText('freeswitch-xml', body, BEIJING);
      expect(result.cdrs).toEqual([]);
      expect(result.rejects.map((r) => r.reason)).toEqual([reason]);
    }
    // A url-encoded %00 inside a variable is the same damage, found when the value is read.
    const encodedNul = xml.replace('<caller_id_name>', '<caller_id_name>Li%00');
    expect(parseCdrText('freeswitch-xml', encodedNul, BEIJING).rejects.map((r) => r.reason)).toEqual([
      'field caller_id_name: holds a NUL byte (the value is damaged)',
    ]);
  });

  it.each(['start', 'answer', 'end'])('rejects a %s_stamp that is not a time even when the epochs are there', (name) => {
    const body = xml.replace(new RegExp(`<${name}_stamp>[^<]*</${name}_stamp>`), `<${name}_stamp>abc</${name}_stamp>`);
    expect(body).toContain(`<${name}_stamp>abc<`);
    expect(body).toContain(`<${name}_epoch>17`);
    const result = parseCdrText('freeswitch-xml', body, BEIJING);
    expect(result.cdrs).toEqual([]);
    expect(result.rejects.map((r) => r.reason)).toEqual([`field ${name}_stamp: 'abc' is not a date and time (YYYY-MM-DD HH:MM:SS)`]);
  });
});

describe('freeswitch-json: mod_json_cdr bodies', () => {
  const json = fixtureText('freeswitch-json-cdr.json');

  it.each([
    ['bare JSON', json],
    ['cdr= url-encoded', `cdr=${encodeURIComponent(json)}`],
    ['cdr= unencoded', `cdr=${json}`],
    ['cdr= base64', `cdr=${Buffer.from(json).toString('base64')}`],
  ])('reads the call posted as %s, with callflow fallbacks and url-encoded UTF-8', (_, body) => {
    const [call] = parseCdrText('freeswitch-json', body, BEIJING).cdrs;
    expect(call).toMatchObject({
      nativeId: '9e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
      caller: '8002',
      callerName: '张敏',
      callee: '13800138000', // from callflow[0].caller_profile
      billsec: 61,
      duration: 65,
      trunkOut: 'cn-unicom',
      direction: 'outbound',
    });
    expect(isoOf(call!.startMs)).toBe('2026-03-02T01:20:00.000Z');
  });

  it('keeps a + in an E.164 number and uses FusionPBX call_direction', () => {
    const body = json.replace('"caller_id_number": "8002"', '"caller_id_number": "+8613800138000", "call_direction": "local"');
    expect(parseCdrText('freeswitch-json', body, BEIJING).cdrs[0]).toMatchObject({ caller: '+8613800138000', direction: 'internal' });
  });

  it('finds the document in each encoding', () => {
    expect(extractCdrDocument(`cdr=${encodeURIComponent('{"a":1}')}`, 'json')).toEqual({ ok: true, document: '{"a":1}' });
    expect(extractCdrDocument('uuid=1&cdr=eyJhIjoxfQ==', 'json')).toEqual({ ok: true, document: '{"a":1}' });
    expect(extractCdrDocument('\uFEFF <cdr/>', 'xml')).toEqual({ ok: true, document: '<cdr/>' });
  });

  it('rejects a start_stamp that is not a time even when start_epoch is there, and a NUL byte in a value', () => {
    const badStamp = json.replace('"start_stamp": "2026-03-02%2009%3A20%3A00"', '"start_stamp": "abc"');
    expect(badStamp).not.toBe(json);
    expect(parseCdrText('freeswitch-json', badStamp, BEIJING).rejects.map((r) => r.reason)).toEqual([
      "field start_stamp: 'abc' is not a date and time (YYYY-MM-DD HH:MM:SS)",
    ]);
    const escapedNul = json.replace('"destination_number": "13800138000"', '"destination_number": "138\\u000000138000"');
    expect(escapedNul).not.toBe(json);
    expect(parseCdrText('freeswitch-json', escapedNul, BEIJING).rejects.map((r) => r.reason)).toEqual([
      'field caller_profile destination_number: holds a NUL byte (the value is damaged)',
    ]);
    const rawNul = json.replace('"start_stamp": "2026', '"start_stamp": "\u00002026');
    expect(parseCdrText('freeswitch-json', rawNul, BEIJING).rejects.map((r) => r.reason)).toEqual([
      'NUL byte at line 11, column 21 (in "start_stamp"): the JSON document is damaged',
    ]);
  });

  it('rejects a body that is not a JSON object', () => {
    expect(parseCdrText('freeswitch-json', '[1,2]', BEIJING).rejects[0]!.reason).toBe('expected a JSON object with variables');
    expect(parseCdrText('freeswitch-json', '{"variables":', BEIJING).rejects[0]!.reason).toMatch(/^not JSON \(/);
    expect(parseCdrText('freeswitch-json', '   ', BEIJING).skipped).toEqual([{ position: { offset: 0 }, reason: 'empty body' }]);
  });
});

describe('freeswitch-xml and freeswitch-json: A, B and loopback legs', () => {
  const xmlA = fixtureText('freeswitch-legs-a.xml');
  const xmlB = fixtureText('freeswitch-legs-b.xml');
  const jsonA = fixtureText('freeswitch-legs-a.json');
  const jsonB = fixtureText('freeswitch-legs-b.json');
  const A7 = '7c2d9e61-3f4a-4b8c-9d0e-1f2a3b4c5a07';
  const A8 = '9a4e1b27-6c3d-4e5f-8a7b-2c1d0e9f8a08';

  it.each([
    ['freeswitch-xml', xmlA, xmlB, A7],
    ['freeswitch-json', jsonA, jsonB, A8],
  ] as const)('%s: the originatee profile marks the A leg, the originator profile the B leg with the A leg as its call', (format, a, b, aUuid) => {
    const [aLeg] = parseCdrText(format, a, BEIJING).cdrs;
    const [bLeg] = parseCdrText(format, b, BEIJING).cdrs;
    expect(aLeg!.leg).toEqual({ role: 'a', callId: aUuid, billed: true });
    expect(bLeg!.leg).toEqual({ role: 'b', callId: aUuid, billed: false });
    const billB = { ...BEIJING, formatOptions: { billedLeg: 'b' } };
    expect(parseCdrText(format, a, billB).cdrs[0]!.leg).toEqual({ role: 'a', callId: aUuid, billed: false });
    expect(parseCdrText(format, b, billB).cdrs[0]!.leg).toEqual({ role: 'b', callId: aUuid, billed: true });
  });

  it('takes a B leg from originating_leg_uuid when the callflow is left out, and the sample without legs as a call', () => {
    const noCallflow = JSON.stringify({ variables: JSON.parse(jsonB).variables });
    expect(parseCdrText('freeswitch-json', noCallflow, BEIJING).cdrs[0]!.leg).toEqual({ role: 'b', callId: A8, billed: false });
    const [alone] = parseCdrText('freeswitch-json', fixtureText('freeswitch-json-cdr.json'), BEIJING).cdrs;
    expect(alone!.leg).toEqual({ role: null, callId: '9e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', billed: true });
  });

  it('never bills a mod_loopback channel, whichever leg the device bills', () => {
    const loopback = fixtureText('freeswitch-legs-loopback.json');
    for (const billedLeg of ['a', 'b']) {
      const [leg] = parseCdrText('freeswitch-json', loopback, { ...BEIJING, formatOptions: { billedLeg } }).cdrs;
      expect(leg!.leg).toEqual({ role: 'loopback', callId: 'c3f0a9d2-8e7b-4c6a-b5d4-3e2f1a0b9a09', billed: false });
    }
  });

  it('reads an A leg that originated several B legs (a ring group) from an array of originatee profiles', () => {
    const profile = '<originatee_caller_profile><uuid>b-2</uuid></originatee_caller_profile>';
    const forked = xmlA.replace('</originatee_caller_profile>', `</originatee_caller_profile>${profile}`).replace(/<bridge_uuid>.*<\/bridge_uuid>/, '');
    expect(parseCdrText('freeswitch-xml', forked, BEIJING).cdrs[0]!.leg).toEqual({ role: 'a', callId: A7, billed: true });
  });
});
