import type { InputOf } from '../../src-shared/api';

/** The Beijing device of the sample CDR files (shared/samples/cdr/README.md). */
export const beijingDevice = (overrides: Partial<InputOf<'devices.create'>> = {}): InputOf<'devices.create'> => ({
  name: 'Beijing HQ',
  format: 'asterisk-csv',
  timeZone: 'Asia/Shanghai',
  countryCode: '86',
  areaCode: '10',
  nationalPrefix: '0',
  internationalPrefix: '00',
  extensionPattern: '8\\d{3}',
  addresses: ['127.0.0.1'],
  ...overrides,
});
