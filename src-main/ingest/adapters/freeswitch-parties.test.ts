/**
 * FreeSWITCH records as real switches write them (test/fixtures/real, SOURCES.md there): the caller presented,
 * the direction and the gateway, bare `nan` in mod_json_cdr's callStats, and two switch-placed legs joined by
 * uuid_bridge.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withBareNumbersAsNull } from './freeswitch-body';
import { csvDirection, gatewayOfBridge, presentedCaller } from './freeswitch-parties';
import { BEIJING, fixtureText } from './fixtures-for-tests';
import { parseCdrText } from './registry';

const realText = (name: string) => fs.readFileSync(new URL(`../../../test/fixtures/real/${name}`, import.meta.url), 'utf8');
const UTC_DEVICE = { deviceId: 'fs', timeZone: 'UTC' };
const variables = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? '' });

describe('FreeSWITCH bare nan / inf in mod_json_cdr bodies', () => {
  it('reads nan, -nan and inf where a value stands as null, and leaves strings and keys alone', () => {
    expect(withBareNumbersAsNull('{"mos":nan,"q":-nan,"r":[inf, -Infinity],"s":"nan","nan":1}')).toBe(
      '{"mos":null,"q":null,"r":[null, null],"s":"nan","nan":1}',
    );
    expect(withBareNumbersAsNull('{"a":"x\\"nan","b":nanny}')).toBeNull(); // `nanny` is not a number word
    expect(withBareNumbersAsNull('{"a":1}')).toBeNull();
  });

  it('stores the call of a body whose callStats hold bare nan; a body broken otherwise stays a reject', () => {
    const body = fixtureText('freeswitch-json-cdr.json').replace('"variables": {', '"callStats": {"audio": {"inbound": {"mos":nan, "quality_percentage":-nan}}},\n  "variables": {');
    const read = parseCdrText('freeswitch-json', body, BEIJING);
    expect(read.rejects).toEqual([]);
    expect(read.cdrs.map((c) => [c.caller, c.callee, c.billsec])).toEqual([['8002', '13800138000', 61]]);
    const broken = parseCdrText('freeswitch-json', body.replace('"mos":nan,', '"mos":nan,,'), BEIJING);
    expect(broken.cdrs).toEqual([]);
    expect(broken.rejects[0]!.reason).toMatch(/^not JSON \(.*nan/);
  });
});

describe('FreeSWITCH caller, direction and gateway', () => {
  it('takes the number presented over a caller profile that is not one, and the origination caller id on a channel the switch placed', () => {
    expect(presentedCaller(variables({ caller_id_number: 'IMSI510555550000168', effective_caller_id_number: '6282349406514' }), '6282349406513')).toBe('6282349406514');
    expect(presentedCaller(variables({ direction: 'outbound', caller_id_number: '252634478430', origination_caller_id_number: '1234' }), '252634478430')).toBe('1234');
    expect(presentedCaller(variables({ direction: 'outbound', caller_id_number: '13800138000', ani: '8002' }), '13800138000')).toBe('8002');
    // An inbound channel's own caller id stands, whatever the dialplan presents onwards.
    expect(presentedCaller(variables({ direction: 'inbound', caller_id_number: '8002', effective_caller_id_number: '01065550000' }), '13800138000')).toBe('8002');
  });

  it('finds the gateway of a bridge string', () => {
    expect(gatewayOfBridge('sofia/gateway/sip.nexmo.com/6282349406513')).toBe('sip.nexmo.com');
    expect(gatewayOfBridge('{ignore_early_media=true}sofia/gateway/cn-unicom/13800138000|sofia/gateway/backup/13800138000')).toBe('cn-unicom');
    expect(gatewayOfBridge('user/1002@10.10.10.204')).toBe('');
    expect(gatewayOfBridge('sofia/external/85595975802%4052.76.201.180')).toBe('');
  });

  it('reads the OpenBTS handset call bridged out to sip.nexmo.com as outbound from the number presented', () => {
    const [call] = parseCdrText('freeswitch-xml', realText('freeswitch-xml/ccm-endaga-invalid.cdr.xml'), UTC_DEVICE).cdrs;
    expect(call).toMatchObject({ caller: '6282349406514', callerName: '6282349406514', callee: '6282349406513', direction: 'outbound', trunkOut: 'sip.nexmo.com' });
  });

  it('reads a directory user calling another through user/ as internal', () => {
    for (const name of ['cgrates-fsevcorelate-jsonCdr.json', 'cgrates-fsevent-2018-jsonCdr.json', 'cgrates-fscdr-2018-tabs.json']) {
      const [call] = parseCdrText('freeswitch-json', realText(`freeswitch-json/${name}`), UTC_DEVICE).cdrs;
      expect({ name, caller: call!.caller, callee: call!.callee, direction: call!.direction }).toEqual({ name, caller: '1001', callee: '1002', direction: 'internal' });
    }
  });

  it('reads a mod_cdr_csv call from context default as from inside: internal to an extension, outbound to an outside number', () => {
    expect(csvDirection('default', '20172519', '1000', null)).toBe('internal');
    expect(csvDirection('default', '1000', '0912345678', null)).toBe('outbound');
    expect(csvDirection('default', '1000', '20172519', /\d{8}/)).toBe('internal');
    expect(csvDirection('default', '1000', 'voicemail', null)).toBe('unknown');
    // A DID call the public dialplan transferred to extension 1000 in "default": the carrier's E.164 caller.
    expect(csvDirection('default', '+14155550100', '1000', null)).toBe('inbound');
    expect(csvDirection('public', '0912345678', '1000', null)).toBe('inbound');
    const line = '"Extension 20172519","20172519","1000","default","2021-05-10 09:00:00","2021-05-10 09:00:03","2021-05-10 09:00:20","20","17","NORMAL_CLEARING","3f1e2d4c-0b9a-4c8d-9e7f-6a5b4c3d2e1f","","","PCMU","PCMU"';
    expect(parseCdrText('freeswitch-csv', line, BEIJING).cdrs[0]).toMatchObject({ caller: '20172519', callee: '1000', direction: 'internal' });
  });
});

describe('FreeSWITCH: two legs the switch placed and joined with uuid_bridge (Somleng)', () => {
  const legA = realText('freeswitch-json/somleng-leg-a-joined-by-leg-b.json');
  const legB = realText('freeswitch-json/somleng-leg-b.json');
  const CALL = '7bfa8442-8fa2-4daa-bf10-6be79c9a07f6';

  it('charges the leg to the destination (1294 -> 0715100860) and links the leg that calls its own number to it', () => {
    const [call] = parseCdrText('freeswitch-json', legA, UTC_DEVICE).cdrs;
    const [control] = parseCdrText('freeswitch-json', legB, UTC_DEVICE).cdrs;
    expect(call).toMatchObject({ caller: '1294', callee: '0715100860', billsec: 8, direction: 'outbound', leg: { role: 'a', callId: CALL, billed: true } });
    expect(control).toMatchObject({ callee: '1234', billsec: 5, leg: { role: 'b', callId: CALL, billed: false } });
  });

  it('follows the billedLeg setting, and keeps the originator profile rule for a caller who dialled in', () => {
    const billB = { ...UTC_DEVICE, formatOptions: { billedLeg: 'b' } };
    expect(parseCdrText('freeswitch-json', legA, billB).cdrs[0]!.leg).toEqual({ role: 'a', callId: CALL, billed: false });
    expect(parseCdrText('freeswitch-json', legB, billB).cdrs[0]!.leg).toEqual({ role: 'b', callId: CALL, billed: true });
    // The same pair where the originator's profile came from a phone (mod_sofia): its roles stand as FreeSWITCH wrote them.
    const dialledIn = legA.replace(/"source": "src\/switch_ivr_originate\.c",(\s*"context": "default",\s*"chan_name": "sofia\/external\/1234@)/, '"source": "mod_sofia",$1');
    expect(dialledIn).not.toBe(legA);
    expect(parseCdrText('freeswitch-json', dialledIn, UTC_DEVICE).cdrs[0]!.leg).toEqual({ role: 'b', callId: '21bc47f2-250c-4d98-a157-0ad756d54027', billed: false });
  });
});
