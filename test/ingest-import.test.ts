import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrFormat, GenericCsvOptionsInput } from '../src-shared/domain/cdr';
import type { EventMessage } from '../src-shared/api';
import { importCdrFile } from '../src-main/ingest/file-import';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixture } from './ingest-helpers';

let t: TestEngine;
let clerk: string;

const semicolonOptions = (dateFormat: string): GenericCsvOptionsInput => ({
  delimiter: ';',
  columns: { start: 'Datum', caller: 'Von', callerName: 'Name', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
  dateFormat,
  durationUnit: 'hms',
});

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  clerk = await t.loginAs('clerk');
});
afterAll(() => t.dispose());

let deviceSeq = 0;
async function device(format: CdrFormat, extra: Parameters<typeof beijingDevice>[0] = {}) {
  const admin = await t.loginAs('admin');
  return t.call('devices.create', beijingDevice({ name: `${format} ${++deviceSeq}`, format, addresses: [], ...extra }), admin);
}

const importFile = (deviceId: number, fileName: string, text = fixture(fileName)) =>
  t.call('cdrs.import', { deviceId, fileName, content: Buffer.from(text).toString('base64') }, clerk);

describe('cdrs.import: every sample file with its device format', () => {
  const cases: [string, CdrFormat, { stored: number; duplicates: number; rejected: number; skipped: number }, Parameters<typeof beijingDevice>[0]?][] = [
    ['asterisk-master.csv', 'asterisk-csv', { stored: 7, duplicates: 0, rejected: 1, skipped: 0 }],
    ['asterisk-master-uniqueid.csv', 'asterisk-csv', { stored: 2, duplicates: 1, rejected: 0, skipped: 0 }],
    ['asterisk-edge-berlin.csv', 'asterisk-csv', { stored: 5, duplicates: 0, rejected: 4, skipped: 0 }, { timeZone: 'Europe/Berlin' }],
    ['asterisk-cdr-custom.jsonl', 'asterisk-json', { stored: 4, duplicates: 0, rejected: 2, skipped: 0 }],
    ['freeswitch-example.csv', 'freeswitch-csv', { stored: 3, duplicates: 0, rejected: 0, skipped: 0 }],
    ['freeswitch-xml-cdr.xml', 'freeswitch-xml', { stored: 1, duplicates: 0, rejected: 0, skipped: 0 }],
    ['freeswitch-json-cdr.json', 'freeswitch-json', { stored: 1, duplicates: 0, rejected: 0, skipped: 0 }],
    ['yeastar-newcdr.jsonl', 'yeastar', { stored: 4, duplicates: 0, rejected: 0, skipped: 0 }],
    ['yeastar-p-series.jsonl', 'yeastar', { stored: 3, duplicates: 0, rejected: 1, skipped: 2 }],
    ['grandstream-cdrapi.csv', 'grandstream-csv', { stored: 3, duplicates: 0, rejected: 0, skipped: 1 }],
    // Two calls, one of them with two sub-CDRs stored as its linked (never charged) legs.
    ['grandstream-cdrapi.json', 'grandstream-json', { stored: 4, duplicates: 0, rejected: 2, skipped: 0 }],
    ['3cx-cdr.csv', '3cx', { stored: 2, duplicates: 0, rejected: 0, skipped: 1 }],
    ['3cx-cdr-noheader.txt', '3cx', { stored: 4, duplicates: 0, rejected: 1, skipped: 0 }],
    ['cucm-cdr_Cluster1_01_202603020915_000001', 'cucm', { stored: 3, duplicates: 0, rejected: 0, skipped: 2 }],
    ['ipoffice-smdr.txt', 'ipoffice-smdr', { stored: 3, duplicates: 0, rejected: 0, skipped: 0 }],
    ['ipoffice-smdr-transfer.txt', 'ipoffice-smdr', { stored: 3, duplicates: 0, rejected: 1, skipped: 0 }],
    ['generic-semicolon.csv', 'generic-csv', { stored: 3, duplicates: 0, rejected: 1, skipped: 1 }, { formatOptions: semicolonOptions('DD.MM.YYYY HH:mm:ss') }],
  ];

  it.each(cases)('%s (%s)', async (fileName, format, expected, extra) => {
    const d = await device(format, extra);
    const result = await importFile(d.id, fileName);
    expect(result).toMatchObject({
      ...expected,
      received: expected.stored + expected.duplicates + expected.rejected,
      deviceId: d.id,
      fileName,
    });
    // Rated / unrated by the charging pipeline in the same transactions (none while its rating data still loads).
    expect(result.rated + result.unrated).toBeLessThanOrEqual(result.stored);
    expect(result.rejects).toHaveLength(expected.rejected);
    for (const r of result.rejects) expect(r).toMatchObject({ deviceId: d.id, sourceKind: 'import', sourceName: fileName, status: 'open' });
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(d.id)).toBe(expected.stored);

    const again = await importFile(d.id, fileName);
    expect(again).toMatchObject({ stored: 0, rejected: 0, duplicates: result.received, skipped: expected.skipped });
    expect(again.rejects.map((r) => r.id)).toEqual(result.rejects.map((r) => r.id));
  });

  it('reports progress to the importing session and names the garbage line in the rejects', async () => {
    const d = await device('asterisk-csv');
    const events: EventMessage[] = [];
    const off = t.services.events.subscribe((m) => {
      if (m.event === 'cdrs.importProgress') events.push(m);
    });
    const lines = fixture('asterisk-master.csv').trimEnd().split('\n');
    const big = Array.from({ length: 4000 }, (_, i) => lines[i % 6]!.replace('"DOCUMENTATION"', `"DOCUMENTATION","${1772000000 + i}.1",""`)).join('\n');
    const result = await t.call('cdrs.import', { deviceId: d.id, fileName: 'big.csv', importId: 'imp-1', content: Buffer.from(`${big}\n${lines[6]}\n`).toString('base64') }, clerk);
    off();
    expect(result).toMatchObject({ importId: 'imp-1', received: 4001, stored: 4000, rejected: 1 });
    expect(result.rejects[0]!.reason).toMatch(/^line 4001: /);
    const states = events.map((e) => (e.data as { state: string }).state);
    expect(states[0]).toBe('running');
    expect(states.at(-1)).toBe('done');
    expect(events.at(-1)!.data).toMatchObject({ importId: 'imp-1', received: 4001, stored: 4000, bytesRead: result.bytes, totalBytes: result.bytes });
  });

  it("stores each call once when the file is imported again after the device's time zone was corrected", async () => {
    const admin = await t.loginAs('admin');
    for (const [format, file] of [['asterisk-csv', 'asterisk-master-uniqueid.csv'], ['ipoffice-smdr', 'ipoffice-smdr.txt'], ['yeastar', 'yeastar-newcdr.jsonl']] as const) {
      const d = await device(format, { timeZone: 'Asia/Tokyo' });
      const first = await importFile(d.id, file);
      expect(first.stored).toBeGreaterThan(0);
      const startsBefore = t.services.db.prepare('SELECT start_at FROM cdrs WHERE device_id = ? ORDER BY id').pluck().all(d.id);
      await t.call('devices.update', { id: d.id, timeZone: 'Asia/Shanghai' }, admin);
      const again = await importFile(d.id, file);
      expect({ format, stored: again.stored, duplicates: again.duplicates }).toEqual({ format, stored: 0, duplicates: first.stored + first.duplicates });
      // The stored calls keep the times they were read with.
      expect(t.services.db.prepare('SELECT start_at FROM cdrs WHERE device_id = ? ORDER BY id').pluck().all(d.id)).toEqual(startsBefore);
    }
  });

  it('reads a JSON-lines file of more than 16 MiB whose first line is damaged line by line: nothing is cut off', async () => {
    const d = await device('asterisk-json');
    const damaged = Array.from({ length: 300 }, (_, i) => `{"damaged": ${i}, "pad": "${'x'.repeat(60_000)}"`);
    const text = `${damaged.join('\n')}\n${fixture('asterisk-cdr-custom.jsonl')}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(16 * 1024 * 1024);
    const summary = await importCdrFile(t.services.cdrWriter, {
      device: t.services.devices.get(d.id),
      source: { kind: 'import', name: 'big.jsonl' },
      input: (async function* () {
        for (let at = 0; at < text.length; at += 1 << 20) yield Buffer.from(text.slice(at, at + (1 << 20)));
      })(),
    });
    expect({ stored: summary.stored, rejected: summary.rejected }).toEqual({ stored: 4, rejected: 302 });
  }, 60_000);

  it('refuses content that is not base64, and an unknown device', async () => {
    const d = await device('asterisk-csv');
    await expect(t.call('cdrs.import', { deviceId: d.id, fileName: 'x.csv', content: 'not base64!' }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('cdrs.import', { deviceId: 99_999, fileName: 'x.csv', content: '' }, clerk)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('rejects: list, reprocess after fixing the device, dismiss', () => {
  it('reads the rejects again with the fixed date format and header, storing what now reads', async () => {
    const d = await device('generic-csv', { formatOptions: semicolonOptions('YYYY-MM-DD HH:mm:ss') });
    const wrong = await importFile(d.id, 'generic-semicolon.csv');
    expect(wrong).toMatchObject({ stored: 0, rejected: 4, skipped: 1 });

    const listed = await t.call('cdrs.rejects', { deviceId: d.id, status: 'open', limit: 3 }, clerk);
    expect(listed.total).toBe(4);
    expect(listed.rows.map((r) => r.sourceLine)).toEqual([5, 4, 3]);
    const rest = await t.call('cdrs.rejects', { deviceId: d.id, status: 'open', limit: 3, cursor: listed.nextCursor }, clerk);
    expect(rest.rows.map((r) => r.sourceLine)).toEqual([2]);
    expect(rest.nextCursor).toBeUndefined();

    const admin = await t.loginAs('admin');
    await t.call('devices.update', { id: d.id, formatOptions: semicolonOptions('DD.MM.YYYY HH:mm:ss') }, admin);
    const result = await t.call('cdrs.reprocess', { deviceId: d.id }, clerk);
    expect(result).toMatchObject({ total: 4, stored: 3, duplicates: 0, stillRejected: 1, unchanged: 0 });
    const cdrs = t.services.db.prepare('SELECT native_id, source_kind, source_name, source_line FROM cdrs WHERE device_id = ? ORDER BY source_line').all(d.id);
    expect(cdrs).toEqual([
      { native_id: 'g-1', source_kind: 'import', source_name: 'generic-semicolon.csv', source_line: 2 },
      { native_id: 'g-2', source_kind: 'import', source_name: 'generic-semicolon.csv', source_line: 3 },
      { native_id: 'g-3', source_kind: 'import', source_name: 'generic-semicolon.csv', source_line: 4 },
    ]);
    const after = await t.call('cdrs.rejects', { deviceId: d.id, limit: 10 }, clerk);
    expect(after.rows.map((r) => [r.sourceLine, r.status, r.cdrId !== null])).toEqual([
      [5, 'open', false],
      [4, 'reprocessed', true],
      [3, 'reprocessed', true],
      [2, 'reprocessed', true],
    ]);
    expect(after.rows[0]!.reason).toBe("line 5: field start: '31.02.2026 12:00:00' does not match the date format 'DD.MM.YYYY HH:mm:ss'");

    // Importing the file again now finds every call stored: duplicates only.
    expect(await importFile(d.id, 'generic-semicolon.csv')).toMatchObject({ stored: 0, duplicates: 4, rejected: 0 });
  });

  it('reprocesses selected rejects; a record that now reads but is already stored points at that CDR', async () => {
    const d = await device('asterisk-csv');
    const good = fixture('asterisk-master.csv').split('\n')[0]!;
    const first = await importFile(d.id, 'one.csv', `${good}\n`);
    expect(first.stored).toBe(1);
    // The same call arrives cut in two fields short: rejected; a fixed copy of the record is then reprocessed.
    const cdrId = t.services.db.prepare('SELECT id FROM cdrs WHERE device_id = ?').pluck().get(d.id) as number;
    const broken = await importFile(d.id, 'broken.csv', 'garbage,,\n');
    t.services.db.prepare('UPDATE cdr_rejects SET raw = ? WHERE id = ?').run(good, broken.rejects[0]!.id);
    const result = await t.call('cdrs.reprocess', { ids: [broken.rejects[0]!.id] }, clerk);
    expect(result).toMatchObject({ total: 1, duplicates: 1, stored: 0 });
    expect(result.outcomes[0]).toEqual({ rejectId: broken.rejects[0]!.id, outcome: 'duplicate', cdrId });
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(d.id)).toBe(1);
  });

  it('does not reprocess a record cut at the length cap, and dismisses rejects with a reason', async () => {
    const d = await device('asterisk-csv');
    const result = await importFile(d.id, 'long.csv', `"${'x'.repeat(70_000)}"\nplain garbage\n`);
    expect(result.rejected).toBe(2);
    const [long, garbage] = result.rejects;
    expect(long!.rawComplete).toBe(false);
    const reprocessed = await t.call('cdrs.reprocess', { ids: [long!.id] }, clerk);
    expect(reprocessed.outcomes[0]).toMatchObject({ outcome: 'not_reprocessable' });
    const dismissed = await t.call('cdrs.dismissRejects', { ids: [long!.id, garbage!.id], reason: 'test data' }, clerk);
    expect(dismissed).toEqual({ dismissed: 2 });
    const rows = await t.call('cdrs.rejects', { deviceId: d.id, status: 'dismissed', limit: 10 }, clerk);
    expect(rows.rows.map((r) => r.resolution)).toEqual(['dismissed: test data', 'dismissed: test data']);
    expect((await t.call('cdrs.rejects', { deviceId: d.id, status: 'open', limit: 10 }, clerk)).total).toBe(0);
  });

  it('filters rejects by source and time received', async () => {
    const d = await device('asterisk-csv');
    await importFile(d.id, 'a.csv', 'bad a\n');
    await importFile(d.id, 'b.csv', 'bad b\n');
    const byName = await t.call('cdrs.rejects', { sourceKind: 'import', sourceName: 'b.csv', limit: 10 }, clerk);
    expect(byName.rows.map((r) => r.raw)).toEqual(['bad b']);
    const future = await t.call('cdrs.rejects', { deviceId: d.id, from: Date.now() + 60_000, limit: 10 }, clerk);
    expect(future.total).toBe(0);
  });
});
