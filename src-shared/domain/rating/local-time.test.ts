import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandContains, compileTimeBand, localTimeOf, parseClockTime, type LocalTime } from './local-time';

const at = (iso: string) => Date.parse(iso);

/** The same answer straight from Intl, without any caching. */
function intlLocalTime(epochMs: number, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric' }).formatToParts(epochMs);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const isoWeekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { isoWeekday, minuteOfDay: Number(get('hour')) * 60 + Number(get('minute')) };
}

describe('localTimeOf', () => {
  it('reads device-local day and time', () => {
    expect(localTimeOf(at('2026-03-02T09:15:02+08:00'), 'Asia/Shanghai')).toEqual({ isoWeekday: 1, minuteOfDay: 9 * 60 + 15 });
    expect(localTimeOf(at('2026-03-01T23:59:59Z'), 'Asia/Shanghai')).toEqual({ isoWeekday: 1, minuteOfDay: 7 * 60 + 59 });
    expect(localTimeOf(at('2026-03-01T23:59:59Z'), 'UTC')).toEqual({ isoWeekday: 7, minuteOfDay: 23 * 60 + 59 });
  });

  it('follows a daylight-saving change inside the cached hour', () => {
    // Berlin springs forward at 01:00 UTC on 2026-03-29 (02:00 CET -> 03:00 CEST).
    expect(localTimeOf(at('2026-03-29T00:59:00Z'), 'Europe/Berlin').minuteOfDay).toBe(1 * 60 + 59);
    expect(localTimeOf(at('2026-03-29T01:00:00Z'), 'Europe/Berlin').minuteOfDay).toBe(3 * 60);
    // Lord Howe moves by 30 minutes, at 15:00 UTC on 2026-04-04 (02:00 local daylight time -> 01:30).
    expect(localTimeOf(at('2026-04-04T14:59:00Z'), 'Australia/Lord_Howe').minuteOfDay).toBe(1 * 60 + 59);
    expect(localTimeOf(at('2026-04-04T15:00:00Z'), 'Australia/Lord_Howe').minuteOfDay).toBe(1 * 60 + 30);
  });

  it('agrees with Intl for any instant in zones with odd offsets and transitions', () => {
    const zones = fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC');
    const instants = fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') });
    fc.assert(
      fc.property(zones, instants, (zone, t) => {
        expect(localTimeOf(t, zone)).toEqual(intlLocalTime(t, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects an unknown zone', () => {
    expect(() => localTimeOf(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('time bands', () => {
  const day = (isoWeekday: number, hhmm: string): LocalTime => ({ isoWeekday, minuteOfDay: parseClockTime(hhmm) });
  const office = compileTimeBand({ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' });
  const fridayNight = compileTimeBand({ days: [5], from: '22:00', to: '06:00' });
  const sundayNight = compileTimeBand({ days: [7], from: '22:00', to: '06:00' });
  const saturday = compileTimeBand({ days: [6], from: '00:00', to: '24:00' });

  it.each([
    ['office, Monday 08:00 (from is inclusive)', office, day(1, '08:00'), true],
    ['office, Monday 07:59', office, day(1, '07:59'), false],
    ['office, Monday 17:59', office, day(1, '17:59'), true],
    ['office, Monday 18:00 (to is exclusive)', office, day(1, '18:00'), false],
    ['office, Saturday 10:00', office, day(6, '10:00'), false],
    ['Friday night, Friday 22:00', fridayNight, day(5, '22:00'), true],
    ['Friday night, Friday 21:59', fridayNight, day(5, '21:59'), false],
    ['Friday night, Saturday 00:00 (after midnight)', fridayNight, day(6, '00:00'), true],
    ['Friday night, Saturday 05:59', fridayNight, day(6, '05:59'), true],
    ['Friday night, Saturday 06:00', fridayNight, day(6, '06:00'), false],
    ['Friday night, Friday 02:00 (belongs to Thursday night)', fridayNight, day(5, '02:00'), false],
    ['Friday night, Saturday 22:00', fridayNight, day(6, '22:00'), false],
    ['Sunday night, Monday 01:00 (week wraps)', sundayNight, day(1, '01:00'), true],
    ['whole Saturday, 23:59', saturday, day(6, '23:59'), true],
    ['whole Saturday, 00:00', saturday, day(6, '00:00'), true],
    ['whole Saturday, Sunday 00:00', saturday, day(7, '00:00'), false],
  ] as const)('%s', (_name, band, local, inside) => {
    expect(bandContains(band, local)).toBe(inside);
  });

  it.each([
    ['00:00', 0],
    ['23:59', 1439],
    ['24:00', 1440],
    ['24:01', Number.NaN],
    ['7:00', Number.NaN],
    ['12:60', Number.NaN],
  ])('parses %s', (text, minutes) => {
    expect(parseClockTime(text)).toBe(minutes);
  });
});
