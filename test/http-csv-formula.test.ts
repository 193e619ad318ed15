/**
 * CSV exports as a spreadsheet program opens them: text that would run as a formula (a caller name a PBX passed on,
 * set by whoever placed the call) gets a leading apostrophe; phone numbers stay as they are.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadTicket } from '../src-shared/api/downloads';
import type { NormalizedCdr } from '../src-shared/domain/cdr';
import { createCdrWorld, storeCdrs, type CdrWorld } from './helpers/cdr-data';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let w: CdrWorld;
const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
const FORMULA = '=HYPERLINK("//evil.example/","x")';

const call = (n: number, caller: string, callerName: string): NormalizedCdr => ({
  deviceId: String(w.devices.beijing),
  format: 'asterisk-csv',
  nativeId: `formula-${n}`,
  dedupKey: `formula-${n}`,
  startMs: T0 + n * 60_000,
  answerMs: T0 + n * 60_000 + 4000,
  endMs: T0 + n * 60_000 + 64_000,
  duration: 64,
  billsec: 60,
  caller,
  callerName,
  callee: '902150001234',
  direction: 'outbound',
  disposition: 'answered',
  raw: `"formula-${n}"`,
  position: { line: n },
});

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  w = await createCdrWorld(t);
  storeCdrs(t, w.devices.beijing, [
    call(1, '+8613800138000', FORMULA),
    call(2, '+86 138 0013 8000', '+HYPERLINK("//evil.example/")'),
    call(3, '-5', '@SUM(A1)'),
  ]);
}, 60_000);
afterAll(() => t.dispose());

async function fetchTicket(ticket: DownloadTicket): Promise<string> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, w.token);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) return Buffer.concat(parts).toString('utf8');
  }
}

describe('CDR CSV export and spreadsheet formulas', () => {
  it('prefixes caller names that start like a formula and leaves phone numbers unchanged', async () => {
    const ticket = await t.call('exports.cdrs', { format: 'csv', timeZone: 'UTC' }, w.token);
    const records = parse((await fetchTicket(ticket)).slice(1), { relax_column_count: true }) as string[][];
    const headings = records.find((r) => r[0] === 'Start')!;
    const caller = headings.indexOf('Caller');
    const name = headings.indexOf('Caller name');
    const rows = records.filter((r) => r.length === headings.length && r !== headings && !/^(Subtotal|Total)/.test(r[0]!));
    const byCaller = new Map(rows.map((r) => [r[caller]!, r[name]!]));
    expect(byCaller.get('+8613800138000')).toBe(`'${FORMULA}`);
    expect(byCaller.get('+86 138 0013 8000')).toBe(`'+HYPERLINK("//evil.example/")`);
    expect(byCaller.get('-5')).toBe("'@SUM(A1)");
    expect(records.flat()).not.toContain(FORMULA);
  });
});
