/**
 * The TCP billing interface drops nothing it has received: a connection the engine closes still stores what it had
 * read (calls held for their continuation records included), and a batch the store refuses is tried again, then
 * kept as reprocessable rejects with the reason.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixtureLines, TcpSender, waitFor } from './ingest-helpers';

let t: TestEngine | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.dispose();
  t = undefined;
});

const count = (e: TestEngine, sql: string, ...args: unknown[]) => e.services.db.prepare(sql).pluck().get(...args) as number;

describe('a TCP connection the engine closes', () => {
  it('stores what it had read, and the calls held for their continuation records, when the listener stops', async () => {
    const e = (t = await startTestEngine({ http: false, cdrListener: { host: '127.0.0.1', port: 0 } }));
    const admin = await e.loginAs('admin');
    const device = await e.call('devices.create', beijingDevice({ name: 'IP Office', format: 'ipoffice-smdr', addresses: ['127.0.0.2'] }), admin);
    const [held, plain] = fixtureLines('ipoffice-smdr-transfer.txt');
    const sender = new TcpSender(e.services.cdrListener!.address!.port, '127.0.0.2');
    // Call 1000050 says "continued" (its other leg would follow); call 1000051 is whole.
    await sender.write(`${held}\n${plain}\n`);
    await waitFor('the whole call', () => count(e, 'SELECT COUNT(*) FROM cdrs WHERE device_id = ?', device.id) === 1);
    expect(count(e, "SELECT COUNT(*) FROM cdrs WHERE native_id LIKE '1000050%'")).toBe(0);

    await e.services.cdrListener!.stop();
    // The held leg is stored as far as it is known, not lost with the connection.
    expect(count(e, 'SELECT COUNT(*) FROM cdrs WHERE device_id = ?', device.id) + count(e, 'SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?', device.id)).toBe(2);
    expect(e.services.db.prepare('SELECT raw FROM cdrs WHERE device_id = ? UNION ALL SELECT raw FROM cdr_rejects WHERE device_id = ?').pluck().all(device.id, device.id)).toContain(held);
  });
});

describe('a TCP batch the store refuses', () => {
  it('is tried again while the connection waits, then kept as rejects that reprocess into CDRs', async () => {
    const e = (t = await startTestEngine({ http: false, cdrListener: { host: '127.0.0.1', port: 0, storeRetryDelaysMs: [20, 20] } }));
    const admin = await e.loginAs('admin');
    const device = await e.call('devices.create', beijingDevice({ name: 'Asterisk', addresses: ['127.0.0.2'] }), admin);
    const lines = fixtureLines('asterisk-master.csv');
    const store = e.services.cdrStore;
    const storeBatch = store.storeBatch.bind(store);
    let refusals = 1;
    const spy = vi.spyOn(store, 'storeBatch').mockImplementation((...args) => {
      if (args[2].cdrs.length > 0 && refusals > 0) {
        refusals--;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      return storeBatch(...args);
    });
    const sender = new TcpSender(e.services.cdrListener!.address!.port, '127.0.0.2');

    // Refused once: the second try stores it.
    await sender.write(`${lines[0]}\n`);
    await waitFor('the call stored on the second try', () => count(e, 'SELECT COUNT(*) FROM cdrs WHERE device_id = ?', device.id) === 1);

    // Refused on every try: kept as a reject with the reason.
    refusals = 1_000;
    await sender.write(`${lines[1]}\n`);
    await waitFor('the call kept as a reject', () => count(e, 'SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?', device.id) === 1);
    expect(count(e, 'SELECT COUNT(*) FROM cdrs WHERE device_id = ?', device.id)).toBe(1);
    const reject = e.services.db.prepare('SELECT id, raw, reason FROM cdr_rejects WHERE device_id = ?').get(device.id) as { id: number; raw: string; reason: string };
    expect(reject.raw).toBe(lines[1]);
    expect(reject.reason).toMatch(/^line 2: could not be stored \(SQLITE_FULL: database or disk is full\)/);
    expect((await e.call('ingest.status', {}, admin)).devices.find((d) => d.deviceId === device.id)!.errors[0]!.message).toContain('storing failed (SQLITE_FULL');

    // Once the cause is gone, reprocessing the reject stores the call; the connection kept working meanwhile.
    refusals = 0;
    spy.mockRestore();
    expect(await e.call('cdrs.reprocess', { ids: [reject.id] }, admin)).toMatchObject({ stored: 1 });
    await sender.write(`${lines[2]}\n`);
    await waitFor('three calls', () => count(e, 'SELECT COUNT(*) FROM cdrs WHERE device_id = ?', device.id) === 3);
    await sender.end();
  });
});
