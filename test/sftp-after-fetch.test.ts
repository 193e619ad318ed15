import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asteriskLines, startSftpPollFixture, type SftpPollFixture } from './helpers/sftp-poll';

let f: SftpPollFixture;
beforeAll(async () => {
  f = await startSftpPollFixture();
});
afterAll(() => f.dispose());

const exists = (sftpPath: string) => fs.existsSync(f.server.localPath(sftpPath));

describe('SFTP after-fetch actions', () => {
  it('deletes a file only after its records are committed; a failed commit leaves it on the server', async () => {
    f.server.writeFile('/del/a.csv', asteriskLines(0, 3));
    f.server.writeFile('/del/b.csv', asteriskLines(3, 2));
    // While the store fails, nothing is committed, so nothing may be deleted.
    let failing = true;
    const seenOnServer: boolean[] = [];
    const removeProcessor = f.t.services.cdrStore.addProcessor(() => {
      seenOnServer.push(exists('/del/a.csv') || exists('/del/b.csv'));
      if (failing) throw new Error('the disk is full (test)');
    });
    try {
      const id = await f.createDevice('Deleting', { folder: '/del', afterFetch: 'delete' });
      const failed = await f.poll(id);
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatch(/disk is full/);
      expect(f.cdrCount(id)).toBe(0);
      expect(exists('/del/a.csv') && exists('/del/b.csv')).toBe(true);
      expect(f.progress(id, '/del/a.csv')).toBeUndefined();

      failing = false;
      const summary = await f.poll(id);
      expect(summary.ok).toBe(true);
      expect(f.cdrCount(id)).toBe(5);
      expect(summary.actions).toEqual([
        { path: '/del/a.csv', outcome: 'deleted' },
        { path: '/del/b.csv', outcome: 'deleted' },
      ]);
      expect(exists('/del/a.csv') || exists('/del/b.csv')).toBe(false);
      expect(f.progress(id, '/del/a.csv')).toMatchObject({ status: 'deleted', records: 3 });
      // Whenever records were being stored, the file was still there.
      expect(seenOnServer.length).toBeGreaterThan(0);
      expect(seenOnServer.every(Boolean)).toBe(true);
    } finally {
      removeProcessor();
    }
  });

  it('does not delete a file whose last line is still being written', async () => {
    const complete = asteriskLines(10, 2);
    f.server.writeFile('/del-cut/Master.csv', complete + asteriskLines(12, 1).slice(0, 30));
    const id = await f.createDevice('Deleting, cut line', { folder: '/del-cut', afterFetch: 'delete' });
    const summary = await f.poll(id);
    expect(f.cdrCount(id)).toBe(2);
    expect(summary.actions).toEqual([]);
    expect(exists('/del-cut/Master.csv')).toBe(true);
    f.server.appendFile('/del-cut/Master.csv', `${asteriskLines(12, 1).slice(30)}`);
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(3);
    expect(exists('/del-cut/Master.csv')).toBe(false);
  });

  it('moves fetched files to the target folder, never over a file already there', async () => {
    fs.mkdirSync(f.server.localPath('/done'), { recursive: true });
    f.server.writeFile('/move/a.csv', asteriskLines(20, 2));
    const id = await f.createDevice('Moving', { folder: '/move', afterFetch: 'move', moveTo: '/done' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(2);
    expect(exists('/move/a.csv')).toBe(false);
    expect(fs.readFileSync(f.server.localPath('/done/a.csv'), 'utf8')).toBe(asteriskLines(20, 2));
    expect(f.progress(id, '/move/a.csv')).toMatchObject({ status: 'moved' });

    // The PBX writes a new file by the same name: read, then moved beside the first one.
    f.server.writeFile('/move/a.csv', asteriskLines(22, 1));
    const summary = await f.poll(id);
    expect(f.cdrCount(id)).toBe(3);
    expect(summary.actions).toHaveLength(1);
    expect(summary.actions[0]).toMatchObject({ path: '/move/a.csv', outcome: 'moved', detail: expect.stringMatching(/^\/done\/a\.csv\.\d{8}T\d{6}Z$/) });
    expect(fs.readdirSync(f.server.localPath('/done'))).toHaveLength(2);
    expect(fs.readFileSync(f.server.localPath('/done/a.csv'), 'utf8')).toBe(asteriskLines(20, 2));
  });

  it('reports a missing move target, keeps the file, and moves it once the folder exists', async () => {
    f.server.writeFile('/move2/a.csv', asteriskLines(30, 2));
    const id = await f.createDevice('Moving nowhere', { folder: '/move2', afterFetch: 'move', moveTo: '/archive' });
    const summary = await f.poll(id);
    expect(f.cdrCount(id)).toBe(2);
    expect(summary.actions).toEqual([
      { path: '/move2/a.csv', outcome: 'failed', detail: 'cannot move /move2/a.csv: the target folder /archive does not exist' },
    ]);
    expect(exists('/move2/a.csv')).toBe(true);
    expect(f.progress(id, '/move2/a.csv')).toMatchObject({ status: 'done', error: expect.stringMatching(/archive does not exist/) });
    const status = (await f.t.call('devices.status', {}, f.token)).devices.find((d) => d.deviceId === id)!;
    expect(status.errors[0]?.message).toMatch(/move after fetch failed: cannot move \/move2\/a\.csv/);

    fs.mkdirSync(f.server.localPath('/archive'));
    const retried = await f.poll(id);
    expect(retried.read).toEqual([]);
    expect(retried.actions).toEqual([{ path: '/move2/a.csv', outcome: 'moved', detail: '/archive/a.csv' }]);
    expect(f.cdrCount(id)).toBe(2);
    expect(f.progress(id, '/move2/a.csv')).toMatchObject({ status: 'moved', error: null });
  });
});
