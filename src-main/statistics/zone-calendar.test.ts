import { describe, expect, it } from 'vitest';
import { ZoneCalendar, nextMonth, previousMonth } from './zone-calendar';

const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'Australia/Lord_Howe'];

describe('ZoneCalendar', () => {
  it.each(ZONES)('puts every instant in the day whose [start, next start) holds it (%s)', (zone) => {
    const calendar = new ZoneCalendar(zone);
    const wall = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    // Every 97 minutes over two years: both DST changes of each year, in any order of lookups.
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 97 * 60_000) {
      const day = calendar.dayOf(t);
      expect(calendar.isoDate(day)).toBe(wall.format(t));
      expect(calendar.startOfDay(day)).toBeLessThanOrEqual(t);
      expect(calendar.startOfDay(day + 1)).toBeGreaterThan(t);
    }
  });

  it('has days of 23 and 25 hours where daylight saving starts and ends', () => {
    const ny = new ZoneCalendar('America/New_York');
    const length = (y: number, m: number, d: number) => {
      const day = ny.dayNumber({ year: y, month: m, day: d });
      return (ny.startOfDay(day + 1) - ny.startOfDay(day)) / 3_600_000;
    };
    expect(length(2026, 3, 8)).toBe(23);
    expect(length(2026, 11, 1)).toBe(25);
    expect(length(2026, 6, 1)).toBe(24);
  });

  it('starts a day whose midnight does not exist at its first instant (Santiago, DST at 00:00)', () => {
    const santiago = new ZoneCalendar('America/Santiago');
    const day = santiago.dayNumber({ year: 2026, month: 9, day: 6 });
    const start = santiago.startOfDay(day);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Santiago', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(start)).toBe('01:00');
    expect(santiago.dayOf(start - 1)).toBe(day - 1);
  });

  it('gives months as [first instant, first instant of the next month)', () => {
    const shanghai = new ZoneCalendar('Asia/Shanghai');
    expect(shanghai.monthRange('2026-03')).toEqual({ from: Date.UTC(2026, 1, 28, 16), to: Date.UTC(2026, 2, 31, 16) });
    expect(shanghai.monthOf(Date.UTC(2026, 1, 28, 16))).toBe('2026-03');
    expect(shanghai.monthOf(Date.UTC(2026, 1, 28, 15, 59))).toBe('2026-02');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(() => shanghai.monthRange('2026-13')).toThrow(RangeError);
  });
});
