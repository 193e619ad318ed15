/**
 * Batch import of user accounts through the real path: a running engine, `userAccounts.import` called through the
 * dispatcher with the file as base64 (read, checked row by row against enterprises, devices and card numbers, applied
 * in one transaction), for 100,000 users each with an extension and a card number, as .csv and as .xlsx. PINs are
 * hashed with scrypt (about 50 ms each on one core), so they are measured apart, on a file where every row has one.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { startEngine, type Engine } from '../src-main/engine';
import { defineBench, type BenchContext } from './harness';

const USERS = 100_000;
const ENTERPRISES = 50;
const WITH_PINS = 200;
const ADMIN_PASSWORD = 'Bench-admin-pass-1';
const HEADINGS = ['Enterprise', 'Name', 'Code', 'Extensions', 'Card number', 'PIN', 'Own balance', 'Credit limit', 'Notes'];

function userRows(count: number, withPins: boolean): string[][] {
  return Array.from({ length: count }, (_, i) => [
    `Enterprise ${i % ENTERPRISES}`,
    `User ${String(i).padStart(6, '0')}`,
    `U${i}`,
    String(100_000 + i),
    String(70_000_000 + i),
    withPins ? String(1000 + (i % 9000)) : '',
    i % 10 === 0 ? 'yes' : 'no',
    i % 10 === 0 ? '20.00' : '',
    i % 3 === 0 ? '财务部' : '',
  ]);
}

function csvFile(rows: string[][]): Buffer {
  return Buffer.from([HEADINGS, ...rows].map((r) => r.join(',')).join('\r\n'), 'utf8');
}

async function xlsxFile(rows: string[][], file: string): Promise<Buffer> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Users');
  sheet.addRow(HEADINGS).commit();
  for (const r of rows) sheet.addRow(r).commit();
  sheet.commit();
  await workbook.commit();
  return fs.readFileSync(file);
}

interface BenchEngine {
  engine: Engine;
  call(method: string, input: unknown): Promise<unknown>;
}

async function engineWithEnterprises(ctx: BenchContext): Promise<BenchEngine> {
  const engine = await startEngine({ dataDir: ctx.tmpDir(), http: false, cdrListener: false, adminPassword: ADMIN_PASSWORD, consoleLogLevel: 'silent', resourcesDir: path.resolve('resources') });
  const caller = { transport: 'internal' as const, address: 'bench' };
  const { token } = (await engine.dispatcher.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, caller)) as { token: string };
  const call = (method: string, input: unknown) =>
    engine.dispatcher.call(method, input, { ...caller, token }).catch((err: { message?: string; details?: unknown }) => {
      throw new Error(`${method}: ${err.message} ${JSON.stringify(err.details ?? '').slice(0, 2000)}`);
    });
  // A first start loads the default attribution data in the background: the import is measured on a settled engine.
  await engine.services.rating.ready();
  const group = (await call('rateGroups.create', { name: 'Standard' })) as { id: number };
  await call('devices.create', {
    name: 'Beijing HQ',
    format: 'asterisk-csv',
    timeZone: 'Asia/Shanghai',
    countryCode: '86',
    areaCode: '10',
    nationalPrefix: '0',
    internationalPrefix: '00',
    extensionPattern: '\\d{6}',
    addresses: ['127.0.0.1'],
  });
  for (let i = 0; i < ENTERPRISES; i++) await call('enterprises.create', { name: `Enterprise ${i}`, rateGroupId: group.id, billingMode: 'prepaid' });
  return { engine, call };
}

async function timedImport(ctx: BenchContext, fileName: string, bytes: Buffer): Promise<{ seconds: number; result: Record<string, number> }> {
  const { engine, call } = await engineWithEnterprises(ctx);
  try {
    const content = bytes.toString('base64');
    const started = performance.now();
    const result = (await call('userAccounts.import', { fileName, content })) as Record<string, number>;
    return { seconds: (performance.now() - started) / 1000, result };
  } finally {
    await engine.stop();
  }
}

export default defineBench('accounts', async (ctx) => {
  const rows = userRows(USERS, false);
  const csv = csvFile(rows);
  const xlsx = await xlsxFile(rows, path.join(ctx.tmpDir(), 'users.xlsx'));
  const mb = (b: Buffer) => (b.length / 1024 / 1024).toFixed(1);
  const load = () => `load average ${(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?')} on this shared machine`;

  for (const [format, bytes] of [['csv', csv], ['xlsx', xlsx]] as const) {
    const { seconds, result } = await timedImport(ctx, `users.${format}`, bytes);
    if (result.created !== USERS) throw new Error(`expected ${USERS} users, got ${JSON.stringify(result)}`);
    ctx.record({
      name: `userAccounts.import of 100,000 users, .${format}`,
      value: Number(seconds.toFixed(2)),
      unit: 's',
      target: '< 10',
      ok: seconds < 10,
      notes: `${mb(bytes)} MB file as base64 through the dispatcher into ${ENTERPRISES} enterprises; every user with an extension and a card number, no PINs; ${result.extensionsAssigned} extensions; ${load()}`,
    });
  }

  // PINs: every row of a small file carries one; the time beyond the same file without PINs is the hashing.
  const small = userRows(WITH_PINS, false);
  const withoutPins = await timedImport(ctx, 'no-pins.csv', csvFile(small));
  const withPins = await timedImport(ctx, 'pins.csv', csvFile(userRows(WITH_PINS, true)));
  const perPinMs = ((withPins.seconds - withoutPins.seconds) * 1000) / WITH_PINS;
  ctx.record({
    name: `PIN hashing during userAccounts.import (scrypt N=2^15, 4 at a time)`,
    value: Number(perPinMs.toFixed(1)),
    unit: 'ms per PIN',
    notes: `${WITH_PINS} rows with PINs took ${withPins.seconds.toFixed(2)} s, the same rows without ${withoutPins.seconds.toFixed(2)} s; 100,000 PINs would add about ${Math.round((perPinMs * USERS) / 1000)} s: only rows that carry a PIN are hashed`,
  });

  // Export of the 100,000 users (the same engine as a clerk would use after the import).
  const { engine, call } = await engineWithEnterprises(ctx);
  try {
    await call('userAccounts.import', { fileName: 'users.csv', content: csv.toString('base64') });
    const started = performance.now();
    const ticket = (await call('userAccounts.export', { format: 'xlsx', timeZone: 'Asia/Shanghai' })) as { rows: number; sizeBytes: number };
    const seconds = (performance.now() - started) / 1000;
    ctx.record({
      name: 'userAccounts.export of 100,000 users, .xlsx',
      value: Number(seconds.toFixed(2)),
      unit: 's',
      notes: `${ticket.rows} rows, ${(ticket.sizeBytes / 1024 / 1024).toFixed(1)} MB, streamed to the download folder`,
    });
  } finally {
    await engine.stop();
  }
});
