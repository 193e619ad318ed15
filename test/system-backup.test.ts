import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../src-shared/api';
import { ApiError } from '../src-shared/api/errors';
import type { Sqlite } from '../src-main/db/connection';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  // Some volume, so the backup takes many steps and the writer below runs between them.
  const insert = t.services.db.prepare(
    "INSERT INTO operation_log (at, username, method, target, summary, address) VALUES (?, 'seed', 'seed.rows', ?, ?, '127.0.0.1')",
  );
  t.services.db.transaction(() => {
    for (let i = 0; i < 20_000; i++) insert.run(i, `row:${i}`, JSON.stringify({ filler: 'x'.repeat(200), i }));
  })();
});
afterAll(() => t.dispose());

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * What must hold in any backup, however busy the engine was while it was taken. Each write of the writer below adds
 * one operation-log row and one login-log row in one transaction, so a consistent copy has as many of each.
 * When the ledger exists, its check (every balance equals the sum of its ledger entries) belongs in this list too.
 */
const consistencyChecks: { name: string; check(db: Sqlite): void }[] = [
  {
    name: 'writer rows come in pairs',
    check: (db) => {
      const ops = db.prepare("SELECT COUNT(*) FROM operation_log WHERE method = 'writer.tick'").pluck().get();
      const logins = db.prepare("SELECT COUNT(*) FROM login_log WHERE reason = 'writer.tick'").pluck().get();
      expect(ops).toBe(logins);
    },
  },
];

describe('system.backup', () => {
  it('takes a consistent backup while the engine keeps writing, which passes integrity_check', async () => {
    const db = t.services.db;
    const op = db.prepare("INSERT INTO operation_log (at, username, method, target, address) VALUES (?, 'writer', 'writer.tick', ?, 'x')");
    const login = db.prepare("INSERT INTO login_log (at, username, ok, reason, address) VALUES (?, 'writer', 1, 'writer.tick', 'x')");
    const tick = db.transaction((i: number) => {
      op.run(Date.now(), `tick:${i}`);
      login.run(Date.now());
    });
    // The writer uses the engine's own connection, as ingestion does: SQLite then carries its writes into the backup
    // being taken instead of restarting it.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        tick(written++);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const countBefore = written;
    let file;
    try {
      file = await t.call('system.backup', {}, admin);
    } finally {
      writing = false;
      await writer;
    }
    const countAfter = written;
    expect(countAfter - countBefore).toBeGreaterThan(10); // the writer really ran during the backup

    const folder = t.services.backups.folder;
    const full = path.join(folder, file.fileName);
    expect(file.fileName).toMatch(/^billing-\d{8}T\d{6}Z\.db$/);
    expect(file.kind).toBe('manual');
    expect(file.createdBy).toBe('admin');
    expect(file.sizeBytes).toBe(fs.statSync(full).size);
    expect(file.sha256).toBe(sha256(full));
    expect(fs.readFileSync(`${full}.sha256`, 'utf8')).toBe(`${file.sha256}  ${file.fileName}\n`);

    const copy = new Database(full, { readonly: true });
    try {
      expect(copy.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      for (const c of consistencyChecks) c.check(copy);
      const ticks = copy.prepare("SELECT COUNT(*) FROM operation_log WHERE method = 'writer.tick'").pluck().get() as number;
      expect(ticks).toBeGreaterThanOrEqual(countBefore);
      expect(ticks).toBeLessThanOrEqual(countAfter);
      expect(copy.prepare("SELECT COUNT(*) FROM operation_log WHERE method = 'seed.rows'").pluck().get()).toBe(20_000);
    } finally {
      copy.close();
    }
    // The key that opens sealed secrets is kept beside the backups (see backup-files.ts).
    const manifest = JSON.parse(fs.readFileSync(full.replace(/\.db$/, '.json'), 'utf8')) as { secretKeyFingerprint: string };
    expect(fs.existsSync(path.join(folder, `secret-${manifest.secretKeyFingerprint}.key`))).toBe(true);
  });

  it('lists backups newest first with size, time, checksum and kind', async () => {
    const second = await t.call('system.backup', {}, admin);
    const list = await t.call('system.backups', {}, admin);
    expect(list.folder).toBe(path.join(t.dataDir, 'backups'));
    expect(list.backups.length).toBe(2);
    expect(list.backups[0]).toMatchObject({ fileName: second.fileName, kind: 'manual', sha256: second.sha256, sizeBytes: second.sizeBytes });
    expect(Date.parse(list.backups[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(list.backups[1]!.createdAt));
    expect(list.schedule).toMatchObject({ schedule: 'daily', keep: 7 });
    expect(list.schedule.nextRunAt).toBeDefined();
    const logged = t.services.db.prepare("SELECT target FROM operation_log WHERE method = 'system.backup' ORDER BY id").pluck().all();
    expect(logged).toContain(`backup:${second.fileName}`);
  });

  it('refuses a second backup while one runs', async () => {
    const first = t.call('system.backup', {}, admin);
    await expect(t.call('system.backup', {}, admin)).rejects.toMatchObject({ code: 'conflict' });
    await first;
  });

  it('writes to the configured folder, and reports a folder it cannot use', async () => {
    const other = path.join(t.dataDir, 'elsewhere');
    await t.call('settings.update', { backup: { folder: other } }, admin);
    const file = await t.call('system.backup', {}, admin);
    expect(fs.existsSync(path.join(other, file.fileName))).toBe(true);
    expect((await t.call('system.backups', {}, admin)).folder).toBe(other);
    await t.call('settings.update', { backup: { folder: null } }, admin);

    const blocker = path.join(t.dataDir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const err = (await t.call('settings.update', { backup: { folder: path.join(blocker, 'sub') } }, admin).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('invalid_input');
    expect((err.details as { fields: Record<string, string[]> }).fields['backup.folder']![0]).toMatch(/^cannot be written \(ENOTDIR\)/);
  });

  it('runs scheduled backups at their time and keeps only the newest ones', async () => {
    const DAY = 86_400_000;
    // Put the engine's clock 2 s before a slot: the schedule fires for real, without waiting for 02:00.
    const slot = Math.ceil((t.services.now() + 5 * 60_000) / 60_000) * 60_000;
    t.advance(slot - 2000 - t.services.now());
    const hhmm = new Date(slot).toISOString().slice(11, 16);
    const done = () =>
      new Promise<string>((resolve) => {
        const off = t.services.events.subscribe((m) => {
          if (m.event !== 'system.backup') return;
          const data = m.data as EventMap['system.backup'];
          if (data.state === 'done' && data.kind === 'scheduled') {
            off();
            resolve(data.fileName);
          }
        });
      });
    const firstDone = done();
    await t.call('settings.update', { backup: { schedule: 'daily', timeOfDay: hhmm, timeZone: 'UTC', keep: 1 } }, admin);
    expect(t.services.backups.nextScheduledAt).toBe(slot);
    const first = await firstDone;
    await new Promise((resolve) => setTimeout(resolve, 50)); // pruning and the log row follow the done event

    // The next day, 2 s before the slot again (a settings change re-arms the timer on the new clock).
    t.advance(slot + DAY - 2000 - t.services.now());
    admin = (await t.login()).token; // a day later the session has expired
    const secondDone = done();
    await t.call('settings.update', { backup: { weekday: 3 } }, admin);
    const second = await secondDone;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const scheduled = (await t.call('system.backups', {}, admin)).backups.filter((b) => b.kind === 'scheduled');
    expect(scheduled.map((b) => b.fileName)).toEqual([second]);
    expect(fs.existsSync(path.join(t.services.backups.folder, first))).toBe(false);
    const rows = t.services.db
      .prepare("SELECT username, target, summary FROM operation_log WHERE method = 'system.backup' AND username = '(scheduled)' ORDER BY id")
      .all() as { username: string; target: string; summary: string }[];
    expect(rows.map((r) => r.target)).toEqual([`backup:${first}`, `backup:${second}`]);
    expect(JSON.parse(rows[1]!.summary).deleted).toEqual([first]);
    expect((await t.call('system.backups', {}, admin)).backups.filter((b) => b.kind === 'manual').length).toBe(3);
    await t.call('settings.update', { backup: { schedule: 'off' } }, admin);
    expect(t.services.backups.nextScheduledAt).toBeUndefined();
  });
});
