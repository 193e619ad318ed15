import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestEngine, tempDir } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';
import { asteriskLines, waitFor } from './helpers/sftp-poll';

const RECORDS = 30_000;
// Each generated call is a 60 s domestic call at 0.30 per minute (6 s increments): 0.3000.
const COST = 3000;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('charging under a crash', () => {
  it('charges every CDR exactly once when the process is killed mid-import and the file is imported again', async () => {
    const dataDir = tempDir();
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const setup = await startTestEngine({ dataDir, http: false });
    const clerk = await setup.loginAs('clerk');
    await setup.services.rating.ready();
    const groupId = await createSampleRateGroup(setup, clerk);
    const enterprise = await setup.call('enterprises.create', { name: 'Crash Co', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
    const deviceId = await createSampleDevice(setup, clerk, { defaultEnterpriseId: enterprise.id });
    await setup.stop();

    const file = asteriskLines(0, RECORDS);
    const child = spawn(process.execPath, ['dist/main/server.cjs', '--data-dir', dataDir, '--http-port', '0'], {
      env: { ...process.env, BILLING_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /Open http:\/\/\S+\//.test(out), 'the server to start', 30_000);
    const url = /Open (http:\/\/[^\s/]+)\//.exec(out)![1]!;
    const login = await fetch(`${url}/api/auth.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password: 'clerk1-Password-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    // The import runs in the child; it is killed once part of the file is stored and charged.
    void fetch(`${url}/api/cdrs.import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ deviceId, fileName: 'big.csv', content: Buffer.from(file).toString('base64') }),
    }).catch(() => undefined);
    const db = new Database(path.join(dataDir, 'billing.db'), { readonly: true, fileMustExist: true });
    const rated = () => db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'rated'").pluck().get() as number;
    try {
      await waitFor(() => rated() > 0, 'the first charged CDRs', 60_000);
      child.kill('SIGKILL');
      await exited;
      const partial = rated();
      expect(partial).toBeLessThan(RECORDS);
      // What was committed is consistent: every stored CDR is rated and charged once.
      expect(db.prepare("SELECT COUNT(*) FROM cdrs WHERE status <> 'rated'").pluck().get()).toBe(0);
      expect(db.prepare("SELECT COUNT(*) FROM ledger WHERE kind = 'charge'").pluck().get()).toBe(partial);
    } finally {
      db.close();
    }

    const restarted = await startTestEngine({ dataDir, http: false });
    cleanups.push(() => restarted.stop());
    const again = await restarted.call('cdrs.import', { deviceId, fileName: 'big.csv', content: Buffer.from(file).toString('base64') }, (await restarted.login('clerk1', 'clerk1-Password-1')).token);
    expect(again.stored + again.duplicates).toBe(RECORDS);
    const rdb = restarted.services.db;
    expect(rdb.prepare("SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM cdrs WHERE status = 'rated'").raw().get()).toEqual([RECORDS, RECORDS]);
    expect(rdb.prepare("SELECT COUNT(*), COUNT(DISTINCT cdr_id), SUM(amount) FROM ledger WHERE kind = 'charge'").raw().get()).toEqual([
      RECORDS,
      RECORDS,
      -RECORDS * COST,
    ]);
    const check = restarted.services.ledger.verify(Date.now());
    expect(check.ok).toBe(true);
    expect(rdb.prepare('SELECT balance FROM accounts WHERE id = ?').pluck().get(enterprise.id)).toBe(-RECORDS * COST);
  }, 240_000); // a child process, 30,000 records and a restart: minutes on a busy 2-core machine
});
