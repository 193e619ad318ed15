import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelay } from '../src-main/ingest/sftp-poller';
import { SftpTestServer } from './helpers/sftp-server';
import { asteriskLines, FAST_POLLING, SFTP_PASSWORD, SFTP_USER, startSftpPollFixture, waitFor, type SftpPollFixture } from './helpers/sftp-poll';

let f: SftpPollFixture;
beforeAll(async () => {
  f = await startSftpPollFixture();
});
afterAll(() => f.dispose());

async function deviceStatus(id: number) {
  return (await f.t.call('devices.status', {}, f.token)).devices.find((d) => d.deviceId === id)!;
}

/** A second SFTP server of its own, for a test that stops or stalls it. */
async function ownServer() {
  return SftpTestServer.start({ users: [{ username: SFTP_USER, password: SFTP_PASSWORD }] });
}

describe('SFTP poller failures', () => {
  it('waits exponentially longer after each failure, up to a cap', () => {
    const o = { retryBaseMs: 5000, retryMaxMs: 15 * 60_000 };
    expect([0, 1, 2, 3, 4, 8, 9, 50].map((n) => retryDelay(n, 60_000, o))).toEqual([60_000, 5000, 10_000, 20_000, 40_000, 640_000, 900_000, 900_000]);
  });

  it('reports a refused login in the status, retries with backoff, and recovers once the password is fixed', async () => {
    f.server.writeFile('/auth/a.csv', asteriskLines(0, 2));
    const id = await f.createDevice('Wrong password', { folder: '/auth', password: 'not-the-password' });
    const refusedBefore = f.server.refusedLogins;
    const summary = await f.poll(id);
    expect(summary.ok).toBe(false);
    expect(summary.error).toBe(`127.0.0.1:${f.server.port} refused the login of "cdr" (wrong user name, password or key)`);

    // The poller retries by itself, waiting longer each time.
    await waitFor(() => f.server.refusedLogins >= refusedBefore + 3, 'three refused logins');
    const status = await deviceStatus(id);
    expect(status.lastPoll).toMatchObject({ ok: false, error: expect.stringMatching(/refused the login of "cdr"/) });
    expect(status.errors[0]?.message).toMatch(/^sftp:\/\/127\.0\.0\.1:\d+: 127\.0\.0\.1:\d+ refused the login/);
    const sftp = status.sftp!;
    expect(sftp.state === 'retrying' || sftp.state === 'polling').toBe(true);
    expect(sftp.consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(sftp.lastError).toMatch(/refused the login/);
    if (sftp.state === 'retrying') {
      const waited = Date.parse(sftp.nextPollAt!) - Date.parse(sftp.lastPollAt!);
      expect(waited).toBeGreaterThanOrEqual(retryDelay(sftp.consecutiveFailures, 3600_000, { retryBaseMs: FAST_POLLING.retryBaseMs!, retryMaxMs: FAST_POLLING.retryMaxMs! }));
    }
    expect(f.cdrCount(id)).toBe(0);

    // Fixing the password restarts the device's poller with the new settings; no engine restart.
    await f.t.call('devices.update', { id, sftp: { host: f.server.host, port: f.server.port, username: SFTP_USER, password: SFTP_PASSWORD, folder: '/auth', intervalSeconds: 3600 } }, f.token);
    await waitFor(() => f.cdrCount(id) === 2, 'the files read with the right password');
    await f.poll(id);
    expect((await deviceStatus(id)).sftp).toMatchObject({ state: 'idle', consecutiveFailures: 0, lastError: null });
  });

  it('says so while the server is down and reads the files once it is back', async () => {
    const server = await ownServer();
    try {
      server.writeFile('/cdr/a.csv', asteriskLines(10, 3));
      const id = await f.createDevice('Down then up', { host: server.host, port: server.port });
      await waitFor(() => f.cdrCount(id) === 3, 'the first poll');
      server.writeFile('/cdr/b.csv', asteriskLines(13, 2));
      await server.stop();
      const down = await f.poll(id);
      expect(down).toMatchObject({ ok: false, error: `127.0.0.1:${server.port} refused the connection (no SSH server on that port)` });
      expect(f.cdrCount(id)).toBe(3);
      await server.listen();
      // The retry (with backoff) finds the server again without anyone asking.
      await waitFor(() => f.cdrCount(id) === 5, 'the files read after the server came back');
    } finally {
      await server.close();
    }
  });

  it('keeps polling other devices while one server is stuck', async () => {
    const stuck = await ownServer();
    // A long time limit: device A stays stuck for the whole test, however busy the machine is.
    const own = await startSftpPollFixture({ timeouts: { connectMs: 60_000, operationMs: 60_000 } });
    try {
      stuck.writeFile('/cdr/a.csv', asteriskLines(20, 1));
      const a = await own.createDevice('Stuck server', { host: stuck.host, port: stuck.port });
      await waitFor(() => own.cdrCount(a) === 1, 'the stuck device’s first poll');
      stuck.stalled = true;
      const stuckPoll = own.poll(a);
      await waitFor(() => stuck.logins >= 2, 'the stuck device’s next login');

      own.server.writeFile('/other/b.csv', asteriskLines(30, 2));
      const b = await own.createDevice('Healthy server', { folder: '/other' });
      const healthy = await own.poll(b);
      expect(healthy.ok).toBe(true);
      expect(own.cdrCount(b)).toBe(2);
      const statusOfA = (await own.t.call('devices.status', {}, own.token)).devices.find((d) => d.deviceId === a);
      expect(statusOfA?.sftp?.state).toBe('polling');

      // The stuck server goes away: A's poll ends with the reason.
      await stuck.stop();
      expect((await stuckPoll).ok).toBe(false);
    } finally {
      await own.dispose();
      await stuck.close();
    }
  });

  it('fails a poll after the time limit when the server stops answering, naming what it was doing', async () => {
    const stuck = await ownServer();
    try {
      const id = await f.createDevice('Stops answering', { host: stuck.host, port: stuck.port });
      await waitFor(() => Boolean(f.t.services.sftpPollers.statusOf(id)?.lastPollAt), 'the first poll to end');
      stuck.stalled = true;
      const failed = await f.poll(id);
      expect(failed.ok).toBe(false);
      expect(failed.error).toBe(`127.0.0.1:${stuck.port} did not answer within ${FAST_POLLING.timeouts!.operationMs / 1000} s while listing folder /cdr`);
    } finally {
      await stuck.close();
    }
  });

  it('reads everything from a slow server while another device is polled in between', async () => {
    const slow = await ownServer();
    try {
      slow.writeFile('/cdr/a.csv', asteriskLines(50, 20));
      slow.responseDelayMs = 150;
      const a = await f.createDevice('Slow server', { host: slow.host, port: slow.port });
      await waitFor(() => slow.logins > 0, 'the slow device’s first poll to log in');
      f.server.writeFile('/beside-slow/b.csv', asteriskLines(70, 2));
      const b = await f.createDevice('Beside the slow one', { folder: '/beside-slow' });
      expect((await f.poll(b)).ok).toBe(true);
      expect(f.cdrCount(b)).toBe(2);
      await waitFor(() => f.cdrCount(a) === 20, 'all records from the slow server', 60_000);
      expect(f.rejectCount(a)).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('stops cleanly while a poll waits on a stuck server', async () => {
    const stuck = await ownServer();
    const own = await startSftpPollFixture({ timeouts: { connectMs: 60_000, operationMs: 60_000 } });
    try {
      stuck.writeFile('/cdr/a.csv', asteriskLines(80, 1));
      stuck.stalled = true;
      const id = await own.createDevice('Stuck at shutdown', { host: stuck.host, port: stuck.port });
      await waitFor(() => stuck.logins >= 1, 'the poll to log in');
      const status = await own.t.call('devices.status', {}, own.token);
      expect(status.devices.find((d) => d.deviceId === id)?.sftp?.state).toBe('polling');
      // The engine does not wait for the server's 60 s time limit: the connection is dropped and the poller ends.
      await own.t.services.sftpPollers.stop();
      expect(own.t.services.sftpPollers.statusOf(id)).toBeNull();
    } finally {
      await own.dispose();
      await stuck.close();
    }
  });

  it('stops the poller of a device that is disabled or deleted, without restarting the engine', async () => {
    f.server.writeFile('/gone/a.csv', asteriskLines(40, 1));
    const id = await f.createDevice('Disabled later', { folder: '/gone' });
    await waitFor(() => f.cdrCount(id) === 1, 'the first poll');
    await f.t.call('devices.update', { id, enabled: false }, f.token);
    expect((await deviceStatus(id)).sftp).toBeNull();
    await expect(f.poll(id)).rejects.toMatchObject({ code: 'conflict', message: 'Device "Disabled later" is disabled: there is nothing to poll.' });
    await f.t.call('devices.update', { id, enabled: true }, f.token);
    f.server.writeFile('/gone/b.csv', asteriskLines(41, 1));
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(2);

    const empty = await f.createDevice('Deleted later', { folder: '/nothing-here' });
    await f.t.call('devices.delete', { id: empty }, f.token);
    expect((await f.t.call('devices.status', {}, f.token)).devices.some((d) => d.deviceId === empty)).toBe(false);
  });
});
