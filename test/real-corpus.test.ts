/**
 * The real-world corpus (test/fixtures/real, SOURCES.md there says where each file comes from): each file is
 * imported into a device of its format and time zone, then the counts, the reasons of the rejects and a few rows
 * are compared with what the file says. The expected rows were read off the raw files by hand (times converted
 * with the zone the file's own Asterisk uniqueids or epochs give), not taken from what the import produced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, OutputOf } from '../src-shared/api';
import type { CdrFormat } from '../src-shared/domain/cdr';
import type { CdrRow } from '../src-shared/api/cdrs';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

const REAL_DIR = path.resolve('test/fixtures/real');

let t: TestEngine;
let admin: string;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
});
afterAll(() => t.dispose());

let deviceSeq = 0;
async function device(format: CdrFormat, timeZone: string, extra: Partial<InputOf<'devices.create'>> = {}): Promise<number> {
  const created = await t.call('devices.create', beijingDevice({ name: `real ${format} ${++deviceSeq}`, format, timeZone, addresses: [], ...extra }), admin);
  return created.id;
}

type ImportResult = OutputOf<'cdrs.import'>;

const importReal = (deviceId: number, file: string): Promise<ImportResult> =>
  t.call('cdrs.import', { deviceId, fileName: path.basename(file), content: fs.readFileSync(path.join(REAL_DIR, file)).toString('base64') }, clerk);

interface Counts {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  skipped: number;
}

/** Imports the file, checks the counts and the reject reasons (in line order), and that a second import adds nothing. */
async function importChecked(deviceId: number, file: string, counts: Counts, rejectReasons: RegExp[] = []): Promise<ImportResult> {
  const storedBefore = storedCount(deviceId);
  const result = await importReal(deviceId, file);
  expect({ received: result.received, stored: result.stored, duplicates: result.duplicates, rejected: result.rejected, skipped: result.skipped }).toEqual(counts);
  expect(result.rejects.map((r) => r.reason)).toEqual(rejectReasons.map((re) => expect.stringMatching(re)));
  expect(storedCount(deviceId)).toBe(storedBefore + counts.stored);

  const again = await importReal(deviceId, file);
  // Calls and rejects already held both count as duplicates the second time.
  expect({ stored: again.stored, rejected: again.rejected, duplicates: again.duplicates, skipped: again.skipped }).toEqual({
    stored: 0,
    rejected: 0,
    duplicates: counts.received,
    skipped: counts.skipped,
  });
  expect(storedCount(deviceId)).toBe(storedBefore + counts.stored);
  return result;
}

const storedCount = (deviceId: number): number =>
  t.services.db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(deviceId) as number;

/** The device's CDRs, earliest start first (ties in the order of the file). */
async function rowsOf(deviceId: number): Promise<CdrRow[]> {
  const page = await t.call('cdrs.search', { deviceId, order: 'asc', limit: 1000 }, clerk);
  return page.rows;
}

const detail = (row: CdrRow) => t.call('cdrs.get', { id: row.id }, clerk);

/** The fields checked by hand on each sampled row. */
const callOf = (row: CdrRow) => ({
  caller: row.caller,
  callee: row.callee,
  start: row.start,
  answer: row.answer,
  end: row.end,
  duration: row.duration,
  billsec: row.billsec,
  disposition: row.disposition,
});

describe('asterisk-csv: the Asterisk test suite (cdr_csv with uniqueid and userfield, device clock in UTC)', () => {
  it('self_test/Master.csv: two console calls to extension 1; Master2.csv repeats the first and is a duplicate', async () => {
    const id = await device('asterisk-csv', 'UTC');
    await importChecked(id, 'asterisk-csv/testsuite-self_test-Master.csv', { received: 2, stored: 2, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await rowsOf(id);
    expect(rows.map(callOf)).toEqual([
      { caller: '', callee: '1', start: '2010-04-02T00:26:32.000Z', answer: '2010-04-02T00:26:32.000Z', end: '2010-04-02T00:26:39.000Z', duration: 7, billsec: 7, disposition: 'answered' },
      { caller: '', callee: '1', start: '2010-04-02T00:34:02.000Z', answer: '2010-04-02T00:34:02.000Z', end: '2010-04-02T00:34:09.000Z', duration: 7, billsec: 7, disposition: 'answered' },
    ]);
    expect((await detail(rows[0]!)).nativeId).toBe('1270167992.0');
    expect((await detail(rows[1]!)).nativeId).toBe('1270168442.0');

    await importChecked(id, 'asterisk-csv/testsuite-self_test-Master2.csv', { received: 1, stored: 0, duplicates: 1, rejected: 0, skipped: 0 });
  });

  it('cdrlib/good.csv: one record in five dispositions; the hand-edited billsec longer than the call is a reject', async () => {
    const id = await device('asterisk-csv', 'UTC');
    await importChecked(id, 'asterisk-csv/testsuite-cdrlib-good.csv', { received: 5, stored: 4, duplicates: 0, rejected: 1, skipped: 0 }, [
      /^line 2: field billsec: 7 s is longer than the whole call \(5 s\)$/,
    ]);
    const rows = await rowsOf(id);
    const call = { caller: 'test', callee: '100', start: '2009-01-14T23:51:15.000Z', answer: '2009-01-14T23:51:15.000Z', end: '2009-01-14T23:51:20.000Z', duration: 5 };
    expect(rows.map(callOf)).toEqual([
      { ...call, billsec: 5, disposition: 'answered' },
      { ...call, billsec: 0, disposition: 'failed' },
      { ...call, billsec: 0, disposition: 'no_answer' },
      { ...call, billsec: 0, disposition: 'busy' },
    ]);
    expect(rows.map((r) => r.callerName)).toEqual(['Test User', 'Test User', 'Test User', 'Test User']);
    const first = await detail(rows[0]!);
    expect({ nativeId: first.nativeId, line: first.source.line }).toEqual({ nativeId: '1231977075.0', line: 1 });
    expect((await detail(rows[3]!)).source.line).toBe(5);
  });

  it('cdrlib/buggy.csv: a record cut inside its last quoted field is a reject, not a call', async () => {
    const id = await device('asterisk-csv', 'UTC');
    await importChecked(id, 'asterisk-csv/testsuite-cdrlib-buggy.csv', { received: 1, stored: 0, duplicates: 0, rejected: 1, skipped: 0 }, [
      /^line 1: column 18: quoted field is not closed before the end of the line$/,
    ]);
  });
});

describe('Asterisk cdr_custom with the stock cdr_custom.conf mapping (KelySaina/cdr, PJSIP, UTC+3)', () => {
  const file = 'asterisk-csv/kelysaina-cdr_custom-Master.csv';

  it('an asterisk-csv device reads every one of the 14 lines into a call or a reject that names its line', async () => {
    const id = await device('asterisk-csv', 'Indian/Antananarivo');
    const result = await importReal(id, file);
    expect(result.received).toBe(14);
    expect(result.stored + result.duplicates + result.rejected).toBe(14);
    for (const reject of result.rejects) expect(reject.reason).toMatch(/^line (?:[1-9]|1[0-4]): /);
    expect(storedCount(id)).toBe(result.stored);
  });

  it('a generic-csv device with the columns mapped by index stores all 14 calls as written', async () => {
    const id = await device('generic-csv', 'Indian/Antananarivo', {
      formatOptions: {
        header: false,
        columns: { caller: 1, callee: 2, start: 8, answer: 9, end: 10, duration: 11, billsec: 12, disposition: 13, accountCode: 15, nativeId: 16 },
      },
    });
    await importChecked(id, file, { received: 14, stored: 14, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await rowsOf(id);
    expect(callOf(rows[0]!)).toEqual({
      caller: 'client1', callee: '6789', start: '2023-07-25T22:51:32.000Z', answer: '2023-07-25T22:51:50.000Z', end: '2023-07-25T22:52:04.000Z', duration: 31, billsec: 13, disposition: 'answered',
    });
    // Unanswered: empty answer time; the file says 30 s although its end is 31 s after its start.
    expect(callOf(rows[1]!)).toEqual({
      caller: 'client2', callee: '1234', start: '2023-07-25T22:52:11.000Z', answer: null, end: '2023-07-25T22:52:42.000Z', duration: 30, billsec: 0, disposition: 'no_answer',
    });
    expect(callOf(rows[13]!)).toEqual({
      caller: 'client2', callee: '1234', start: '2023-07-26T06:25:00.000Z', answer: '2023-07-26T06:25:02.000Z', end: '2023-07-26T06:25:04.000Z', duration: 4, billsec: 2, disposition: 'answered',
    });
    expect((await detail(rows[0]!)).nativeId).toBe('1690325492.2');
    expect(rows.filter((r) => r.disposition === 'no_answer').map((r) => r.start)).toEqual([
      '2023-07-25T22:52:11.000Z',
      '2023-07-25T23:23:06.000Z',
      '2023-07-25T23:53:44.000Z',
    ]);
  });
});

describe('cucm: Cisco Unified CM flat file, 133 columns (sieteunoseis/cisco-cucm-cdr)', () => {
  it('reads a phone-to-phone call and the two legs of its built-in-bridge recording; header and type lines skipped', async () => {
    const id = await device('cucm', 'America/Los_Angeles');
    await importChecked(id, 'cucm/cisco-cucm-cdr-examples-cdr.txt', { received: 3, stored: 3, duplicates: 0, rejected: 0, skipped: 2 });
    const rows = await rowsOf(id);
    const call = rows.find((r) => r.caller === '5033466594')!;
    expect(callOf(call)).toEqual({
      caller: '5033466594', callee: '5033466593', start: '2025-04-18T16:32:08.000Z', answer: '2025-04-18T16:32:10.000Z', end: '2025-04-18T16:32:21.000Z', duration: 13, billsec: 11, disposition: 'answered',
    });
    const callDetail = await detail(call);
    expect({ nativeId: callDetail.nativeId, cause: callDetail.cause, finalCallee: callDetail.finalCallee }).toEqual({
      nativeId: '2:25447',
      cause: '16',
      finalCallee: '5033466593',
    });

    // The recording legs (callers b00…, partition InformLabRecording) were never connected: nothing to bill.
    const recordingLegs = rows.filter((r) => r.caller.startsWith('b00'));
    expect(recordingLegs.map((r) => ({ caller: r.caller, callee: r.callee, start: r.start, billsec: r.billsec }))).toEqual([
      { caller: 'b002179144511001', callee: '5030079981', start: '2025-04-18T16:32:10.000Z', billsec: 0 },
      { caller: 'b002179144411001', callee: '5030079981', start: '2025-04-18T16:32:10.000Z', billsec: 0 },
    ]);
    expect((await Promise.all(recordingLegs.map(detail))).map((d) => d.nativeId)).toEqual(['2:25449', '2:25448']);
  });
});

describe('yeastar: the NewCdr samples of the Yeastar S-Series API guide (Asia/Shanghai)', () => {
  it('reads the internal, outbound and inbound samples with their trunks and directions', async () => {
    const id = await device('yeastar', 'Asia/Shanghai');
    await importChecked(id, 'yeastar/yeastar-s-series-api-guide-newcdr.jsonl', { received: 3, stored: 3, duplicates: 0, rejected: 0, skipped: 0 });
    const rows = await rowsOf(id);
    expect(rows.map((r) => ({ caller: r.caller, callee: r.callee, start: r.start, duration: r.duration, billsec: r.billsec, disposition: r.disposition, direction: r.direction }))).toEqual([
      { caller: '1002', callee: '1000', start: '2017-05-25T14:15:10.000Z', duration: 3, billsec: 2, disposition: 'answered', direction: 'internal' },
      { caller: '102', callee: '1000', start: '2017-09-14T01:27:25.000Z', duration: 38, billsec: 29, disposition: 'answered', direction: 'inbound' },
      { caller: '1000', callee: '91000', start: '2017-09-14T01:30:15.000Z', duration: 29, billsec: 29, disposition: 'answered', direction: 'outbound' },
    ]);
    const [internal, inbound, outbound] = await Promise.all(rows.map(detail));
    expect(internal!.nativeId).toBe('1495779310.371');
    expect({ nativeId: inbound!.nativeId, trunkIn: inbound!.trunkIn, trunkOut: inbound!.trunkOut }).toEqual({ nativeId: '1505352445.265', trunkIn: 'Apple_test', trunkOut: null });
    expect({ nativeId: outbound!.nativeId, trunkIn: outbound!.trunkIn, trunkOut: outbound!.trunkOut }).toEqual({ nativeId: '1505352615.274', trunkIn: null, trunkOut: 'Apple_test' });
  });
});
