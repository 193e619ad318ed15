import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestEngine, tempDir } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { asteriskLines, FAST_POLLING, SFTP_PASSWORD, SFTP_USER, waitFor } from './helpers/sftp-poll';
import { SftpTestServer } from './helpers/sftp-server';

const RECORDS = 40_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('SFTP poller crash', () => {
  it('stores every record of a file exactly once when the polling process is killed mid-file and restarted', async () => {
    const server = await SftpTestServer.start({ users: [{ username: SFTP_USER, password: SFTP_PASSWORD }] });
    cleanups.push(() => server.close());
    const content = asteriskLines(0, RECORDS);
    server.writeFile('/cdr/Master.csv', content);
    const dataDir = tempDir();
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    // The device is set up through the API, disabled, then enabled for the process that will be killed.
    const setup = await startTestEngine({ dataDir, http: false });
    const token = await setup.loginAs('clerk');
    const device = await setup.call(
      'devices.create',
      beijingDevice({
        name: 'Crashing poller',
        enabled: false,
        sftp: { host: server.host, port: server.port, username: SFTP_USER, password: SFTP_PASSWORD, folder: '/cdr', pattern: 'Master*.csv', intervalSeconds: 5 },
      }),
      token,
    );
    setup.services.db.prepare('UPDATE devices SET enabled = 1 WHERE id = ?').run(device.id);
    await setup.stop();

    // A slow server keeps the read going long enough to be cut in the middle.
    server.responseDelayMs = 3;
    const child = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', dataDir, '--http-port', '0'], {
      env: { ...process.env, BILLING_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const db = new Database(path.join(dataDir, 'billing.db'), { readonly: true, fileMustExist: true });
    const count = () => db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(device.id) as number;
    try {
      await waitFor(() => count() > 0, 'the first records from the child process', 60_000);
      child.kill('SIGKILL');
      await exited;
      const stored = count();
      const row = db.prepare('SELECT * FROM ingest_sources WHERE device_id = ?').get(device.id) as { status: string; offset: number; line: number };
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(RECORDS);
      // The file's progress was committed with exactly the records stored: no more, no less.
      expect(row).toMatchObject({ status: 'reading', line: stored, offset: Buffer.byteLength(asteriskLines(0, stored)) });
    } finally {
      db.close();
    }

    server.responseDelayMs = 0;
    const restarted = await startTestEngine({ dataDir, http: false, sftpPolling: FAST_POLLING });
    cleanups.push(() => restarted.stop());
    const rdb = restarted.services.db;
    await waitFor(
      () => (rdb.prepare('SELECT status FROM ingest_sources WHERE device_id = ?').pluck().get(device.id) as string) === 'done',
      'the file read to its end after the restart',
      60_000,
    );
    expect(rdb.prepare('SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM cdrs WHERE device_id = ?').raw().get(device.id)).toEqual([RECORDS, RECORDS]);
    // Read on from where the killed process stopped: not a single record was read twice.
    expect(rdb.prepare('SELECT SUM(received), SUM(duplicates), SUM(rejected) FROM ingest_daily WHERE device_id = ?').raw().get(device.id)).toEqual([RECORDS, 0, 0]);
    expect(rdb.prepare('SELECT offset, line, sha256 FROM ingest_sources WHERE device_id = ?').get(device.id)).toEqual({
      offset: content.length,
      line: RECORDS,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  }, 240_000); // a child process, 40,000 records and a restart: minutes on a busy 2-core machine
});
