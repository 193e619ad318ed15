/**
 * Live ingest status per device, for the devices page and the dashboard: open connections, last CDR, last poll,
 * recent errors and today's counts. Counts come from `ingest_daily` (written in the same transaction as the records,
 * so they survive restarts and never count a rolled-back batch); connections, polls and errors are kept in memory.
 * Changes are announced as `data.changed` (domain `ingest`) at most once a second.
 */
import type {
  DeviceIngestStatus,
  IngestCounts,
  IngestError,
  IngestPollResult,
  IngestStatusSnapshot,
  TcpListenerState,
} from '../../src-shared/api/ingest';
import { isoTime } from '../../src-shared/api/common';
import type { Sqlite } from '../db/connection';
import { deviceNames } from '../devices/repository';
import type { EventBus } from '../events';
import { dailyCountsOf, lastReceivedByDevice, type DailyCountsRow } from './daily-repository';
import { localDay } from './local-day';

const MAX_ERRORS_KEPT = 20;
const EMIT_INTERVAL_MS = 1000;

interface OpenConnection {
  remote: string;
  since: number;
}

interface DeviceLive {
  connections: OpenConnection[];
  lastCdrAt: number | null;
  lastPoll: { at: number; ok: boolean; error?: string; files: number } | null;
  errors: { at: number; message: string }[];
  errorCount: number;
}

export class IngestStatus {
  private readonly live = new Map<number, DeviceLive>();
  private listener: TcpListenerState = { state: 'stopped', host: '', port: 0 };
  private readonly changedIds = new Set<number>();
  private lastEmitAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Sqlite,
    private readonly events: EventBus,
    private readonly now: () => number,
    private readonly emitIntervalMs = EMIT_INTERVAL_MS,
  ) {}

  /** A device opened a connection (TCP) from `remote` ("192.168.1.20:53122"). */
  connectionOpened(deviceId: number, remote: string): void {
    this.device(deviceId).connections.push({ remote, since: this.now() });
    this.changed(deviceId);
  }

  connectionClosed(deviceId: number, remote: string): void {
    const connections = this.device(deviceId).connections;
    const i = connections.findIndex((c) => c.remote === remote);
    if (i >= 0) connections.splice(i, 1);
    this.changed(deviceId);
  }

  /** Records of a device were stored (the counts themselves are already in `ingest_daily`). */
  recorded(deviceId: number, counts: IngestCounts, at: number): void {
    if (counts.received + counts.skipped === 0) return;
    const d = this.device(deviceId);
    d.lastCdrAt = Math.max(d.lastCdrAt ?? 0, at);
    this.changed(deviceId);
  }

  /** A poll of the device's files ended (`files`: how many were read). */
  pollFinished(deviceId: number, poll: { at: number; ok: boolean; error?: string; files: number }): void {
    this.device(deviceId).lastPoll = { ...poll };
    if (!poll.ok && poll.error) this.error(deviceId, poll.error, poll.at);
    this.changed(deviceId);
  }

  /** Something went wrong for a device (refused login, storage error, poll failure): kept for the status view. */
  error(deviceId: number, message: string, at = this.now()): void {
    const d = this.device(deviceId);
    d.errors.unshift({ at, message });
    d.errors.length = Math.min(d.errors.length, MAX_ERRORS_KEPT);
    d.errorCount++;
    this.changed(deviceId);
  }

  /** The TCP listener started, moved, stopped or failed. */
  listenerChanged(state: TcpListenerState): void {
    this.listener = { ...state };
    this.changed();
  }

  get listenerState(): TcpListenerState {
    return { ...this.listener };
  }

  snapshot(): IngestStatusSnapshot {
    const at = this.now();
    const day = localDay(at);
    const today = dailyCountsOf(this.db, day);
    const lastStored = lastReceivedByDevice(this.db);
    const devices = deviceNames(this.db);
    return {
      at: isoTime(at),
      day,
      listener: this.listenerState,
      devices: devices.map((d) => this.deviceStatus(d.id, d.name, today.get(d.id), lastStored.get(d.id))),
    };
  }

  /** Stops the pending event timer (engine stop). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private deviceStatus(id: number, name: string, today: DailyCountsRow | undefined, lastStoredAt: number | undefined): DeviceIngestStatus {
    const live = this.live.get(id);
    const lastCdrAt = Math.max(live?.lastCdrAt ?? 0, lastStoredAt ?? 0);
    const errors: IngestError[] = (live?.errors ?? []).map((e) => ({ at: isoTime(e.at), message: e.message }));
    const lastPoll: IngestPollResult | null = live?.lastPoll
      ? {
          at: isoTime(live.lastPoll.at),
          ok: live.lastPoll.ok,
          files: live.lastPoll.files,
          ...(live.lastPoll.error ? { error: live.lastPoll.error } : {}),
        }
      : null;
    return {
      deviceId: id,
      name,
      connections: (live?.connections ?? []).map((c) => ({ remote: c.remote, since: isoTime(c.since) })),
      lastCdrAt: lastCdrAt > 0 ? isoTime(lastCdrAt) : null,
      lastPoll,
      errors,
      errorCount: live?.errorCount ?? 0,
      today: {
        received: today?.received ?? 0,
        stored: today?.stored ?? 0,
        duplicates: today?.duplicates ?? 0,
        rejected: today?.rejected ?? 0,
        skipped: today?.skipped ?? 0,
      },
    };
  }

  private device(id: number): DeviceLive {
    let d = this.live.get(id);
    if (!d) {
      d = { connections: [], lastCdrAt: null, lastPoll: null, errors: [], errorCount: 0 };
      this.live.set(id, d);
    }
    return d;
  }

  /** Announces a change at most once per interval; changes in between are gathered into the next event. */
  private changed(deviceId?: number): void {
    if (deviceId !== undefined) this.changedIds.add(deviceId);
    if (this.timer) return;
    // Monotonic time: the throttle pairs with setTimeout, which a change of the wall clock does not move.
    const wait = this.lastEmitAt + this.emitIntervalMs - performance.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emit();
    }, wait);
    this.timer.unref();
  }

  private emit(): void {
    this.lastEmitAt = performance.now();
    const ids = [...this.changedIds];
    this.changedIds.clear();
    this.events.emit('data.changed', { domain: 'ingest', ...(ids.length ? { ids } : {}) });
  }
}
