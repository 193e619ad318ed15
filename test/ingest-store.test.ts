import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrParseResult } from '../src-shared/domain/cdr';
import { parseCdrText } from '../src-main/ingest/adapters/registry';
import { deviceContextOf } from '../src-main/devices/repository';
import type { IngestSource } from '../src-main/ingest/store';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

const fixture = (name: string) => fs.readFileSync(path.resolve('test/fixtures/cdr', name), 'utf8');

let t: TestEngine;
let deviceId: number;
const source: IngestSource = { kind: 'import', name: 'test.csv' };

function parse(text: string, format: 'asterisk-csv' | 'yeastar' = 'asterisk-csv'): CdrParseResult {
  return parseCdrText(format, text, deviceContextOf(t.services.devices.get(deviceId)));
}
const count = (sql: string, ...args: unknown[]) => t.services.db.prepare(sql).pluck().get(...args) as number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  const admin = await t.loginAs('admin');
  deviceId = (await t.call('devices.create', beijingDevice(), admin)).id;
});
afterAll(() => t.dispose());

describe('CdrStore.storeBatch', () => {
  it('stores new CDRs and the garbage line as a reject with reason and position; a second pass only counts duplicates', () => {
    const batch = parse(fixture('asterisk-master.csv'));
    const first = t.services.cdrStore.storeBatch(deviceId, source, batch);
    expect(first).toMatchObject({ received: 8, stored: 7, duplicates: 0, rejected: 1, skipped: 0 });
    expect(first.newIds).toHaveLength(7);
    const row = t.services.db.prepare('SELECT * FROM cdrs WHERE id = ?').get(first.newIds[0]) as Record<string, unknown>;
    expect(row).toMatchObject({
      device_id: deviceId,
      caller: '8001',
      callee: '902150001234',
      billsec: 122,
      status: 'pending',
      source_kind: 'import',
      source_name: 'test.csv',
      source_line: 1,
      source_offset: 0,
      format: 'asterisk-csv',
    });
    expect(row.raw).toBe(fixture('asterisk-master.csv').split('\n')[0]);
    const reject = t.services.db.prepare('SELECT * FROM cdr_rejects WHERE id = ?').get(first.rejectIds[0]) as Record<string, unknown>;
    expect(reject).toMatchObject({ device_id: deviceId, status: 'open', source_line: 7, raw_complete: 1 });
    expect(String(reject.reason)).toMatch(/^line 7: /);

    const again = t.services.cdrStore.storeBatch(deviceId, source, parse(fixture('asterisk-master.csv')));
    expect(again).toMatchObject({ received: 8, stored: 0, duplicates: 8, rejected: 0, newIds: [] });
    expect(again.rejectIds).toEqual(first.rejectIds);
    expect(count('SELECT COUNT(*) FROM cdrs WHERE device_id = ?', deviceId)).toBe(7);
    expect(count('SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?', deviceId)).toBe(1);
  });

  it('stores the exact duplicate of asterisk-master-uniqueid.csv once', () => {
    const result = t.services.cdrStore.storeBatch(deviceId, source, parse(fixture('asterisk-master-uniqueid.csv')));
    expect(result).toMatchObject({ received: 3, stored: 2, duplicates: 1, rejected: 0 });
    expect(count("SELECT COUNT(*) FROM cdrs WHERE native_id = '1772525400.19'")).toBe(1);
  });

  it('stores two different records that share one uniqueid as two calls', () => {
    const line = (dst: string, start: string, billsec: number) =>
      `"","8001","${dst}","from-internal","<8001>","PJSIP/8001-00000031","PJSIP/trunk-cn-00000032","Dial","","${start}","${start}",` +
      `"${start.replace(':00:', ':05:')}",300,${billsec},"ANSWERED","DOCUMENTATION","1772999999.5",""`;
    const result = t.services.cdrStore.storeBatch(
      deviceId,
      source,
      parse([line('913800138000', '2026-03-04 10:00:00', 300), line('962345678', '2026-03-04 11:00:00', 290)].join('\n')),
    );
    expect(result).toMatchObject({ stored: 2, duplicates: 0 });
    expect(count("SELECT COUNT(*) FROM cdrs WHERE native_id = '1772999999.5'")).toBe(2);
  });

  it('keeps a re-sent unreadable record once, counted as a duplicate', () => {
    const garbage = 'this is not a CDR at all';
    const a = t.services.cdrStore.storeBatch(deviceId, { kind: 'tcp', name: 'conn#1 10.0.0.1:4000' }, parse(garbage));
    const b = t.services.cdrStore.storeBatch(deviceId, { kind: 'tcp', name: 'conn#2 10.0.0.1:4001' }, parse(garbage));
    expect(a).toMatchObject({ received: 1, rejected: 1, duplicates: 0 });
    expect(b).toMatchObject({ received: 1, rejected: 0, duplicates: 1 });
    expect(b.rejectIds).toEqual(a.rejectIds);
  });

  it('marks a reject whose line was cut at the length cap as incomplete', () => {
    const long = `"","8001","${'9'.repeat(70_000)}"`;
    const result = t.services.cdrStore.storeBatch(deviceId, source, parse(long));
    expect(result.rejected).toBe(1);
    expect(count('SELECT raw_complete FROM cdr_rejects WHERE id = ?', result.rejectIds[0])).toBe(0);
  });

  it('adds the counts to the day of the device, in the same transaction', () => {
    const snapshot = t.services.ingestStatus.snapshot();
    const device = snapshot.devices.find((d) => d.deviceId === deviceId)!;
    const totals = t.services.db
      .prepare('SELECT SUM(received) r, SUM(stored) s, SUM(duplicates) d, SUM(rejected) j FROM ingest_daily WHERE device_id = ?')
      .get(deviceId) as { r: number; s: number; d: number; j: number };
    expect(device.today).toMatchObject({ received: totals.r, stored: totals.s, duplicates: totals.d, rejected: totals.j });
    expect(totals.s).toBe(count('SELECT COUNT(*) FROM cdrs WHERE device_id = ?', deviceId));
    expect(totals.j).toBe(count('SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?', deviceId));
    expect(device.lastCdrAt).not.toBeNull();
  });
});

describe('CdrStore processors', () => {
  const yeastar = (callid: string, talk: number) =>
    JSON.stringify({
      event: 'NewCdr', callid, timestart: '2026-03-05 09:00:00', callfrom: '8001', callto: '8002',
      callduraction: String(talk + 5), talkduraction: String(talk), status: 'ANSWERED', type: 'Internal',
    });

  it('run inside the transaction with exactly the ids of the new CDRs, and can rate them there', () => {
    const seen: { ids: number[]; inTransaction: boolean; visible: number }[] = [];
    const remove = t.services.cdrStore.addProcessor((ids) => {
      seen.push({
        ids: [...ids],
        inTransaction: t.services.db.inTransaction,
        visible: count(`SELECT COUNT(*) FROM cdrs WHERE id IN (${ids.join(',')})`),
      });
      t.services.db.prepare(`UPDATE cdrs SET status = 'rated', rated_at = 1 WHERE id = ?`).run(ids[0]);
      t.services.db.prepare(`UPDATE cdrs SET status = 'unrated', status_reason = 'no rate' WHERE id = ?`).run(ids[1]);
    });
    try {
      const text = [yeastar('p.1', 10), yeastar('p.2', 20), yeastar('p.3', 30)].join('\n');
      t.services.cdrStore.storeBatch(deviceId, source, parse(yeastar('p.2', 20), 'yeastar'));
      seen.length = 0;
      const result = t.services.cdrStore.storeBatch(deviceId, source, parse(text, 'yeastar'));
      expect(result).toMatchObject({ stored: 2, duplicates: 1, rated: 1, unrated: 1 });
      expect(seen).toEqual([{ ids: result.newIds, inTransaction: true, visible: 2 }]);
      // A batch of duplicates only stores nothing new: processors are not called.
      seen.length = 0;
      t.services.cdrStore.storeBatch(deviceId, source, parse(text, 'yeastar'));
      expect(seen).toEqual([]);
    } finally {
      remove();
    }
  });

  it('a throwing processor rolls the whole batch back: no CDR, no reject, no count', () => {
    const before = {
      cdrs: count('SELECT COUNT(*) FROM cdrs'),
      rejects: count('SELECT COUNT(*) FROM cdr_rejects'),
      received: count('SELECT SUM(received) FROM ingest_daily'),
    };
    const remove = t.services.cdrStore.addProcessor(() => {
      throw new Error('charging failed');
    });
    try {
      const batch = parse([yeastar('r.1', 10), 'not json'].join('\n'), 'yeastar');
      expect(() => t.services.cdrStore.storeBatch(deviceId, source, batch)).toThrow('charging failed');
    } finally {
      remove();
    }
    expect({
      cdrs: count('SELECT COUNT(*) FROM cdrs'),
      rejects: count('SELECT COUNT(*) FROM cdr_rejects'),
      received: count('SELECT SUM(received) FROM ingest_daily'),
    }).toEqual(before);
    // Without the processor the same batch stores normally.
    expect(t.services.cdrStore.storeBatch(deviceId, source, parse(yeastar('r.1', 10), 'yeastar')).stored).toBe(1);
  });

  it('nests in a caller transaction (a poller recording its file progress): rolled back together', () => {
    const before = count('SELECT COUNT(*) FROM cdrs');
    const db = t.services.db;
    expect(() =>
      db.transaction(() => {
        const r = t.services.cdrStore.storeBatch(deviceId, { kind: 'sftp', name: '/var/log/Master.csv' }, parse(yeastar('n.1', 10), 'yeastar'));
        expect(r.stored).toBe(1);
        expect(count('SELECT COUNT(*) FROM cdrs')).toBe(before + 1);
        throw new Error('file progress could not be written');
      })(),
    ).toThrow('file progress');
    expect(count('SELECT COUNT(*) FROM cdrs')).toBe(before);
  });
});

describe('IngestStatus', () => {
  it('tracks connections, polls and errors per device and announces changes at most once a second', async () => {
    const events: unknown[] = [];
    const unsubscribe = t.services.events.subscribe((m) => {
      if (m.event === 'data.changed' && (m.data as { domain: string }).domain === 'ingest') events.push(m.data);
    });
    const status = t.services.ingestStatus;
    // Earlier changes go out (a connection of an earlier test may still be closing): wait for a quiet second.
    do {
      events.length = 0;
      await new Promise((r) => setTimeout(r, 1100));
    } while (events.length > 0);
    status.connectionOpened(deviceId, '10.0.0.5:40000');
    status.connectionOpened(deviceId, '10.0.0.5:40001');
    status.connectionClosed(deviceId, '10.0.0.5:40000');
    status.pollFinished(deviceId, { at: Date.now(), ok: false, error: 'connection refused', files: 0 });
    expect(events).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(events).toEqual([{ domain: 'ingest', ids: [deviceId] }, { domain: 'ingest', ids: [deviceId] }]);
    unsubscribe();
    const device = status.snapshot().devices.find((d) => d.deviceId === deviceId)!;
    expect(device.connections.map((c) => c.remote)).toEqual(['10.0.0.5:40001']);
    expect(device.lastPoll).toMatchObject({ ok: false, error: 'connection refused', files: 0 });
    expect(device.errors[0]!.message).toBe('connection refused');
    expect(device.errorCount).toBe(1);
    status.connectionClosed(deviceId, '10.0.0.5:40001');
  });
});
