import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asteriskLines, SFTP_PASSWORD, SFTP_USER, startSftpPollFixture, waitFor, type SftpPollFixture } from './helpers/sftp-poll';
import { SftpTestServer } from './helpers/sftp-server';

let f: SftpPollFixture;
beforeAll(async () => {
  f = await startSftpPollFixture();
  f.server.writeFile('/cdr/Master.csv', asteriskLines(0, 2));
  f.server.writeFile('/cdr/_cdr_in_progress', '');
  f.server.writeFile('/cdr/readme.txt', 'hello\n');
});
afterAll(() => f.dispose());

const settings = (over: Record<string, unknown> = {}) => ({
  host: f.server.host,
  port: f.server.port,
  username: SFTP_USER,
  password: SFTP_PASSWORD,
  folder: '/cdr',
  pattern: 'Master*.csv',
  ...over,
});

describe('devices.testSftp', () => {
  it('lists the folder of unsaved settings and says which files the pattern takes', async () => {
    const result = await f.t.call('devices.testSftp', { sftp: settings(), format: 'cucm' }, f.token);
    expect(result).toMatchObject({
      ok: true,
      folder: '/cdr',
      totalFiles: 3,
      matchingFiles: 1,
      otherEntries: 0,
      message: `Logged in to 127.0.0.1:${f.server.port} as "cdr": /cdr holds 3 file(s), 1 matching Master*.csv.`,
    });
    expect(result.files.map((x) => [x.name, x.matches, x.inProgress])).toEqual([
      ['Master.csv', true, false],
      ['_cdr_in_progress', false, true],
      ['readme.txt', false, false],
    ]);
  });

  it('says exactly what failed: login refused, folder missing, move target missing, host unreachable', async () => {
    expect(await f.t.call('devices.testSftp', { sftp: settings({ password: 'wrong' }) }, f.token)).toMatchObject({
      ok: false,
      failedAt: 'login',
      problem: 'auth',
      message: `127.0.0.1:${f.server.port} refused the login of "cdr" (wrong user name, password or key)`,
    });
    expect(await f.t.call('devices.testSftp', { sftp: settings({ folder: '/nowhere' }) }, f.token)).toMatchObject({
      ok: false,
      failedAt: 'folder',
      problem: 'folder',
      message: `Logged in to 127.0.0.1:${f.server.port}, but the folder /nowhere does not exist there (or is not a folder).`,
    });
    expect(await f.t.call('devices.testSftp', { sftp: settings({ afterFetch: 'move', moveTo: '/archive' }) }, f.token)).toMatchObject({
      ok: false,
      failedAt: 'moveTo',
      message: expect.stringMatching(/the folder \/archive to move fetched files to does not exist/),
    });
    expect(await f.t.call('devices.testSftp', { sftp: settings({ password: '' }) }, f.token)).toMatchObject({
      ok: false,
      failedAt: 'login',
      problem: 'credentials',
      message: 'no password or private key is stored for this device',
    });
    const closed = await SftpTestServer.start({ users: [] });
    const port = closed.port;
    await closed.close();
    expect(await f.t.call('devices.testSftp', { sftp: settings({ port }) }, f.token)).toMatchObject({
      ok: false,
      failedAt: 'connect',
      problem: 'unreachable',
      message: `127.0.0.1:${port} refused the connection (no SSH server on that port)`,
    });
  });

  it('tests a saved device, and unsaved edits of it with its stored password', async () => {
    const id = await f.createDevice('Saved for testing', { folder: '/cdr', pattern: 'Master*.csv' });
    expect(await f.t.call('devices.testSftp', { id }, f.token)).toMatchObject({ ok: true, matchingFiles: 1 });
    const edited = settings({ pattern: '*', password: undefined });
    expect(await f.t.call('devices.testSftp', { id, sftp: edited }, f.token)).toMatchObject({ ok: true, matchingFiles: 3 });
    const plain = await f.createDevice('No SFTP', {}, { sftp: null });
    await expect(f.t.call('devices.testSftp', { id: plain }, f.token)).rejects.toMatchObject({ code: 'invalid_input' });
    const auditor = await f.t.loginAs('auditor');
    await expect(f.t.call('devices.testSftp', { id }, auditor)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('a stored SFTP secret', () => {
  let id: number;
  // Another SSH server (as an attacker would run) that would accept the stored password if it were sent.
  let other: SftpTestServer;
  const refused = { code: 'invalid_input', details: { fields: { 'sftp.password': [expect.stringMatching(/entered again/)] } } };
  const loginsAt = (server: SftpTestServer) => server.logins + server.refusedLogins;
  beforeAll(async () => {
    id = await f.createDevice('Guarded secret', { folder: '/cdr', pattern: 'Master*.csv' });
    // The first poll pins the server's host key and is over before the tests count logins.
    await waitFor(() => Boolean(f.t.services.devices.get(id).sftp?.hostKey) && f.cdrCount(id) === 2, 'the first poll');
    other = await SftpTestServer.start({ users: [{ username: SFTP_USER, password: SFTP_PASSWORD }] });
  });
  afterAll(async () => {
    await f.t.call('devices.update', { id, enabled: false }, f.token);
    await other.close();
  });

  it('is not sent to another host by devices.testSftp: refused, and the other server sees no login', async () => {
    for (const over of [{ host: 'localhost', port: other.port }, { host: '127.0.0.2' }]) {
      await expect(f.t.call('devices.testSftp', { id, sftp: settings({ password: undefined, ...over }) }, f.token)).rejects.toMatchObject(refused);
    }
    expect(loginsAt(other)).toBe(0);
  });

  it('is not sent to another port or user name by devices.testSftp either', async () => {
    const saved = loginsAt(f.server);
    await expect(f.t.call('devices.testSftp', { id, sftp: settings({ password: undefined, port: other.port }) }, f.token)).rejects.toMatchObject(refused);
    await expect(f.t.call('devices.testSftp', { id, sftp: settings({ password: undefined, username: 'someone' }) }, f.token)).rejects.toMatchObject(refused);
    expect(loginsAt(other)).toBe(0);
    expect(loginsAt(f.server)).toBe(saved);
  });

  it('needs the password again when the pinned host key is forgotten or replaced', async () => {
    const otherKey = `SHA256:${'A'.repeat(43)}`;
    for (const hostKey of [null, otherKey]) {
      const sftp = settings({ password: undefined, hostKey });
      await expect(f.t.call('devices.testSftp', { id, sftp }, f.token)).rejects.toMatchObject(refused);
      await expect(f.t.call('devices.update', { id, sftp }, f.token)).rejects.toMatchObject(refused);
    }
    expect(f.t.services.devices.get(id).sftp).toMatchObject({ hostKey: f.server.hostKeyFingerprint, hasPassword: true });
  });

  it('is still used for the saved server, port and user: testing unchanged or edited settings, saving another folder', async () => {
    expect(await f.t.call('devices.testSftp', { id }, f.token)).toMatchObject({ ok: true, matchingFiles: 1 });
    expect(await f.t.call('devices.testSftp', { id, sftp: settings({ password: undefined, pattern: '*' }) }, f.token)).toMatchObject({ ok: true, matchingFiles: 3 });
    const edited = await f.t.call('devices.update', { id, sftp: settings({ password: undefined, folder: '/cdr/' }) }, f.token);
    expect(edited.sftp).toMatchObject({ folder: '/cdr/', hasPassword: true, hostKey: f.server.hostKeyFingerprint });
  });

  it('is recorded in the operation log when tested: who, which device and which server, never the secret', async () => {
    expect(await f.t.call('devices.testSftp', { id, sftp: settings({ port: other.port, folder: '/' }) }, f.token)).toMatchObject({ ok: true });
    expect(other.logins).toBe(1);
    const log = f.t.services.db
      .prepare("SELECT username, target, summary FROM operation_log WHERE method = 'devices.testSftp' ORDER BY id DESC LIMIT 1")
      .get() as { username: string; target: string; summary: string };
    expect(log).toMatchObject({ username: expect.stringMatching(/^clerk/), target: `device:${id}` });
    expect(JSON.parse(log.summary)).toMatchObject({ host: '127.0.0.1', port: other.port, username: SFTP_USER });
    expect(log.summary).not.toContain(SFTP_PASSWORD);
  });

  it('devices.update to another host, port or user without the password is refused and changes nothing', async () => {
    const before = await f.t.call('devices.get', { id }, f.token);
    for (const over of [{ host: 'localhost' }, { port: other.port }, { username: 'someone' }]) {
      await expect(f.t.call('devices.update', { id, sftp: settings({ password: undefined, ...over }) }, f.token)).rejects.toMatchObject(refused);
    }
    expect(await f.t.call('devices.get', { id }, f.token)).toEqual(before);
    // Given again, or removed on purpose (""), it is saved.
    const moved = await f.t.call('devices.update', { id, sftp: settings({ port: other.port, folder: '/' }) }, f.token);
    expect(moved.sftp).toMatchObject({ port: other.port, hasPassword: true });
    const emptied = await f.t.call('devices.update', { id, sftp: settings({ port: f.server.port, password: '' }) }, f.token);
    expect(emptied.sftp).toMatchObject({ port: f.server.port, hasPassword: false });
  });
});

describe('devices.status and deleting a device', () => {
  it('shows each device with its poller and today’s counts, readable by auditors', async () => {
    const id = await f.createDevice('With status', { folder: '/cdr', pattern: 'Master*.csv' });
    await waitFor(() => f.cdrCount(id) === 2, 'the first poll');
    await f.poll(id);
    const auditor = await f.t.loginAs('auditor');
    const status = await f.t.call('devices.status', {}, auditor);
    const mine = status.devices.find((d) => d.deviceId === id)!;
    expect(mine).toMatchObject({
      name: 'With status',
      lastPoll: { ok: true },
      today: { received: 2, stored: 2, duplicates: 0, rejected: 0 },
      sftp: { state: 'idle', consecutiveFailures: 0, lastError: null, waiting: [] },
    });
    expect(mine.lastCdrAt).not.toBeNull();
    expect(status.devices.find((d) => d.name === 'No SFTP')?.sftp).toBeNull();
  });

  it('refuses to delete a device that has CDRs, saying why', async () => {
    const id = await f.createDevice('Has CDRs', { folder: '/cdr', pattern: 'Master*.csv' });
    await waitFor(() => f.cdrCount(id) === 2, 'the first poll');
    await expect(f.t.call('devices.delete', { id }, f.token)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Device "Has CDRs" has 2 CDR(s) and 0 rejected record(s) and cannot be deleted; disable it instead.',
    });
    expect((await f.t.call('devices.get', { id }, f.token)).name).toBe('Has CDRs');
  });

  it('refuses to move fetched files into the folder being polled', async () => {
    await expect(f.createDevice('Loop', { folder: '/cdr', afterFetch: 'move', moveTo: '/cdr/' })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { fields: { 'sftp.moveTo': ['must be another folder than the one polled (moved files would be read again)'] } },
    });
  });
});
