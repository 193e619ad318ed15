/**
 * One SFTP poller per enabled device with SFTP settings. Device changes (settings, secrets, format, enabled,
 * deleted) arrive as `data.changed` events for `devices` after their commit and restart or stop that device's
 * poller alone; the engine keeps running. A restarted poller starts only once the old one has finished the batch it
 * was storing, so two never read the same device's files at once.
 */
import type { SftpPollerStatus, SftpPollSummary } from '../../src-shared/api/devices';
import { ApiError } from '../../src-shared/api/errors';
import type { DeviceRepository, DeviceRow } from '../devices/repository';
import { deviceContextOf } from '../devices/repository';
import type { EventBus } from '../events';
import { DEFAULT_SFTP_POLLER_OPTIONS, SftpDevicePoller, type DevicePollSettings, type SftpPollerDeps, type SftpPollerOptions } from './sftp-poller';

export interface SftpPollersDeps extends SftpPollerDeps {
  devices: DeviceRepository;
  events: EventBus;
}

interface RunningPoller {
  poller: SftpDevicePoller;
  /** The settings it runs with; another key means the device changed. */
  key: string;
}

export class SftpPollers {
  private readonly running = new Map<number, RunningPoller>();
  /** Pollers being stopped, by device: a replacement starts after. */
  private readonly retiring = new Map<number, Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly deps: SftpPollersDeps,
    private readonly options: SftpPollerOptions = DEFAULT_SFTP_POLLER_OPTIONS,
  ) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((message) => {
      if (message.event === 'data.changed' && (message.data as { domain: string }).domain === 'devices') this.reconcile();
    });
    this.reconcile();
  }

  /** Brings the running pollers in line with the devices table. */
  reconcile(): void {
    if (this.stopped) return;
    const wanted = new Map<number, { settings: DevicePollSettings; key: string }>();
    for (const row of this.deps.devices.rows()) {
      const settings = this.settingsOf(row);
      if (settings) wanted.set(row.id, settings);
    }
    for (const [id, current] of this.running) {
      if (wanted.get(id)?.key !== current.key) this.retire(id, current.poller);
    }
    for (const [id, { settings, key }] of wanted) {
      if (this.running.has(id)) continue;
      const poller = new SftpDevicePoller(this.deps, settings, this.options, (fingerprint) => this.storeHostKey(id, settings, fingerprint));
      this.running.set(id, { poller, key });
      const previous = this.retiring.get(id);
      if (previous) void previous.then(() => this.running.get(id)?.poller === poller && poller.start());
      else poller.start();
    }
  }

  statusOf(deviceId: number): SftpPollerStatus | null {
    return this.running.get(deviceId)?.poller.snapshot() ?? null;
  }

  /** Polls a device now and reports what that poll did. */
  pollNow(deviceId: number): Promise<SftpPollSummary> {
    const running = this.running.get(deviceId);
    if (!running) {
      const device = this.deps.devices.get(deviceId);
      const why = !device.sftp ? 'has no SFTP settings' : 'is disabled';
      throw ApiError.keyed('conflict', device.sftp ? 'api.pollDisabled' : 'api.pollNoSftp', `Device "${device.name}" ${why}: there is nothing to poll.`, { name: device.name });
    }
    return running.poller.pollNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const [id, { poller }] of this.running) this.retire(id, poller);
    await Promise.all(this.retiring.values());
  }

  /** Stores the host key seen at a device's first connection, without restarting its poller. */
  private storeHostKey(deviceId: number, settings: DevicePollSettings, fingerprint: string): void {
    const { host, port } = settings.endpoint;
    if (!this.deps.devices.pinSftpHostKey(deviceId, host, port, fingerprint)) return;
    const running = this.running.get(deviceId);
    const now = this.settingsOf(this.deps.devices.row(deviceId));
    if (running && now) running.key = now.key;
    this.deps.log.info('Stored the SFTP host key of a device', { deviceId, host, port, fingerprint });
    this.deps.events.emit('data.changed', { domain: 'devices', ids: [deviceId] });
  }

  private retire(deviceId: number, poller: SftpDevicePoller): void {
    this.running.delete(deviceId);
    const before = this.retiring.get(deviceId) ?? Promise.resolve();
    const done = before.then(() => poller.stop());
    this.retiring.set(deviceId, done);
    void done.then(() => {
      if (this.retiring.get(deviceId) === done) this.retiring.delete(deviceId);
    });
  }

  private settingsOf(row: DeviceRow): { settings: DevicePollSettings; key: string } | null {
    if (!row.enabled || !row.sftp) return null;
    const device = this.deps.devices.toDevice(row);
    const sftp = device.sftp!;
    let secret;
    try {
      secret = this.deps.devices.sftpSecret(row);
    } catch (error) {
      this.deps.status.error(row.id, `the stored SFTP password or key cannot be decrypted (${String(error)}); enter it again`);
      return null;
    }
    const settings: DevicePollSettings = {
      device: { id: device.id, name: device.name, format: device.format, context: deviceContextOf(device) },
      endpoint: { host: sftp.host, port: sftp.port, username: sftp.username, ...secret, hostKey: sftp.hostKey },
      folder: sftp.folder,
      pattern: sftp.pattern,
      intervalMs: sftp.intervalSeconds * 1000,
      afterFetch: sftp.afterFetch,
      moveTo: sftp.moveTo,
    };
    const key = JSON.stringify([row.name, row.format, row.format_options, row.time_zone, row.sftp, row.sftp_secret]);
    return { settings, key };
  }
}
