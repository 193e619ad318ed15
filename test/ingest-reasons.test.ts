/**
 * Reasons in the clerk's language over the API: rejects carry their catalogue key and params (stored beside the
 * English reason, migration 0013), rows stored before keys show the general sentence, reprocessing keys the reason it
 * reads again; an import's counts add up when a file is imported again (its known rejects are counted apart from the
 * calls met again); "reprocess all open" works without a device; unrated groups and rows carry their key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrFormat } from '../src-shared/domain/cdr';
import { UNRATED_REASON_KEYS } from '../src-main/charging/unrated-reasons';
import { REJECT_REASON_KEYS } from '../src-main/ingest/reject-reasons';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixture } from './ingest-helpers';

let t: TestEngine;
let clerk: string;
let admin: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  clerk = await t.loginAs('clerk');
  admin = await t.loginAs('admin');
});
afterAll(() => t.dispose());

let seq = 0;
const device = (format: CdrFormat, extra: Parameters<typeof beijingDevice>[0] = {}) =>
  t.call('devices.create', beijingDevice({ name: `reasons ${format} ${++seq}`, format, addresses: [], ...extra }), admin);
const importFile = (deviceId: number, fileName: string, text = fixture(fileName)) =>
  t.call('cdrs.import', { deviceId, fileName, content: Buffer.from(text).toString('base64') }, clerk);

describe('an import and the same file again', () => {
  it('counts the known reject apart from the calls met again, so the numbers add up to what the list shows', async () => {
    const d = await device('asterisk-csv');
    const first = await importFile(d.id, 'asterisk-master.csv');
    expect(first).toMatchObject({ received: 8, stored: 7, duplicates: 0, rejected: 1, knownRejects: 0, rejectsTotal: 1 });
    const again = await importFile(d.id, 'asterisk-master.csv');
    // Before: "0 rejected / 8 duplicates" beside "records that could not be read: 1".
    expect(again).toMatchObject({ received: 8, stored: 0, duplicates: 8, rejected: 0, knownRejects: 1, rejectsTotal: 1 });
    expect(again.rejects).toHaveLength(again.rejectsTotal);
    expect(again.rejected + again.knownRejects).toBe(again.rejectsTotal);
    const callsMetAgain = again.duplicates - again.knownRejects;
    expect(again.stored + callsMetAgain + again.rejected + again.knownRejects).toBe(again.received);
    expect(callsMetAgain).toBe(7);
    // The listed reject is the one of the first import, with its reason as a key of the catalogue.
    expect(again.rejects[0]!.id).toBe(first.rejects[0]!.id);
    expect(again.rejects[0]!.problem).toEqual({ key: 'reject.columns.atLeast', params: { line: 7, expected: 16, found: 1 }, text: again.rejects[0]!.reason });
  });
});

describe('reject reasons over the API', () => {
  it('lists each reject with its key and params, keeps the English, and keys again what reprocessing reads', async () => {
    const d = await device('generic-csv', {
      formatOptions: {
        delimiter: ';',
        columns: { start: 'Datum', caller: 'Von', callerName: 'Name', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
        dateFormat: 'YYYY-MM-DD HH:mm:ss',
        durationUnit: 'hms',
      },
    });
    await importFile(d.id, 'generic-semicolon.csv');
    const listed = await t.call('cdrs.rejects', { deviceId: d.id, limit: 10 }, clerk);
    expect(listed.rows).toHaveLength(4);
    for (const row of listed.rows) {
      expect(row.problem.text).toBe(row.reason);
      expect(REJECT_REASON_KEYS).toContain(row.problem.key);
      expect(row.problem.key).not.toBe('reject.other');
      expect(row.problem.params).toMatchObject({ line: row.sourceLine, cdrField: 'start' });
    }
    expect(listed.rows[0]!.problem).toMatchObject({ key: 'reject.field.notDateFormat', params: { format: 'YYYY-MM-DD HH:mm:ss' } });
    const stored = t.services.db.prepare('SELECT reason_key, reason_params FROM cdr_rejects WHERE id = ?').get(listed.rows[0]!.id) as { reason_key: string; reason_params: string };
    expect(stored.reason_key).toBe('reject.field.notDateFormat');
    expect(JSON.parse(stored.reason_params)).toEqual(listed.rows[0]!.problem.params);

    // A row stored before keys: the general sentence, the English kept as its text.
    const old = listed.rows[1]!;
    t.services.db.prepare('UPDATE cdr_rejects SET reason_key = NULL, reason_params = NULL WHERE id = ?').run(old.id);
    const [before] = await t.call('cdrs.rejects', { deviceId: d.id, limit: 10 }, clerk).then((p) => p.rows.filter((r) => r.id === old.id));
    expect(before!.problem).toEqual({ key: 'reject.other', params: {}, text: old.reason });

    // Reprocessed with the same (still wrong) settings: still unreadable, and the reason read again has its key.
    const result = await t.call('cdrs.reprocess', { ids: [old.id] }, clerk);
    expect(result.outcomes[0]).toMatchObject({ outcome: 'rejected', problem: { key: 'reject.field.notDateFormat' } });
    const after = (await t.call('cdrs.rejects', { deviceId: d.id, limit: 10 }, clerk)).rows.find((r) => r.id === old.id)!;
    expect(after.problem.key).toBe('reject.field.notDateFormat');
    expect(after.resolutionProblem).toMatchObject({ key: 'reject.resolution.stillUnreadable', params: { at: expect.stringMatching(/^\d{4}-/) } });

    await t.call('cdrs.dismissRejects', { ids: [old.id], reason: '测试数据' }, clerk);
    const dismissed = (await t.call('cdrs.rejects', { deviceId: d.id, limit: 10 }, clerk)).rows.find((r) => r.id === old.id)!;
    expect(dismissed.resolutionProblem).toEqual({ key: 'reject.resolution.dismissed', params: { reason: '测试数据' }, text: 'dismissed: 测试数据' });
  });

  it('reprocesses all open rejects of every device without a device chosen', async () => {
    const open = () => t.services.db.prepare("SELECT COUNT(*) FROM cdr_rejects WHERE status = 'open'").pluck().get() as number;
    const a = await device('asterisk-csv');
    const b = await device('asterisk-csv');
    await importFile(a.id, 'a.csv', 'not a call a\n');
    await importFile(b.id, 'b.csv', 'not a call b\n');
    const before = open();
    expect(before).toBeGreaterThanOrEqual(2);
    const result = await t.call('cdrs.reprocess', { all: true }, clerk);
    expect(result.total).toBe(before);
    expect(result.stillRejected + result.stored + result.duplicates + result.unchanged).toBe(before);
    expect(result.unrated).toBeDefined();
    const log = t.services.db.prepare("SELECT target FROM operation_log WHERE method = 'cdrs.reprocess' ORDER BY id DESC LIMIT 1").pluck().get();
    expect(String(log)).toContain('rejects:open');
    // One of ids, deviceId and all: none, or two, are refused.
    await expect(t.call('cdrs.reprocess', {} as never, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('cdrs.reprocess', { all: true, deviceId: a.id } as never, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('direction reasons over the API', () => {
  it('cdrs.get gives the direction reason of an Asterisk CDR part by part, beside the English', async () => {
    const d = await device('asterisk-csv');
    await importFile(d.id, 'asterisk-master.csv');
    const ids = t.services.db.prepare('SELECT id FROM cdrs WHERE device_id = ? ORDER BY id').pluck().all(d.id) as number[];
    expect(ids.length).toBe(7);
    for (const id of ids) {
      const detail = await t.call('cdrs.get', { id }, clerk);
      expect(detail.directionReason).not.toBeNull();
      expect(detail.directionProblems.length).toBeGreaterThan(0);
      expect(detail.directionProblems.map((p) => p.key)).not.toContain('direction.other');
      // Each part is a piece of the English sentence, in its order.
      let at = 0;
      for (const part of detail.directionProblems) {
        const found = detail.directionReason!.indexOf(part.text, at);
        expect(found, part.text).toBeGreaterThanOrEqual(at);
        at = found + part.text.length;
      }
    }
  });
});

describe('unrated reasons over the API', () => {
  it('gives each group and row its key of the catalogue with the English sentence', async () => {
    const d = await device('asterisk-csv');
    const imported = await importFile(d.id, 'asterisk-master.csv');
    expect(imported.unrated).toBeGreaterThan(0); // a device without a default enterprise: nobody pays
    const queue = await t.call('cdrs.unrated', { deviceId: d.id, limit: 50 }, clerk);
    expect(queue.groups.length).toBeGreaterThan(0);
    for (const g of queue.groups) {
      expect(UNRATED_REASON_KEYS).toContain(g.problem.key);
      expect(g.problem.key).toBe(`unrated.${g.key}`);
      expect(g.problem.text).not.toBe('');
    }
    for (const r of queue.rows) expect(r.problem.key).toBe(`unrated.${r.reason.key}`);
  });
});
