/**
 * Calendar days and months of an IANA time zone, for the statistics rollups (one row per local day) and the monthly
 * bills. A day is numbered as days since 1970-01-01 of the local calendar; its start is the first instant whose local
 * date is that day (midnight, or later when a DST change skips midnight), so days of 23 or 25 hours come out right.
 * Offsets come from Intl through the rating core's per-zone clock (cached per hour); the last day looked up is cached
 * too, so charging a batch of calls of the same day costs one comparison per call.
 */
import { zoneOffsetAt } from '../../src-shared/domain/rating/local-time';

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;

export interface LocalDate {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

export class ZoneCalendar {
  private cachedDay = Number.NaN;
  private cachedFrom = 0;
  private cachedUntil = 0;

  /** Throws RangeError for an unknown zone. */
  constructor(readonly timeZone: string) {
    zoneOffsetAt(0, timeZone);
  }

  /** Local time minus UTC at an instant, in ms. */
  offsetAt(epochMs: number): number {
    return zoneOffsetAt(epochMs, this.timeZone);
  }

  /** The local day number of an instant. */
  dayOf(epochMs: number): number {
    if (epochMs >= this.cachedFrom && epochMs < this.cachedUntil) return this.cachedDay;
    const day = Math.floor((epochMs + this.offsetAt(epochMs)) / DAY_MS);
    // Cache the quarter-hour around the instant when the whole of it is the same day (offsets are whole quarters).
    const from = Math.floor(epochMs / QUARTER_MS) * QUARTER_MS;
    const until = from + QUARTER_MS;
    if (Math.floor((from + this.offsetAt(from)) / DAY_MS) === day && Math.floor((until - 1 + this.offsetAt(until - 1)) / DAY_MS) === day) {
      // Widen to the whole day when its start and end are known, so a day of calls is one comparison each.
      const start = this.startOfDay(day);
      const end = this.startOfDay(day + 1);
      this.cachedDay = day;
      this.cachedFrom = start;
      this.cachedUntil = end;
    }
    return day;
  }

  /** The first instant of a local day. */
  startOfDay(day: number): number {
    let guess = day * DAY_MS - this.offsetAt(day * DAY_MS);
    guess = day * DAY_MS - this.offsetAt(guess);
    const found = Math.floor((guess + this.offsetAt(guess)) / DAY_MS);
    if (found === day) {
      // An earlier instant may still be the same day when the offset changed just before midnight: step back.
      let t = guess;
      while (Math.floor((t - QUARTER_MS + this.offsetAt(t - QUARTER_MS)) / DAY_MS) === day) t -= QUARTER_MS;
      return t;
    }
    // Midnight did not exist (a DST change at 00:00): the day starts at the first quarter-hour that is in it.
    let t = guess;
    const step = found < day ? QUARTER_MS : -QUARTER_MS;
    for (let i = 0; i < 200; i++) {
      const next = t + step;
      const d = Math.floor((next + this.offsetAt(next)) / DAY_MS);
      if (step > 0 && d === day) return next;
      if (step < 0 && d < day) return t;
      t = next;
    }
    return guess;
  }

  /** The calendar date of a day number. */
  dateOf(day: number): LocalDate {
    const d = new Date(day * DAY_MS);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }

  /** The day number of a calendar date. */
  dayNumber(date: LocalDate): number {
    return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
  }

  /** "2026-03-02" */
  isoDate(day: number): string {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  /** The local date of an instant. */
  localDate(epochMs: number): LocalDate {
    return this.dateOf(this.dayOf(epochMs));
  }

  /** First instant of a month ("2026-03") and of the month after it. */
  monthRange(month: string): { from: number; to: number } {
    const { year, month: m } = parseMonth(month);
    const from = this.startOfDay(this.dayNumber({ year, month: m, day: 1 }));
    const next = m === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: m + 1, day: 1 };
    return { from, to: this.startOfDay(this.dayNumber(next)) };
  }

  /** "2026-03" of an instant. */
  monthOf(epochMs: number): string {
    const d = this.localDate(epochMs);
    return formatMonth(d.year, d.month);
  }
}

export function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`"${month}" is not a month (YYYY-MM)`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month after "2026-12": "2027-01". */
export function nextMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 12 ? formatMonth(year + 1, 1) : formatMonth(year, m + 1);
}

export function previousMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 1 ? formatMonth(year - 1, 12) : formatMonth(year, m - 1);
}

const calendars = new Map<string, ZoneCalendar>();

/** One shared calendar per zone (their caches are worth keeping). Throws RangeError for an unknown zone. */
export function calendarOf(timeZone: string): ZoneCalendar {
  let c = calendars.get(timeZone);
  if (!c) {
    c = new ZoneCalendar(timeZone);
    calendars.set(timeZone, c);
  }
  return c;
}
