/**
 * When scheduled backups run: every day (or one weekday) at a local time of day in an explicit time zone.
 * Pure functions of (schedule, instant) so they can be tested across zones and DST changes.
 */
import { wallClock } from '../../exports/wall-clock';

export interface BackupSchedule {
  schedule: 'off' | 'daily' | 'weekly';
  /** "HH:MM" local time. */
  timeOfDay: string;
  /** ISO weekday for weekly backups, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  timeZone: string;
}

const DAY_MS = 86_400_000;

const localFields = wallClock;

/** Offset of the zone at an instant: local wall time minus UTC, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const l = localFields(epochMs, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(epochMs / 1000) * 1000;
}

/** The instant of a local wall time (a time skipped by a DST jump resolves to the hour after). */
export function wallTimeToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return t;
}

function slotOnLocalDay(s: BackupSchedule, dayUtcMidnight: number): number | null {
  const d = new Date(dayUtcMidnight);
  const isoWeekday = ((d.getUTCDay() + 6) % 7) + 1;
  if (s.schedule === 'weekly' && isoWeekday !== s.weekday) return null;
  const [hh, mm] = s.timeOfDay.split(':').map(Number) as [number, number];
  return wallTimeToEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hh, mm, s.timeZone);
}

function localDayStart(epochMs: number, timeZone: string): number {
  const l = localFields(epochMs, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day);
}

/** The first slot strictly after `after`, or null when the schedule is off. */
export function nextBackupAt(s: BackupSchedule, after: number): number | null {
  if (s.schedule === 'off') return null;
  const today = localDayStart(after, s.timeZone);
  for (let i = 0; i <= 8; i++) {
    const slot = slotOnLocalDay(s, today + i * DAY_MS);
    if (slot !== null && slot > after) return slot;
  }
  return null;
}

/** The last slot at or before `at`, or null when the schedule is off. */
export function previousBackupAt(s: BackupSchedule, at: number): number | null {
  if (s.schedule === 'off') return null;
  const today = localDayStart(at, s.timeZone);
  for (let i = 0; i <= 8; i++) {
    const slot = slotOnLocalDay(s, today - i * DAY_MS);
    if (slot !== null && slot <= at) return slot;
  }
  return null;
}
