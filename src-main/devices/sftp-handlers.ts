import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { DeviceStatus } from '../../src-shared/api/devices';
import type { Handlers } from '../api/call-context';
import { testSftpConnection } from '../ingest/sftp-connection-test';
import type { SftpPollers } from '../ingest/sftp-pollers';
import type { IngestStatus } from '../ingest/status';
import type { DeviceRepository } from './repository';
import { secretForServer } from './sftp-secret';
import { problem } from '../../src-shared/api/messages';

/** What the status, SFTP test and "poll now" handlers use. */
export interface DeviceSftpHandlerDeps {
  devices: DeviceRepository;
  ingestStatus: IngestStatus;
  sftpPollers: SftpPollers;
}

/** The live status of devices, the SFTP connection test and "poll now". */
export function deviceSftpHandlers(s: DeviceSftpHandlerDeps): Handlers<'devices.status' | 'devices.testSftp' | 'devices.pollNow'> {
  return {
    'devices.status': () => {
      const snapshot = s.ingestStatus.snapshot();
      const devices: DeviceStatus[] = snapshot.devices.map((d) => ({ ...d, sftp: s.sftpPollers.statusOf(d.deviceId) }));
      return { ...snapshot, devices };
    },
    'devices.testSftp': async ({ id, sftp, format }, ctx) => {
      const row = id !== undefined ? s.devices.row(id) : null;
      const device = row ? s.devices.toDevice(row) : null;
      const stored = row ? s.devices.sftpSecret(row) : {};
      const settings = sftp ?? (device?.sftp ? { ...device.sftp, moveTo: device.sftp.moveTo } : null);
      if (!settings) {
        throw ApiError.keyed('invalid_input', 'api.noSftpSettings', `Device "${device?.name}" has no SFTP settings to test.`, { name: device?.name ?? '' }, fieldDetails({ sftp: problem('zod.required', 'is needed') }));
      }
      const secret = sftp ? secretForServer(sftp, device?.sftp, stored) : stored;
      // The stored host key counts while the server is the same one (as when the settings are saved).
      const sameServer = device?.sftp && device.sftp.host === settings.host && device.sftp.port === settings.port;
      const hostKey = sftp?.hostKey !== undefined ? sftp.hostKey : sameServer ? device.sftp!.hostKey : null;
      // Who connected where with a device's settings is in the operation log (never the secret).
      ctx.audit({ target: id !== undefined ? `device:${id}` : 'sftp', host: settings.host, port: settings.port, username: settings.username, folder: settings.folder });
      return testSftpConnection(
        {
          host: settings.host,
          port: settings.port,
          username: settings.username,
          ...secret,
          hostKey,
          folder: settings.folder,
          pattern: settings.pattern,
          afterFetch: settings.afterFetch,
          moveTo: settings.moveTo,
        },
        format ?? device?.format ?? null,
      );
    },
    'devices.pollNow': async ({ id }, ctx) => {
      const summary = await s.sftpPollers.pollNow(id);
      ctx.audit({ target: `device:${id}`, read: summary.read, counts: summary.counts, actions: summary.actions, ok: summary.ok });
      return summary;
    },
  };
}
