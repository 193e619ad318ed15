/**
 * Device-local wall-clock time of an instant, for time bands. Building an Intl.DateTimeFormat costs tens of
 * microseconds and formatting a few more, so each zone keeps one formatter and caches its UTC offset per hour:
 * after warm-up a lookup is one Map probe.
 */
import type { TimeBand } from './rate';

export interface LocalTime {
  /** ISO day of week: 1 = Monday ... 7 = Sunday. */
  isoWeekday: number;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const OFFSET_CACHE_LIMIT = 200_000;
/** Marks an hour that contains an offset change; instants in it are resolved exactly. */
const TRANSITION = Number.NaN;

class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsetByHour = new Map<number, number>();

  constructor(timeZone: string) {
    // Throws RangeError for an unknown zone: callers decide what that means for them.
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR_MS);
    let offset = this.offsetByHour.get(hour);
    if (offset === undefined) {
      // Offsets change at most once within an hour, so equal offsets at both ends mean one offset for all of it.
      const first = this.exactOffset(hour * HOUR_MS);
      const last = this.exactOffset(hour * HOUR_MS + HOUR_MS - 1000);
      offset = first === last ? first : TRANSITION;
      if (this.offsetByHour.size >= OFFSET_CACHE_LIMIT) this.offsetByHour.clear();
      this.offsetByHour.set(hour, offset);
    }
    return Number.isNaN(offset) ? this.exactOffset(epochMs) : offset;
  }

  private exactOffset(epochMs: number): number {
    const wholeSecond = Math.floor(epochMs / 1000) * 1000;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const part of this.formatter.formatToParts(wholeSecond)) {
      switch (part.type) {
        case 'year': y = Number(part.value); break;
        case 'month': mo = Number(part.value); break;
        case 'day': d = Number(part.value); break;
        case 'hour': h = Number(part.value); break;
        case 'minute': mi = Number(part.value); break;
        case 'second': s = Number(part.value); break;
        default: break;
      }
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) - wholeSecond;
  }
}

const clocks = new Map<string, ZoneClock>();

function clockFor(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new ZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** Local time minus UTC at `epochMs` in `timeZone`, in ms (cached per hour). Throws RangeError for an unknown zone. */
export function zoneOffsetAt(epochMs: number, timeZone: string): number {
  return clockFor(timeZone).offsetAt(epochMs);
}

/** Local day of week and minute of day of `epochMs` in `timeZone`. Throws RangeError for an unknown zone. */
export function localTimeOf(epochMs: number, timeZone: string): LocalTime {
  const local = epochMs + clockFor(timeZone).offsetAt(epochMs);
  const days = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday (ISO 4).
  const isoWeekday = ((((days + 3) % 7) + 7) % 7) + 1;
  const minuteOfDay = Math.floor((local - days * DAY_MS) / 60_000);
  return { isoWeekday, minuteOfDay };
}

/** A time band in minutes with its days as a bit set (bit n = ISO day n), prepared once per rate. */
export interface CompiledTimeBand {
  daysMask: number;
  fromMinute: number;
  toMinute: number;
}

/** "HH:MM" -> minutes; "24:00" -> 1440; anything else -> NaN. */
export function parseClockTime(text: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 1440 ? Number.NaN : minutes;
}

export function compileTimeBand(band: TimeBand): CompiledTimeBand {
  let daysMask = 0;
  for (const d of band.days) if (Number.isInteger(d) && d >= 1 && d <= 7) daysMask |= 1 << d;
  return { daysMask, fromMinute: parseClockTime(band.from), toMinute: parseClockTime(band.to) };
}

/**
 * Whether a call starting at `local` falls in the band. From is inclusive, to exclusive. A band that crosses midnight
 * (to <= from) belongs to the day it starts: Friday 22:00-06:00 covers Saturday 02:00 but not Monday 02:00.
 */
export function bandContains(band: CompiledTimeBand, local: LocalTime): boolean {
  const { fromMinute, toMinute, daysMask } = band;
  const m = local.minuteOfDay;
  const today = (daysMask & (1 << local.isoWeekday)) !== 0;
  if (fromMinute < toMinute) return today && m >= fromMinute && m < toMinute;
  const yesterday = local.isoWeekday === 1 ? 7 : local.isoWeekday - 1;
  return (today && m >= fromMinute) || ((daysMask & (1 << yesterday)) !== 0 && m < toMinute);
}
