import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/api/devices';
import { ApiError } from '../../../../src-shared/api/errors';
import { FORMAT_OPTIONS_SCHEMAS, type CdrFormat } from '../../../../src-shared/domain/cdr';
import { asteriskColumnsOf, deviceFieldErrors, deviceFormValues, deviceInputOf } from './deviceFormModel';

const device = (format: CdrFormat, formatOptions: Record<string, unknown> | null): Device => ({
  id: 1,
  name: 'PBX',
  format,
  formatOptions,
  timeZone: 'Asia/Shanghai',
  countryCode: '86',
  areaCode: '10',
  nationalPrefix: '0',
  internationalPrefix: '00',
  extensionPattern: '8\\d{3}',
  localNumberLengths: [],
  addresses: ['127.0.0.1'],
  defaultEnterpriseId: null,
  sftp: null,
  enabled: true,
  notes: '',
  createdAt: '2026-03-02T00:00:00.000Z',
  updatedAt: '2026-03-02T00:00:00.000Z',
});

/** What the form sends for a device it was opened with, after the given edits. */
function saved(format: CdrFormat, options: Record<string, unknown> | null, edits: Record<string, string> = {}) {
  const values = { ...deviceFormValues(device(format, options), 'Asia/Shanghai'), ...edits };
  return deviceInputOf(values).formatOptions;
}

describe('device form: format settings', () => {
  it.each([
    ['asterisk-csv', { columns: ['clid', 'src', 'dst', '', 'start', 'answer', 'end', 'billsec'], delimiter: '\t', trunkChannels: ['SIP/211553', 'PJSIP/trunk-*'], inboundContexts: ['from-trunk'] }],
    ['asterisk-json', { trunkChannels: ['DAHDI/*'] }],
    ['freeswitch-csv', { billedLeg: 'b' }],
    ['freeswitch-xml', { billedLeg: 'a' }],
    ['cucm', { recorderNumbers: ['8800', '+862150001234'] }],
    ['3cx', { fields: ['historyid', 'callid', 'duration', 'time-start', 'from-no', 'to-no'] }],
  ] as const)('%s: opens and saves the stored settings unchanged, and the server schema takes them', (format, options) => {
    const out = saved(format, options);
    expect(out).toEqual(options);
    expect(FORMAT_OPTIONS_SCHEMAS[format].safeParse(out).success).toBe(true);
  });

  it('sends no settings where none are set, except the FreeSWITCH billed leg (the A leg by default)', () => {
    for (const format of ['asterisk-csv', 'asterisk-json', 'cucm', '3cx', 'yeastar', 'grandstream-csv', 'ipoffice-smdr'] as const) {
      expect(saved(format, null), format).toBeNull();
    }
    expect(saved('freeswitch-json', null)).toEqual({ billedLeg: 'a' });
    expect(saved('freeswitch-csv', { billedLeg: 'B' })).toEqual({ billedLeg: 'b' });
  });

  it('reads lists typed one per line or separated by commas', () => {
    expect(saved('asterisk-csv', null, { 'formatOptions.trunkChannels': 'SIP/211553,\n PJSIP/trunk-* ', 'formatOptions.inboundContexts': 'from-trunk\nfrom-did-*' })).toEqual({
      trunkChannels: ['SIP/211553', 'PJSIP/trunk-*'],
      inboundContexts: ['from-trunk', 'from-did-*'],
    });
    expect(saved('cucm', null, { 'formatOptions.recorderNumbers': '8800; 8801' })).toEqual({ recorderNumbers: ['8800', '8801'] });
  });

  it('drops settings of the format the device had before its format was changed', () => {
    expect(saved('freeswitch-csv', { billedLeg: 'b' }, { format: 'cucm' })).toBeNull();
    expect(saved('asterisk-csv', { trunkChannels: ['SIP/1'], columns: ['src', 'dst', 'start'] }, { format: 'asterisk-json' })).toEqual({ trunkChannels: ['SIP/1'] });
  });

  it('reads a cdr_custom column map typed as names or pasted from cdr_custom.conf', () => {
    expect(asteriskColumnsOf('clid, src,dst,,start')).toEqual(['clid', 'src', 'dst', '', 'start']);
    expect(asteriskColumnsOf('Master.csv => ${CSV_QUOTE(${CDR(clid)})},${CSV_QUOTE(${CDR(src)})},"${STRFTIME(${CDR(start)},,%Y-%m-%d %T)}",${CALLERID(name)},${CDR(billsec)}')).toEqual([
      'clid',
      'src',
      'start',
      '',
      'billsec',
    ]);
    expect(asteriskColumnsOf('  ')).toEqual([]);
  });

  it("puts the server's errors about a setting on its input", () => {
    const values = deviceFormValues(device('asterisk-csv', null), 'Asia/Shanghai');
    const error = new ApiError('invalid_input', 'Invalid device', {
      fields: { 'formatOptions.trunkChannels.1': ['one channel pattern per entry, without spaces or commas'], 'formatOptions.columns': ['names a column twice'] },
    });
    expect(deviceFieldErrors(error, values)).toEqual({
      'formatOptions.trunkChannels': 'one channel pattern per entry, without spaces or commas',
      'formatOptions.columns': 'names a column twice',
    });
    const leg = new ApiError('invalid_input', 'Invalid device', { fields: { 'formatOptions.billedLeg': ["must be 'a' (the calling leg, the default) or 'b' (the called leg)"] } });
    expect(Object.keys(deviceFieldErrors(leg, values) ?? {})).toEqual(['formatOptions.billedLeg']);
  });
});
