import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isIanaTimeZone,
  parseClockDuration,
  parseEpochSeconds,
  parseGmtOffset,
  parseWallClock,
  parseWholeNumber,
  wallClockFromParts,
  zoneClock,
  zoneClockFromOffsets,
  type ZoneClock,
} from './time';

const wall = (text: string) => parseWallClock(text);
const clockOf = (zone: string) => zoneClock(zone) as ZoneClock;
const toUtcIso = (zone: string, local: string) => new Date(clockOf(zone).toUtc(wall(local))).toISOString();

describe('parseWallClock', () => {
  it.each([
    ['2026-03-02 09:15:02', Date.UTC(2026, 2, 2, 9, 15, 2)],
    ['2026/03/02 09:15:02', Date.UTC(2026, 2, 2, 9, 15, 2)],
    ['2026.03.02 01:15:02', Date.UTC(2026, 2, 2, 1, 15, 2)],
    ['2026-03-02T09:15:02', Date.UTC(2026, 2, 2, 9, 15, 2)],
    ['2026-3-2 9:15', Date.UTC(2026, 2, 2, 9, 15, 0)],
    ['2026-03-02 09:15:02.250', Date.UTC(2026, 2, 2, 9, 15, 2, 250)],
    ['2028-02-29 23:59:59', Date.UTC(2028, 1, 29, 23, 59, 59)],
    ['1970-01-01 00:00:00', 0],
  ])('reads %s', (text, expected) => {
    expect(parseWallClock(text)).toBe(expected);
  });

  it.each(['2026-13-02 10:00:00', '2026-02-29 10:00:00', '2026-04-31 10:00:00', '2026-03-02 24:00:00', '2026-03-02 10:60:00',
    '0000-00-00 00:00:00', '', 'yesterday', '2026-03-02', '2026-03-0x 10:00:00', '20260302 101010'])('refuses %j', (text) => {
    expect(parseWallClock(text)).toBeNaN();
  });

  it('computes the same instants as Date.UTC for any valid date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const text = date.toISOString().slice(0, 19).replace('T', ' ');
        expect(parseWallClock(text)).toBe(Math.floor(date.getTime() / 1000) * 1000);
        expect(wallClockFromParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, 0, 0)).toBe(
          Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
        );
      }),
    );
  });
});

describe('numbers and durations', () => {
  it('reads epochs, whole numbers and clock durations', () => {
    expect(parseEpochSeconds('1772414102')).toBe(1772414102000);
    expect(parseEpochSeconds('1772414102.123456')).toBe(1772414102123);
    expect(parseEpochSeconds('-5')).toBeNaN();
    expect(parseWholeNumber('129')).toBe(129);
    expect(parseWholeNumber('12a')).toBeNaN();
    expect(parseWholeNumber('')).toBeNaN();
    expect(parseClockDuration('00:02:02')).toBe(122);
    expect(parseClockDuration('26:00:01')).toBe(93601);
    expect(parseClockDuration('02:02')).toBe(122);
    expect(parseClockDuration('00:61:00')).toBeNaN();
    expect(parseClockDuration('2 min')).toBeNaN();
    expect(parseGmtOffset('GMT+08:00')).toBe(8 * 3600_000);
    expect(parseGmtOffset('GMT-04:56:02')).toBe(-(4 * 3600 + 56 * 60 + 2) * 1000);
    expect(parseGmtOffset('GMT')).toBe(0);
  });
});

describe('zone conversion', () => {
  it('reads Asia/Shanghai (no DST) as UTC+8', () => {
    expect(toUtcIso('Asia/Shanghai', '2026-03-02 09:15:02')).toBe('2026-03-02T01:15:02.000Z');
    expect(toUtcIso('Asia/Shanghai', '2026-07-01 00:00:00')).toBe('2026-06-30T16:00:00.000Z');
  });

  it.each([
    ['Europe/Berlin', '2026-03-29 01:59:59', '2026-03-29T00:59:59.000Z', 'last second before the spring jump'],
    ['Europe/Berlin', '2026-03-29 02:30:00', '2026-03-29T01:30:00.000Z', 'skipped hour: offset before the jump'],
    ['Europe/Berlin', '2026-03-29 03:00:00', '2026-03-29T01:00:00.000Z', 'first summer second'],
    ['Europe/Berlin', '2026-10-25 01:59:59', '2026-10-24T23:59:59.000Z', 'before the repeated hour'],
    ['Europe/Berlin', '2026-10-25 02:30:00', '2026-10-25T00:30:00.000Z', 'repeated hour: the earlier instant'],
    ['Europe/Berlin', '2026-10-25 03:00:00', '2026-10-25T02:00:00.000Z', 'after the repeated hour'],
    ['America/New_York', '2026-03-08 01:59:59', '2026-03-08T06:59:59.000Z', 'before the spring jump'],
    ['America/New_York', '2026-03-08 02:30:00', '2026-03-08T07:30:00.000Z', 'skipped hour: offset before the jump'],
    ['America/New_York', '2026-03-08 03:00:00', '2026-03-08T07:00:00.000Z', 'first summer second'],
    ['America/New_York', '2026-11-01 01:30:00', '2026-11-01T05:30:00.000Z', 'repeated hour: the earlier instant'],
    ['America/New_York', '2026-11-01 02:00:00', '2026-11-01T07:00:00.000Z', 'after the repeated hour'],
    ['Australia/Lord_Howe', '2026-04-05 01:45:00', '2026-04-04T14:45:00.000Z', 'half-hour repeated slot: earlier'],
  ])('%s %s -> %s (%s)', (zone, local, expected) => {
    expect(toUtcIso(zone, local)).toBe(expected);
  });

  it('round-trips every instant outside the repeated hours, with the caches warm or cold', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe', 'America/Santiago']) {
      const clock = clockOf(zone);
      const reference = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
      const trueOffset = (utcMs: number) =>
        parseGmtOffset(reference.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')!.value);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (utcMs) => {
          const offset = trueOffset(utcMs);
          expect(clock.offsetAt(utcMs)).toBe(offset);
          const local = utcMs + offset;
          const back = clock.toUtc(local);
          // Either the same instant, or (in a repeated hour) the earlier reading of the same wall clock.
          expect(back + trueOffset(back)).toBe(local);
          expect(back).toBeLessThanOrEqual(utcMs);
          if (trueOffset(utcMs - 86_400_000) === trueOffset(utcMs + 86_400_000)) expect(back).toBe(utcMs);
        }),
        { numRuns: 400 },
      );
    }
  });

  it('is right on both sides of a transition that is not on a quarter hour (slots with a step are never cached)', () => {
    // A made-up zone: UTC+1, then UTC+2 from 2026-03-29 01:07:00Z.
    const transition = Date.UTC(2026, 2, 29, 1, 7);
    const clock = zoneClockFromOffsets('Test/Odd', (utcMs) => (utcMs < transition ? 3600_000 : 7200_000));
    expect(clock.offsetAt(transition - 1)).toBe(3600_000);
    expect(clock.offsetAt(transition)).toBe(7200_000);
    expect(clock.offsetAt(transition - 1)).toBe(3600_000);
    expect(new Date(clock.toUtc(Date.UTC(2026, 2, 29, 2, 6, 59))).toISOString()).toBe('2026-03-29T01:06:59.000Z');
    expect(new Date(clock.toUtc(Date.UTC(2026, 2, 29, 3, 7, 0))).toISOString()).toBe('2026-03-29T01:07:00.000Z');
    expect(new Date(clock.toUtc(Date.UTC(2026, 2, 29, 2, 6, 59))).toISOString()).toBe('2026-03-29T01:06:59.000Z');
  });

  it('asks Intl a few times per day of records, not once per record', () => {
    let calls = 0;
    const berlin = clockOf('Europe/Berlin');
    const clock = zoneClockFromOffsets('Test/Counted', (utcMs) => {
      calls++;
      return berlin.offsetAt(utcMs);
    });
    for (let i = 0; i < 100_000; i++) clock.toUtc(Date.UTC(2026, 2, 1) + i * 30_000); // 35 days, one record / 30 s
    expect(calls).toBeLessThan(2_000);
  });

  it('reports names that are not IANA zones', () => {
    expect(isIanaTimeZone('Asia/Shanghai')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false);
    expect(isIanaTimeZone('CST')).toBe(false); // ICU would read it as America/Chicago
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(String(zoneClock('Mars/Olympus'))).toMatch(/'Mars\/Olympus' is not an IANA time zone/);
  });
});
