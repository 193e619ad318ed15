import { describe, expect, it } from 'vitest';
import { deviceFormValues, zoneFollowingCountryCode } from './deviceFormModel';

describe('a device zone from its country code', () => {
  it('starts a new device in China and its zone, whatever the workstation zone', () => {
    const values = deviceFormValues(null, 'UTC');
    expect(values['countryCode']).toBe('86');
    expect(values['timeZone']).toBe('Asia/Shanghai');
  });

  it('follows the country code while the zone is the one the code gave', () => {
    expect(zoneFollowingCountryCode('Asia/Shanghai', '86', '44')).toBe('Europe/London');
    expect(zoneFollowingCountryCode('Europe/London', '44', '852')).toBe('Asia/Hong_Kong');
    // Typing "8", "85", "852" after clearing 86: the zone stays until a code names one, then follows it.
    expect(zoneFollowingCountryCode('Asia/Shanghai', '86', '8')).toBe('Asia/Shanghai');
    expect(zoneFollowingCountryCode('Asia/Shanghai', '8', '85')).toBe('Asia/Shanghai');
    expect(zoneFollowingCountryCode('Asia/Shanghai', '85', '852')).toBe('Asia/Hong_Kong');
  });

  it('keeps a zone the clerk chose, and the zone of a country of several zones', () => {
    expect(zoneFollowingCountryCode('Asia/Urumqi', '86', '44')).toBe('Asia/Urumqi');
    expect(zoneFollowingCountryCode('Asia/Urumqi', '8', '852')).toBe('Asia/Urumqi');
    expect(zoneFollowingCountryCode('Asia/Tokyo', '86', '44')).toBe('Asia/Tokyo');
    expect(zoneFollowingCountryCode('Asia/Shanghai', '86', '1')).toBe('Asia/Shanghai');
  });
});
