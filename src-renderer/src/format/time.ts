import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { now } from '../clock';

dayjs.extend(utc);
dayjs.extend(timezone);

/** A calendar day as the date pickers hold it: "2026-03-02". */
export type DayText = string;

export function workstationTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** All IANA zones the runtime knows, for the time zone picker. */
export function knownTimeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone');
  return supported?.length ? supported : [workstationTimeZone(), 'UTC'];
}

/** "GMT+8" for Asia/Shanghai at that instant (offsets change with daylight saving). */
export function zoneOffsetName(zone: string, at: Date = now(), locale = 'en'): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** "Asia/Shanghai (GMT+8)": the zone shown beside times and in column headers. */
export function zoneLabel(zone: string, locale = 'en'): string {
  return `${zone} (${zoneOffsetName(zone, now(), locale)})`;
}

export interface DateTimeOptions {
  timeZone: string;
  locale: string;
  /** Append the zone offset ("GMT+8") to the text. */
  withZone?: boolean;
  /** Leave out the seconds. */
  minutes?: boolean;
}

/** An API instant ("2026-03-02T01:15:02.000Z") as local date and time in the chosen zone, formatted per locale. */
export function formatDateTime(instant: string | number, options: DateTimeOptions): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(options.minutes ? {} : { second: '2-digit' }),
    hourCycle: 'h23',
    ...(options.withZone ? { timeZoneName: 'shortOffset' } : {}),
  }).format(date);
}

export function formatDate(instant: string | number, options: Omit<DateTimeOptions, 'minutes'>): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(options.withZone ? { timeZoneName: 'shortOffset' } : {}),
  }).format(date);
}

/** Today in the zone, as a day: what "today" means to the clerk, not to UTC. */
export function todayIn(zone: string, at: Date = now()): DayText {
  return dayjs(at).tz(zone).format('YYYY-MM-DD');
}

export function addDays(day: DayText, days: number): DayText {
  return dayjs(day).add(days, 'day').format('YYYY-MM-DD');
}

/** The instant a day starts in the zone, as ISO 8601 (what the API takes for `from`/`to`). */
export function startOfDayIn(day: DayText, zone: string): string {
  return dayjs.tz(day, zone).toISOString();
}

/**
 * A range of whole days [first, last] in the zone as the half-open instant range the API filters use:
 * from = start of the first day, to = start of the day after the last.
 */
export function dayRangeToInstants(
  first: DayText | undefined,
  last: DayText | undefined,
  zone: string,
): { from?: string; to?: string } {
  return {
    ...(first ? { from: startOfDayIn(first, zone) } : {}),
    ...(last ? { to: startOfDayIn(addDays(last, 1), zone) } : {}),
  };
}

export function isDayText(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs(text, 'YYYY-MM-DD').isValid();
}

export { dayjs };
