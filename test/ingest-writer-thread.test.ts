/**
 * The CDR writer in its worker thread (the bundled dist/main/cdr-writer.cjs, built by the test run's global setup):
 * TCP batches are parsed on the engine's thread and stored, rated and charged by the writer thread on its own
 * connection; the engine's rating changes reach it; a writer thread that dies is replaced, and nothing is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerCdrWriter } from '../src-main/ingest/writer/worker-writer';
import { clockFrom } from './helpers/clock';
import { startTestEngine, tempDir, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup, sampleBase64 } from './helpers/sample-billing';
import { fixture, fixtureLines, TcpSender, waitFor } from './ingest-helpers';

let t: TestEngine;
let clerk: string;
let port: number;
let deviceId: number;
let enterpriseId: number;
let groupId: number;

const count = (sql: string, ...args: unknown[]) => t.services.db.prepare(sql).pluck().get(...args) as number;
const rated = () => count("SELECT COUNT(*) FROM cdrs WHERE device_id = ? AND status = 'rated'", deviceId);
const writer = () => t.services.cdrWriter as WorkerCdrWriter;

/** The first sample call (domestic, 122 s billed as 126 s) again, two hours later: a new call. */
const laterCall = (hours: string) =>
  fixtureLines('asterisk-master.csv')[0]!.replace(/2026-03-02 09:/g, `2026-03-02 ${hours}:`);

beforeAll(async () => {
  t = await startTestEngine({
    http: false,
    now: clockFrom('2026-06-15T10:00:00+08:00'),
    cdrListener: { host: '127.0.0.1', port: 0 },
    cdrWriterScript: path.resolve('dist/main/cdr-writer.cjs'),
  });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  groupId = await createSampleRateGroup(t, clerk);
  deviceId = await createSampleDevice(t, clerk, { name: 'Asterisk thread', addresses: ['127.0.0.2'] });
  const e = await t.call('enterprises.create', { name: 'Thread Ltd', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  enterpriseId = e.id;
  await t.call('accounts.recharge', { accountId: e.id, amount: '100', reason: 'opening balance' }, clerk);
  await t.call('devices.update', { id: deviceId, defaultEnterpriseId: e.id }, clerk);
  port = t.services.cdrListener!.address!.port;
});
afterAll(() => t.dispose());

describe('the CDR writer thread', () => {
  it('stores, rates and charges pushed CDRs on its own connection, in one write each', async () => {
    expect(t.services.cdrWriter).toBeInstanceOf(WorkerCdrWriter);
    const changesBefore = count('SELECT total_changes()');
    const sender = new TcpSender(port, '127.0.0.2');
    await sender.write(fixture('asterisk-master.csv'));
    await waitFor('7 rated CDRs', () => rated() === 7);
    await sender.end();
    // The rows were written by the other connection: this one changed none of them.
    expect(count('SELECT total_changes()')).toBe(changesBefore);
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe('90.1500');
    expect(count("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND account_id = ?", enterpriseId)).toBe(7);
    // The live status of the engine's thread hears of the stored batch (its last CDR) and counts today's from the table.
    const status = t.services.ingestStatus.snapshot().devices.find((d) => d.deviceId === deviceId)!;
    expect(status.today.stored).toBe(7);
    expect(status.lastCdrAt).not.toBeNull();
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
  });

  it('prices the next call with a rate changed on the engine thread', async () => {
    const rateId = count("SELECT id FROM rates WHERE rate_group_id = ? AND name = 'domestic'", groupId);
    await t.call('rates.update', { id: rateId, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    const sender = new TcpSender(port, '127.0.0.2');
    await sender.write(`${laterCall('11')}\n`);
    await waitFor('8 rated CDRs', () => rated() === 8);
    await sender.end();
    expect(count("SELECT cost FROM cdrs WHERE device_id = ? AND raw LIKE '%2026-03-02 11:15:02%'", deviceId)).toBe(12_600);
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe('88.8900');
  });

  it('replaces a writer thread that died at the next batch, and stores nothing twice', async () => {
    const thread = (writer() as unknown as { worker: import('node:worker_threads').Worker }).worker;
    await thread.terminate();
    const sender = new TcpSender(port, '127.0.0.2');
    await sender.write(`${laterCall('13')}\n${laterCall('11')}\n`);
    await waitFor('9 rated CDRs', () => rated() === 9);
    await sender.end();
    // The call of 11:15 was stored once: the second time it is a duplicate, not a second charge.
    expect(count("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND account_id = ?", enterpriseId)).toBe(9);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
  });
});

describe('a CDR writer thread that cannot start', () => {
  it('leaves the batches to the engine thread: the file is stored, rated and charged all the same', async () => {
    const dir = tempDir('billing-writer-');
    const script = path.join(dir, 'broken-writer.cjs');
    fs.writeFileSync(script, "throw new Error('the database driver cannot be loaded in this thread');\n");
    const e2 = await startTestEngine({ http: false, now: clockFrom('2026-06-15T10:00:00+08:00'), cdrWriterScript: script });
    try {
      const token = await e2.loginAs('clerk');
      await e2.services.rating.ready();
      const group = await createSampleRateGroup(e2, token);
      const device = await createSampleDevice(e2, token, { name: 'Asterisk fallback' });
      const e = await e2.call('enterprises.create', { name: 'Fallback Ltd', rateGroupId: group, billingMode: 'postpaid' }, token);
      await e2.call('devices.update', { id: device, defaultEnterpriseId: e.id }, token);
      const result = await e2.call('cdrs.import', { deviceId: device, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, token);
      expect(result).toMatchObject({ stored: 7, rated: 7 });
      expect((await e2.call('enterprises.get', { id: e.id }, token)).balance).toBe('-9.8500');
      expect((await e2.call('accounts.verify', {}, token)).ok).toBe(true);
    } finally {
      await e2.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
