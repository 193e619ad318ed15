/**
 * An engine with fast SFTP poller timings and a test SFTP server, for the poller tests: devices are created through
 * the API like a clerk would, and `poll(id)` runs a poll at once and returns what it did.
 */
import type { InputOf, OutputOf } from '../../src-shared/api';
import type { SftpPollerOptions } from '../../src-main/ingest/sftp-poller';
import { startTestEngine, type TestEngine } from './engine';
import { beijingDevice } from './fixtures';
import { SftpTestServer, generateClientKeyPair } from './sftp-server';

export { asteriskLines } from './sftp-asterisk-lines';

export const SFTP_USER = 'cdr';
export const SFTP_PASSWORD = 'pbx-Secret-42';

/** Short waits so a test is not spent sleeping; the logic is the same as with the defaults. */
export const FAST_POLLING: Partial<SftpPollerOptions> = {
  settleMs: 150,
  retryBaseMs: 200,
  retryMaxMs: 2000,
  timeouts: { connectMs: 10_000, operationMs: 10_000 },
  finalLineQuietMs: 60 * 60_000,
};

export interface SftpPollFixture {
  server: SftpTestServer;
  t: TestEngine;
  token: string;
  keys: { privateKey: string; publicKey: string };
  createDevice(
    name: string,
    sftp?: Partial<NonNullable<InputOf<'devices.create'>['sftp']>>,
    device?: Partial<InputOf<'devices.create'>>,
  ): Promise<number>;
  poll(deviceId: number): Promise<OutputOf<'devices.pollNow'>>;
  cdrCount(deviceId: number): number;
  rejectCount(deviceId: number): number;
  progress(deviceId: number, path: string): Record<string, unknown> | undefined;
  dispose(): Promise<void>;
}

export async function startSftpPollFixture(polling: Partial<SftpPollerOptions> = {}): Promise<SftpPollFixture> {
  const keys = generateClientKeyPair();
  const server = await SftpTestServer.start({
    users: [
      { username: SFTP_USER, password: SFTP_PASSWORD },
      { username: 'keyed', publicKey: keys.publicKey },
    ],
  });
  const t = await startTestEngine({ http: false, sftpPolling: { ...FAST_POLLING, ...polling } });
  const token = await t.loginAs('clerk');
  const db = t.services.db;
  return {
    server,
    t,
    token,
    keys,
    async createDevice(name, sftp = {}, device = {}) {
      const created = await t.call(
        'devices.create',
        beijingDevice({
          name,
          sftp: {
            host: server.host,
            port: server.port,
            username: SFTP_USER,
            password: SFTP_PASSWORD,
            folder: '/cdr',
            pattern: '*',
            // Polls come from the test (devices.pollNow) or from the first poll at start, not from the clock.
            intervalSeconds: 3600,
            ...sftp,
          },
          ...device,
        }),
        token,
      );
      return created.id;
    },
    poll: (id) => t.call('devices.pollNow', { id }, token),
    cdrCount: (id) => db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(id) as number,
    rejectCount: (id) => db.prepare('SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?').pluck().get(id) as number,
    progress: (id, path) =>
      db.prepare('SELECT * FROM ingest_sources WHERE device_id = ? AND path = ?').get(id, path) as Record<string, unknown> | undefined,
    async dispose() {
      await t.dispose();
      await server.close();
    },
  };
}

/** Waits until `condition` holds, checking every 25 ms; fails after `timeoutMs` with `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
