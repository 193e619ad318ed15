import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, MethodName, OutputOf } from '../src-shared/api';
import { ApiError } from '../src-shared/api/errors';
import { EngineHost } from '../src-main/engine-host';
import { ADMIN_PASSWORD, startTestEngine, tempDir } from './helpers/engine';

let dataDir: string;
let host: EngineHost;

beforeAll(async () => {
  dataDir = tempDir();
  host = await EngineHost.start({
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    adminPassword: ADMIN_PASSWORD,
    consoleLogLevel: 'silent',
    resourcesDir: path.resolve('resources'),
  });
});
afterAll(async () => {
  await host.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Calls the engine the host runs now, over HTTP, as a browser would. */
async function http<M extends MethodName>(method: M, input: InputOf<M>, token?: string): Promise<OutputOf<M>> {
  const res = await fetch(`${host.engine.http!.url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { error?: { code: never; message: string; details?: unknown } };
  if (body.error) throw new ApiError(body.error.code, body.error.message, body.error.details);
  return body as OutputOf<M>;
}

const login = async () => (await http('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).token;
const usernames = async (token: string) => (await http('systemAccounts.list', {}, token)).map((a) => a.username);

async function refused(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('system.restore', () => {
  it('keeps the current database aside, restarts on the backup and serves its data', async () => {
    let token = await login();
    await http('systemAccounts.create', { username: 'before1', password: 'Before-pass-1', role: 'clerk' }, token);
    const backup = await http('system.backup', {}, token);
    await http('systemAccounts.create', { username: 'after1', password: 'After-pass-1', role: 'clerk' }, token);

    const oldEngine = host.engine;
    const result = await http('system.restore', { fileName: backup.fileName, confirmFileName: backup.fileName, reason: 'undo test accounts' }, token);
    expect(result).toMatchObject({ restoring: backup.fileName, restarting: true, warnings: [] });
    expect(result.keptAs).toMatch(/^billing\.db\.before-restore-\d{8}T\d{6}Z$/);
    await host.settled();
    expect(host.engine).not.toBe(oldEngine);

    // Every session ended with the restore: the old token no longer works.
    expect((await refused(http('auth.me', {}, token))).code).toBe('unauthenticated');
    token = await login();
    const names = await usernames(token);
    expect(names).toContain('before1');
    expect(names).not.toContain('after1');

    // The database that was replaced is kept, whole.
    const kept = new Database(path.join(dataDir, result.keptAs), { readonly: true });
    try {
      expect(kept.prepare('SELECT username FROM system_accounts').pluck().all()).toContain('after1');
    } finally {
      kept.close();
    }
    // The restored database says who restored it and why.
    const log = await http('logs.operation', { method: 'system.restore', limit: 5 }, token);
    expect(log.rows[0]).toMatchObject({ username: 'admin', method: 'system.restore', target: `backup:${backup.fileName}` });
    expect(log.rows[0]!.summary).toMatchObject({ reason: 'undo test accounts', keptAs: result.keptAs });
  });

  it('asks for the file name again as confirmation', async () => {
    const token = await login();
    const backup = await http('system.backup', {}, token);
    const err = await refused(http('system.restore', { fileName: backup.fileName, confirmFileName: 'billing-other.db', reason: 'test' }, token));
    expect(err.code).toBe('invalid_input');
    expect((err.details as { fields: Record<string, string[]> }).fields.confirmFileName).toEqual([`must be exactly ${backup.fileName}`]);
  });

  describe('refuses a file that is not a sound backup of this version, and changes nothing', () => {
    let token: string;
    let folder: string;
    let good: string;
    beforeAll(async () => {
      token = await login();
      folder = host.engine.services.backups.folder;
      good = (await http('system.backup', {}, token)).fileName;
    });

    const restore = (fileName: string) => http('system.restore', { fileName, confirmFileName: fileName, reason: 'test' }, token);
    const expectRefused = async (fileName: string, message: RegExp) => {
      const engine = host.engine;
      const err = await refused(restore(fileName));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(message);
      expect((err.details as { fields: Record<string, string[]> }).fields.fileName![0]).toMatch(message);
      expect(host.engine).toBe(engine);
      expect(fs.existsSync(path.join(dataDir, 'billing.db.restoring'))).toBe(false);
      expect((await http('auth.me', {}, token)).username).toBe('admin');
    };

    it('a file that is not a database', async () => {
      fs.writeFileSync(path.join(folder, 'billing-random.db'), Buffer.alloc(64 * 1024, 7));
      await expectRefused('billing-random.db', /^billing-random\.db is not a SQLite database/);
    });

    it('a database of something else', async () => {
      const foreign = new Database(path.join(folder, 'billing-foreign.db'));
      foreign.exec('CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)');
      foreign.close();
      await expectRefused('billing-foreign.db', /is not a billing database \(it has no schema_migrations table\)/);
    });

    it('a backup damaged after it was written (checksum)', async () => {
      const copy = 'billing-damaged.db';
      fs.copyFileSync(path.join(folder, good), path.join(folder, copy));
      fs.copyFileSync(path.join(folder, `${good}.sha256`), path.join(folder, `${copy}.sha256`));
      const fd = fs.openSync(path.join(folder, copy), 'r+');
      fs.writeSync(fd, Buffer.from('garbage'), 0, 7, 3 * 4096 + 100);
      fs.closeSync(fd);
      await expectRefused(copy, /changed after it was written: its sha-256 is [0-9a-f]{64}, the recorded one [0-9a-f]{64}/);
    });

    it('a damaged database without a checksum (integrity_check)', async () => {
      const copy = 'billing-corrupt.db';
      fs.copyFileSync(path.join(folder, good), path.join(folder, copy));
      // An index whose entries no longer match its table: readable, but inconsistent.
      const db = new Database(path.join(folder, copy));
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX operation_log_method_at ON operation_log(username, at)' WHERE name = 'operation_log_method_at'").run();
      db.close();
      await expectRefused(copy, /^billing-corrupt\.db fails PRAGMA integrity_check: .*operation_log_method_at/);

      // Damage where the schema lives: the file cannot even be read.
      const schemaDamaged = 'billing-schema-damaged.db';
      const again = fs.readFileSync(path.join(folder, good));
      const pages = again.length / 4096;
      for (let page = 1; page < pages; page++) again.fill(0xa5, page * 4096, page * 4096 + 400);
      fs.writeFileSync(path.join(folder, schemaDamaged), again);
      await expectRefused(schemaDamaged, /^billing-schema-damaged\.db (is damaged|fails PRAGMA integrity_check)/);
    });

    it('a backup written by another version', async () => {
      const copy = 'billing-future.db';
      fs.copyFileSync(path.join(folder, good), path.join(folder, copy));
      const db = new Database(path.join(folder, copy));
      db.prepare('INSERT INTO schema_migrations (id, sha256, applied_at) VALUES (?, ?, ?)').run('9999_future', 'x', 1);
      db.close();
      await expectRefused(copy, /was written by another version: it has migration 9999_future, where this version has no more migrations/);
    });

    it('a file that is not there', async () => {
      const err = await refused(restore('billing-missing.db'));
      expect(err.code).toBe('not_found');
    });
  });

  it('is not possible on an engine started without a host', async () => {
    const plain = await startTestEngine({ http: false });
    try {
      const token = await plain.loginAs('admin');
      const backup = await plain.call('system.backup', {}, token);
      await expect(
        plain.call('system.restore', { fileName: backup.fileName, confirmFileName: backup.fileName, reason: 'test' }, token),
      ).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await plain.dispose();
    }
  });
});
