import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asteriskLines, SFTP_PASSWORD, SFTP_USER, startSftpPollFixture, waitFor, type SftpPollFixture } from './helpers/sftp-poll';
import { generateHostKey, SftpTestServer } from './helpers/sftp-server';

let f: SftpPollFixture;
beforeAll(async () => {
  f = await startSftpPollFixture();
});
afterAll(() => f.dispose());

const users = [{ username: SFTP_USER, password: SFTP_PASSWORD }];

describe('SFTP host keys', () => {
  it('stores the host key at the first connection and refuses another server on that address without sending the password', async () => {
    let server = await SftpTestServer.start({ users });
    const port = server.port;
    try {
      server.writeFile('/cdr/a.csv', asteriskLines(0, 2));
      const id = await f.createDevice('Pinned', { host: server.host, port });
      await waitFor(() => f.cdrCount(id) === 2, 'the first poll');
      expect((await f.t.call('devices.get', { id }, f.token)).sftp?.hostKey).toBe(server.hostKeyFingerprint);

      // Another machine answers on the same address (reinstalled PBX, or someone in between).
      const trusted = server.hostKeyFingerprint;
      await server.close();
      server = await SftpTestServer.start({ users, port, hostKey: generateHostKey() });
      server.writeFile('/cdr/b.csv', asteriskLines(2, 1));
      const refused = await f.poll(id);
      expect(refused.ok).toBe(false);
      expect(refused.error).toContain(`127.0.0.1:${port} presented the host key ${server.hostKeyFingerprint}, not the ${trusted} stored for this device`);
      expect(server.logins + server.refusedLogins).toBe(0);
      expect(f.cdrCount(id)).toBe(2);
      expect(await f.t.call('devices.testSftp', { id }, f.token)).toMatchObject({ ok: false, failedAt: 'connect', problem: 'hostkey', hostKeyCheck: 'changed' });

      // The admin checks the new key and accepts it by forgetting the old one: the next connection stores the new one.
      const device = await f.t.call('devices.get', { id }, f.token);
      const { hasPassword: _p, hasPrivateKey: _k, ...sftp } = device.sftp!;
      // Forgetting the pinned key needs the password again: the stored one goes only to the server it was saved for.
      await expect(f.t.call('devices.testSftp', { id, sftp: { ...sftp, hostKey: null } }, f.token)).rejects.toMatchObject({ code: 'invalid_input' });
      expect(server.logins + server.refusedLogins).toBe(0);
      const tested = await f.t.call('devices.testSftp', { id, sftp: { ...sftp, hostKey: null, password: SFTP_PASSWORD } }, f.token);
      expect(tested).toMatchObject({ ok: true, hostKey: server.hostKeyFingerprint, hostKeyCheck: 'new' });
      await f.t.call('devices.update', { id, sftp: { ...sftp, hostKey: null, password: SFTP_PASSWORD } }, f.token);
      await waitFor(() => f.cdrCount(id) === 3, 'the files of the new server');
      expect((await f.t.call('devices.get', { id }, f.token)).sftp?.hostKey).toBe(server.hostKeyFingerprint);
    } finally {
      await server.close();
    }
  });

  it('keeps the stored key across other changes, drops it when the server changes, and takes one given explicitly', async () => {
    const id = await f.createDevice('Key rules', { folder: '/nothing' }, { enabled: false });
    const fingerprint = f.server.hostKeyFingerprint;
    const base = { host: f.server.host, port: f.server.port, username: SFTP_USER, folder: '/nothing' };
    const pinned = await f.t.call('devices.update', { id, sftp: { ...base, hostKey: fingerprint } }, f.token);
    expect(pinned.sftp?.hostKey).toBe(fingerprint);
    expect((await f.t.call('devices.update', { id, name: 'Key rules, renamed' }, f.token)).sftp?.hostKey).toBe(fingerprint);
    expect((await f.t.call('devices.update', { id, sftp: { ...base, pattern: '*.csv' } }, f.token)).sftp?.hostKey).toBe(fingerprint);
    expect((await f.t.call('devices.update', { id, sftp: { ...base, port: base.port + 1, password: SFTP_PASSWORD } }, f.token)).sftp?.hostKey).toBeNull();
    await expect(f.t.call('devices.update', { id, sftp: { ...base, hostKey: 'MD5:aa:bb' } }, f.token)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
