import { describe, expect, it } from 'vitest';
import { DEFAULT_COUNTRY_CODE, timeZoneOfCallingCode } from './country-time-zone';

describe('timeZoneOfCallingCode', () => {
  it('gives the single zone of a country, China first', () => {
    expect(timeZoneOfCallingCode(DEFAULT_COUNTRY_CODE)).toBe('Asia/Shanghai');
    expect(timeZoneOfCallingCode(' +852 ')).toBe('Asia/Hong_Kong');
    expect(timeZoneOfCallingCode('44')).toBe('Europe/London');
  });

  it('has no answer for countries of several zones or unknown codes', () => {
    for (const code of ['1', '7', '55', '61', '52', '62', '', '999']) expect(timeZoneOfCallingCode(code), code).toBeNull();
  });

  it('names only zones this runtime knows', () => {
    for (const code of ['86', '852', '853', '886', '81', '82', '65', '91', '971', '44', '49', '27', '64']) {
      const zone = timeZoneOfCallingCode(code)!;
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
    }
  });
});
