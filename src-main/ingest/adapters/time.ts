/**
 * Reading PBX times: device-local wall-clock text -> UTC epoch ms in the device's IANA zone, epochs, durations.
 *
 * A "wall-clock ms" value is a local date-time encoded as if it were UTC (Date.UTC of its fields); a zone turns it
 * into an instant. Zone offsets come from Intl (the tz database that ships with Node) through one formatter per
 * zone, and results are cached per 15-minute slot, so a million records cost a few thousand Intl calls, not millions.
 *
 * DST policy (the same as Temporal's and java.time's default, "compatible"):
 * - a local time that happens twice (clocks go back) is read as the EARLIER instant, i.e. with the summer offset;
 * - a local time that never happens (clocks go forward) is read with the offset in force BEFORE the jump, which
 *   lands that many minutes after the jump (Berlin 2026-03-29 02:30 -> 01:30Z, shown as 03:30 CEST).
 * Both are deterministic; a PBX that logs local time cannot tell us more.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Modern zone transitions fall on quarter hours; a slot that contains one is never cached (see StepCache). */
const SLOT_MS = 15 * MINUTE_MS;
const MAX_CACHED_SLOTS = 200_000;

const WALL_CLOCK_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?$/;

/** Days in each month of a non-leap year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Wall-clock ms of a validated local date-time, or NaN when a part is out of range (month 13, 31 April, 24:00). */
export function wallClockFromParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond = 0,
): number {
  // Written as "inside the range" so that NaN parts fail too.
  const inRange =
    year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
    hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
  if (!inRange) return NaN;
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  if (day > MONTH_DAYS[month - 1]! + (leap ? 1 : 0)) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; Date.UTC is slower per call). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Two ASCII digits at `at`, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/** `YYYY-MM-DD HH:MM:SS` exactly (any of -/. between date parts): the common case, read without a regex. */
function parseFixedWallClock(text: string): number {
  const sep = text.charCodeAt(4);
  if ((sep !== 45 && sep !== 47 && sep !== 46) || text.charCodeAt(7) !== sep) return NaN;
  const between = text.charCodeAt(10);
  if ((between !== 32 && between !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return NaN;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const value = wallClockFromParts(
    year,
    twoDigits(text, 5),
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
  );
  return value;
}

/**
 * Reads `YYYY-MM-DD HH:MM[:SS[.fff]]` with `-`, `/` or `.` between date parts and a space or `T` before the time
 * (Asterisk, FreeSWITCH, Yeastar, Grandstream, 3CX, IP Office all write a variant of it). NaN when it is not a date.
 */
export function parseWallClock(text: string): number {
  if (text.length === 19) {
    const fixed = parseFixedWallClock(text);
    if (!Number.isNaN(fixed)) return fixed;
  }
  const m = WALL_CLOCK_RE.exec(text);
  if (!m) return NaN;
  const fraction = m[7] ? Math.floor(Number(m[7].padEnd(3, '0').slice(0, 3))) : 0;
  return wallClockFromParts(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, fraction);
}

const EPOCH_RE = /^\d{1,11}(?:\.\d{1,9})?$/;

/** Unix epoch seconds, with an optional fraction (`1772414102`, `1772414102.123456`) -> ms. NaN otherwise. */
export function parseEpochSeconds(text: string): number {
  if (!EPOCH_RE.test(text)) return NaN;
  return Math.round(Number(text) * 1000);
}

/** A whole, non-negative number (`129`); NaN for anything else. */
export function parseWholeNumber(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return NaN;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

const CLOCK_DURATION_RE = /^(?:(\d{1,6}):)?(\d{1,2}):(\d{2})$/;

/** `HH:MM:SS` (hours may pass 24) or `MM:SS` -> seconds; NaN otherwise. */
export function parseClockDuration(text: string): number {
  const m = CLOCK_DURATION_RE.exec(text);
  if (!m) return NaN;
  const minutes = +m[2]!;
  const seconds = +m[3]!;
  if (seconds > 59 || (m[1] !== undefined && minutes > 59)) return NaN;
  return (m[1] ? +m[1] * 3600 : 0) + minutes * 60 + seconds;
}

/** Offset of a zone from UTC at an instant, in ms, straight from Intl. */
type OffsetSource = (utcMs: number) => number;

function intlOffsetSource(timeZone: string): OffsetSource {
  // Throws RangeError for names that are not IANA zones: the caller reports it.
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  return (utcMs) => {
    const parts = format.formatToParts(utcMs);
    let name = 'GMT';
    for (const part of parts) if (part.type === 'timeZoneName') name = part.value;
    return parseGmtOffset(name);
  };
}

/** `GMT`, `GMT+08:00`, `GMT-04:56:02` -> ms. */
export function parseGmtOffset(name: string): number {
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m || !m[1]) return 0;
  const ms = (+m[2]! * 3600 + +m[3]! * 60 + (m[4] ? +m[4] : 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

/**
 * Caches a step function of time (a zone's offset, by instant or by wall clock) at two grains: whole days with no
 * step inside, else quarter hours with no step inside; only the quarter hour holding a step is computed each time.
 * "No step inside" is judged from the two ends, which holds because zones change offset at most once a day.
 */
class StepCache {
  private readonly days = new Map<number, number>(); // NaN: the day holds a step
  private readonly quarters = new Map<number, number>();

  constructor(private readonly compute: (ms: number) => number) {}

  get(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let value = this.days.get(day);
    if (value === undefined) value = this.learn(this.days, day, DAY_MS);
    if (!Number.isNaN(value)) return value;
    const quarter = Math.floor(ms / SLOT_MS);
    value = this.quarters.get(quarter);
    if (value === undefined) value = this.learn(this.quarters, quarter, SLOT_MS);
    return Number.isNaN(value) ? this.compute(ms) : value;
  }

  private learn(cache: Map<number, number>, slot: number, slotMs: number): number {
    const first = this.compute(slot * slotMs);
    const value = first === this.compute(slot * slotMs + slotMs - 1) ? first : NaN;
    if (cache.size >= MAX_CACHED_SLOTS) cache.clear();
    cache.set(slot, value);
    return value;
  }
}

/** One IANA zone's conversions, with caches. Get one through `zoneClock(name)`. */
export class ZoneClock {
  private readonly offsets: StepCache;
  private readonly wallOffsets: StepCache;

  constructor(
    readonly timeZone: string,
    offsetSource: OffsetSource,
  ) {
    this.offsets = new StepCache(offsetSource);
    this.wallOffsets = new StepCache((wallMs) => this.resolveOffset(wallMs));
  }

  /** UTC offset in ms at an instant. */
  offsetAt(utcMs: number): number {
    return this.offsets.get(utcMs);
  }

  /** Local wall-clock ms -> UTC epoch ms, with the DST policy described at the top of this file. */
  toUtc(wallMs: number): number {
    return wallMs - this.wallOffsets.get(wallMs);
  }

  /** The offset that applies to a wall-clock time (assumes at most one transition within a day either side). */
  private resolveOffset(wallMs: number): number {
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    if (before === after) return before;
    const beforeValid = this.offsetAt(wallMs - before) === before;
    const afterValid = this.offsetAt(wallMs - after) === after;
    if (beforeValid && afterValid) return Math.max(before, after); // repeated hour: the earlier instant
    if (afterValid) return after;
    return before; // valid before the transition, or skipped hour: read with the offset before the jump
  }
}

const zoneClocks = new Map<string, ZoneClock | RangeError>();

/** The ZoneClock of an IANA zone name, or a RangeError saying the name is not a zone. Cached per process. */
export function zoneClock(timeZone: string): ZoneClock | RangeError {
  let clock = zoneClocks.get(timeZone);
  if (!clock) {
    try {
      // ICU also takes abbreviations, and reads 'CST' as US Central, not China: only Area/Location names and UTC.
      if (!timeZone.includes('/') && timeZone !== 'UTC') throw new RangeError('not an Area/Location name');
      clock = new ZoneClock(timeZone, intlOffsetSource(timeZone));
    } catch {
      clock = new RangeError(`time zone '${timeZone}' is not an IANA time zone (e.g. Asia/Shanghai)`);
    }
    zoneClocks.set(timeZone, clock);
  }
  return clock;
}

export function isIanaTimeZone(timeZone: string): boolean {
  return !(zoneClock(timeZone) instanceof RangeError);
}

/** For tests: a ZoneClock over a given offset function, so cache behaviour can be checked without Intl. */
export function zoneClockFromOffsets(name: string, offsetAt: (utcMs: number) => number): ZoneClock {
  return new ZoneClock(name, offsetAt);
}
