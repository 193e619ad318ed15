import { describe, expect, it } from 'vitest';
import type { DeviceContext } from '../../../src-shared/domain/cdr';
import { BEIJING, isoOf, parseFixture } from './fixtures-for-tests';
import { parseCdrText } from './registry';

/** Master.csv, 16 columns: the README's first call. */
const MASTER =
  '"ent-a","8001","902150001234","from-internal","""Li Wei"" <8001>","PJSIP/8001-00000001","PJSIP/trunk-cn-00000002","Dial","PJSIP/02150001234@trunk-cn,60,tT","2026-03-02 09:15:02","2026-03-02 09:15:09","2026-03-02 09:17:11",129,122,"ANSWERED","DOCUMENTATION"';
/** The same call in cdr_custom's stock mapping (19 columns). */
const STOCK =
  '"""Li Wei"" <8001>","8001","902150001234","from-internal","PJSIP/8001-00000001","PJSIP/trunk-cn-00000002","Dial","PJSIP/02150001234@trunk-cn,60,tT","2026-03-02 09:15:02","2026-03-02 09:15:09","2026-03-02 09:17:11","129","122","ANSWERED","DOCUMENTATION","ent-a","1772414102.1","",1';

const withOptions = (formatOptions: Record<string, unknown>, extra: Partial<DeviceContext> = {}): DeviceContext => ({ ...BEIJING, formatOptions, ...extra });
const reasons = (text: string, device: DeviceContext = BEIJING) => parseCdrText('asterisk-csv', text, device).rejects.map((r) => r.reason);

describe("asterisk-csv: cdr_custom's stock mapping, recognised by its columns", () => {
  const result = parseFixture('asterisk-csv', 'asterisk-cdr-custom-stock.csv');

  it('reads eight calls and rejects a short line and a bad billsec, saying why', () => {
    expect(result.cdrs.map((c) => c.position.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "line 9: the disposition is in column 14 as in cdr_custom's stock mapping, which has 19 columns, found 18; set the device's column map for another cdr_custom mapping",
      "line 10: field billsec: 'sixty' is not a whole number of seconds",
    ]);
  });

  it('reads the first call as the same call in Master.csv', () => {
    const master = parseCdrText('asterisk-csv', MASTER, BEIJING).cdrs[0]!;
    const stock = result.cdrs[0]!;
    const same = ({ caller, callerName, callee, startMs, answerMs, endMs, duration, billsec, disposition, direction, trunkOut, accountCode }: typeof stock) =>
      ({ caller, callerName, callee, startMs, answerMs, endMs, duration, billsec, disposition, direction, trunkOut, accountCode });
    expect(same(stock)).toEqual(same(master));
    expect(stock).toMatchObject({ nativeId: '1772414102.1', dedupKey: '1772414102.1:1', callerName: 'Li Wei', accountCode: 'ent-a' });
    expect(isoOf(stock.startMs)).toBe('2026-03-02T01:15:02.000Z');
  });

  it('reads each row: caller, callee, billsec, disposition, direction, trunks', () => {
    expect(result.cdrs.map((c) => [c.caller, c.callee, c.billsec, c.disposition, c.direction, c.trunkIn ?? '', c.trunkOut ?? ''])).toEqual([
      ['8001', '902150001234', 122, 'answered', 'outbound', '', 'trunk-cn'],
      ['013912345678', '66668888', 120, 'answered', 'inbound', '211553', ''],
      ['8003', '8004', 300, 'answered', 'internal', '', ''],
      ['075523456789', '8101', 0, 'no_answer', 'inbound', '211553', ''],
      ['8002', '962345678', 0, 'busy', 'outbound', '', 'trunk-cn'],
      ['8001', '90044207946000', 0, 'failed', 'outbound', '', ''],
      ['8003', '9110', 60, 'answered', 'outbound', '', 'trunk-cn'],
      ['8001', '913912345678', 180, 'answered', 'outbound', '', 'trunk-cn'],
    ]);
  });

  it('keeps why the direction was guessed', () => {
    expect(result.cdrs[1]!.directionReason).toBe("guess: channel 'SIP/211553-0000002a' is a trunk named by number (its party '013912345678' is an outside number)");
    expect(result.cdrs[2]!.directionReason).toBe("guess: channel 'PJSIP/8003-00000005' is extension 8003, destination guess: channel 'PJSIP/8004-00000006' is extension 8004");
    expect(result.cdrs[5]!.directionReason).toBe("guess: channel 'PJSIP/8001-0000000d' is extension 8001, and '90044207946000' is an outside number");
  });

  it('reads the high-resolution variant (duration,f and billsec,f) as whole seconds', () => {
    const cdr = parseCdrText('asterisk-csv', STOCK.replace('"129","122"', '"129.440000","122.301000"'), BEIJING).cdrs[0]!;
    expect([cdr.duration, cdr.billsec]).toEqual([129, 122]);
  });
});

describe('asterisk-csv: other cdr_custom mappings by the device column map, or by a header line', () => {
  const columns = ['clid', 'src', 'dst', 'dcontext', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'accountcode', 'uniqueid', 'userfield', 'sequence', 'callid', 'rtcpinfo'];
  const device = withOptions({ columns });

  it('reads a mapped line with user variables after the stock columns, and rejects one of another count', () => {
    const result = parseCdrText('asterisk-csv', `${STOCK},a84b4c76e66710@pc33.example.com,ssrc=1234\n${STOCK}`, device);
    expect(result.cdrs).toHaveLength(1);
    expect(result.cdrs[0]).toMatchObject({ caller: '8001', callee: '902150001234', billsec: 122, nativeId: '1772414102.1' });
    expect(result.rejects.map((r) => r.reason)).toEqual(["line 2: expected 21 columns as in the device's column map, found 19"]);
  });

  it('reads epoch stamps and numeric dispositions of an advanced mapping (start(int64), disposition(int64)), with its separator', () => {
    const tabbed = withOptions({ columns: ['start', 'answer', 'end', 'src', 'dst', 'billsec', 'disposition', ''], delimiter: '\t' });
    const cdr = parseCdrText('asterisk-csv', '1772414102\t1772414109\t1772414231\t8001\t902150001234\t122\t8\tliteral', tabbed).cdrs[0]!;
    expect(cdr).toMatchObject({ caller: '8001', billsec: 122, duration: 129, disposition: 'answered' });
    expect(isoOf(cdr.startMs)).toBe('2026-03-02T01:15:02.000Z');
  });

  it('reads a FreePBX/MySQL export by its header line, with NULL as an empty field', () => {
    const header = 'calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield,did,recordingfile,cnum,cnam,outbound_cnum,outbound_cnam,dst_cnam,linkedid,peeraccount,sequence';
    const row = '2026-03-02 10:05:00,"013912345678" <013912345678>,013912345678,8002,from-did-direct,SIP/211553-0000002a,NULL,Dial,"SIP/8002,20",124,0,NO ANSWER,3,NULL,1772417100.42,NULL,66668888,NULL,013912345678,NULL,NULL,NULL,NULL,1772417100.42,NULL,12';
    const result = parseCdrText('asterisk-csv', `${header}\n${row}`, BEIJING);
    expect(result.rejects).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['header line (column names)']);
    expect(result.cdrs[0]).toMatchObject({ caller: '013912345678', callee: '8002', direction: 'inbound', trunkIn: '211553', disposition: 'no_answer', dedupKey: '1772417100.42:12' });
    expect(result.cdrs[0]!.trunkOut).toBeUndefined();
    expect(result.cdrs[0]!.accountCode).toBeUndefined();
  });

  it('reads an unquoted NULL in a Master.csv line as empty, never as a trunk name', () => {
    const line = MASTER.replace('"ent-a"', 'NULL').replace('"PJSIP/trunk-cn-00000002"', 'NULL');
    const cdr = parseCdrText('asterisk-csv', line, BEIJING).cdrs[0]!;
    expect(cdr.trunkOut).toBeUndefined();
    expect(cdr.accountCode).toBeUndefined();
    expect(cdr.direction).toBe('outbound'); // 902150001234 is an outside number
  });

  it('rejects every line of a device whose options are wrong, saying which', () => {
    expect(reasons(MASTER, withOptions({ trunkChannel: ['SIP/211553'] }))).toEqual(['line 1: device format options: options: Unrecognized key: "trunkChannel"']);
    expect(reasons(MASTER, withOptions({ trunkChannels: 'SIP/211553' }))[0]).toMatch(/^line 1: device format options: trunkChannels: /);
    expect(reasons(MASTER, withOptions({ trunkChannels: ['SIP/a b'] }))).toEqual(['line 1: device format options: trunkChannels.0: one channel pattern per entry, without spaces or commas']);
    expect(reasons(MASTER, withOptions({ columns: ['src', 'dst', 'billsec'] }))).toEqual(['line 1: device format options: columns: must name at least start, dst, and src or clid']);
    expect(reasons(MASTER, withOptions({ columns: ['start', 'src', 'dst', 'src'] }))).toEqual(['line 1: device format options: columns: names a column twice']);
  });
});

describe('asterisk-csv: strict where a line is damaged', () => {
  it.each([
    ['100 columns', `${MASTER}${',"x"'.repeat(84)}`, "expected 16 to 21 columns (Master.csv) or 19 (cdr_custom's stock mapping), found 100; set the device's column map for another cdr_custom mapping"],
    ['22 columns', `${MASTER},"1772414102.1","","","","",1`, "expected 16 to 21 columns (Master.csv) or 19 (cdr_custom's stock mapping), found 22; set the device's column map for another cdr_custom mapping"],
    ['a NUL byte', MASTER.replace('"Dial"', '"Di\u0000al"'), 'column 8: holds a NUL byte (the line is damaged)'],
    ['an unbalanced quote', MASTER.replace('"Dial"', 'Dial"'), 'column 8: unbalanced quote inside an unquoted field'],
    ['a closing quote removed', MASTER.replace('"from-internal"', '"from-internal'), 'column 4: unbalanced quote after the quoted text'],
    ['a quote added after a quoted field', MASTER.replace('"Dial"', '"Dial"x"'), 'column 8: unbalanced quote after the quoted text'],
    ['an unknown disposition', MASTER.replace('"ANSWERED"', '"HAPPY"'), "field disposition: 'HAPPY' is not an Asterisk disposition (ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION)"],
    ['a time in the AMA flags', MASTER.replace('"DOCUMENTATION"', '"2026-03-02 09:15:02"'), "field amaflags: '2026-03-02 09:15:02' is not an AMA flag (DOCUMENTATION, BILLING, OMIT)"],
    ['an empty duration', MASTER.replace(',129,', ',,'), 'field duration: is empty'],
    ['an empty end', MASTER.replace('"2026-03-02 09:17:11"', '""'), 'field end: is empty'],
    ['text in the sequence', `${MASTER},"","","1772414102.1",first`, "field sequence: 'first' is not a whole number"],
  ])('rejects a Master.csv line with %s', (_what, line, reason) => {
    const result = parseCdrText('asterisk-csv', line, BEIJING);
    expect(result.cdrs).toEqual([]);
    expect(result.rejects.map((r) => r.reason)).toEqual([`line 1: ${reason}`]);
  });
});

describe('asterisk: direction from the device settings first, then a guess, with the reason kept', () => {
  const inboundOnTrunk = STOCK.replace('"""Li Wei"" <8001>","8001","902150001234","from-internal","PJSIP/8001-00000001","PJSIP/trunk-cn-00000002"', '"""Bank"" <95566>","95566","8002","ext-local","SIP/211553-0000002a","SIP/8002-0000002b"');

  it('guesses a short caller on a numeric peer wrongly without settings, which the settings then decide', () => {
    expect(parseCdrText('asterisk-csv', inboundOnTrunk, BEIJING).cdrs[0]).toMatchObject({ direction: 'internal' });
    const byTrunk = parseCdrText('asterisk-csv', inboundOnTrunk, withOptions({ trunkChannels: ['SIP/211553'] })).cdrs[0]!;
    expect(byTrunk).toMatchObject({ direction: 'inbound', trunkIn: '211553', directionReason: "channel 'SIP/211553-0000002a' matches the device's trunk channel pattern 'SIP/211553'" });
    const byContext = parseCdrText('asterisk-csv', inboundOnTrunk, withOptions({ inboundContexts: ['ext-*'] })).cdrs[0]!;
    expect(byContext).toMatchObject({ direction: 'inbound', directionReason: "context 'ext-local' is one of the device's inbound contexts ('ext-*')" });
  });

  it("uses the device's extension pattern to tell a numeric trunk from an extension", () => {
    const cdr = parseCdrText('asterisk-csv', inboundOnTrunk, { ...BEIJING, extensionPattern: '8\\d{3}' }).cdrs[0]!;
    expect(cdr).toMatchObject({ direction: 'inbound', trunkIn: '211553' });
    expect(cdr.directionReason).toBe("guess: channel 'SIP/211553-0000002a' is a trunk (peer '211553' does not match the device's extension pattern)");
  });

  it('takes channels matching no trunk pattern as extensions, patterns with * and without a technology', () => {
    const device = withOptions({ trunkChannels: ['PJSIP/trunk-*', '211553'] });
    const result = parseFixture('asterisk-csv', 'asterisk-cdr-custom-stock.csv', device);
    expect(result.cdrs.map((c) => c.direction)).toEqual(['outbound', 'inbound', 'internal', 'inbound', 'outbound', 'outbound', 'outbound', 'outbound']);
    expect(result.cdrs[0]!.directionReason).toBe("destination channel 'PJSIP/trunk-cn-00000002' matches the device's trunk channel pattern 'PJSIP/trunk-*'");
    expect(result.cdrs[2]!.directionReason).toBe(
      "channel 'PJSIP/8003-00000005' matches none of the device's trunk channel patterns, destination channel 'PJSIP/8004-00000006' matches none of the device's trunk channel patterns",
    );
  });

  it('guesses inbound from a context named where outside calls enter', () => {
    const line = MASTER.replace('"from-internal"', '"from-pstn"').replace('"PJSIP/8001-00000001","PJSIP/trunk-cn-00000002"', '"Local/8001@from-queue-0001;2",""');
    expect(parseCdrText('asterisk-csv', line, BEIJING).cdrs[0]).toMatchObject({
      direction: 'inbound',
      directionReason: "guess: context 'from-pstn' is named like a context where calls from outside enter",
    });
  });

  it('applies the same settings to asterisk-json records', () => {
    const json = '{"start":"2026-03-02 10:00:00","src":"95566","dst":"8002","dcontext":"ext-local","channel":"SIP/211553-0000002a","dstchannel":"SIP/8002-0000002b","duration":"60","billsec":"55","disposition":"ANSWERED"}';
    const cdr = parseCdrText('asterisk-json', json, withOptions({ trunkChannels: ['SIP/211553'] })).cdrs[0]!;
    expect(cdr).toMatchObject({ direction: 'inbound', trunkIn: '211553' });
    expect(parseCdrText('asterisk-json', json.replace('ANSWERED', 'HAPPY'), BEIJING).rejects[0]!.reason).toBe(
      "field disposition: 'HAPPY' is not an Asterisk disposition (ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION)",
    );
  });
});
