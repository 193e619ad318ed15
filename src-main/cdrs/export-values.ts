/** Turning stored CDR values into what an export shows: wall-clock times of a zone, h:mm:ss, names by id. */
import type { Sqlite } from '../db/connection';
import { nameLookups } from './repository';
import { wallClock } from '../exports/wall-clock';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Excel's serial day number of 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Wall-clock time of a zone for many instants. The zone's offset is looked up once per hour (Intl is slow per
 * call) and used for the whole hour when the hour's start and end agree; an hour holding a change of offset is
 * computed per instant.
 */
export class ZoneClock {
  private readonly offsets = new Map<number, number | null>();
  private lastHour = Number.NaN;
  private lastOffset: number | null = null;

  constructor(readonly timeZone: string) {}

  private exactOffset(ms: number): number {
    const w = wallClock(ms, this.timeZone);
    const seconds = Math.floor(ms / 1000) * 1000;
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
  }

  /** Milliseconds to add to an instant to get its wall-clock time read as UTC. */
  offset(ms: number): number {
    const hour = Math.floor(ms / HOUR_MS);
    // Exports read calls in time order: most instants fall in the hour of the one before.
    if (hour === this.lastHour && this.lastOffset !== null) return this.lastOffset;
    let cached = this.offsets.get(hour);
    if (cached === undefined) {
      const start = this.exactOffset(hour * HOUR_MS);
      cached = start === this.exactOffset(hour * HOUR_MS + HOUR_MS - 1) ? start : null;
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(hour, cached);
    }
    this.lastHour = hour;
    this.lastOffset = cached;
    return cached ?? this.exactOffset(ms);
  }

  /** The instant as an Excel date-time serial of its wall clock (Excel has no zones). */
  excelSerial(ms: number): number {
    return (ms + this.offset(ms)) / DAY_MS + EXCEL_EPOCH_DAYS;
  }

  /** Days since 1970-01-01 of the wall-clock date: the same number for every instant of one local day. */
  dayNumber(ms: number): number {
    return Math.floor((ms + this.offset(ms)) / DAY_MS);
  }

  /** "2026-03-02 09:15:02". */
  wallClockText(ms: number): string {
    const d = new Date(ms + this.offset(ms));
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  }
}

/** A day number of `ZoneClock.dayNumber` as "2026-03-02". */
export function dayText(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 3725 -> "1:02:05" (hours are not wrapped at 24). */
export function formatDurationText(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

/** Names of devices, accounts and rates by id, read once each (an export meets the same few thousand again and again). */
export class NameCache {
  private readonly devices = new Map<number, string>();
  private readonly accounts = new Map<number, string>();
  private readonly rates = new Map<number, string>();
  private readonly read;

  constructor(db: Sqlite) {
    this.read = nameLookups(db);
  }

  private lookup(cache: Map<number, string>, read: (id: number) => unknown, id: number | null): string | null {
    if (id === null) return null;
    let name = cache.get(id);
    if (name === undefined) {
      name = String(read(id) ?? `#${id}`);
      cache.set(id, name);
    }
    return name;
  }

  device = (id: number) => this.lookup(this.devices, this.read.device, id) ?? '';
  account = (id: number | null) => this.lookup(this.accounts, this.read.account, id);
  rate = (id: number | null) => this.lookup(this.rates, this.read.rate, id);
}
