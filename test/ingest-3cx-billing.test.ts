/**
 * A 3CX file as 3CX v16 wrote it in 2020 (`Call 7781` before the history id, callers as `Ext.114`, call types
 * `Internal` / `External`) bills each outbound call once, to the user whose extension made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup, sampleBase64 } from './helpers/sample-billing';

const FILE = '3cx-v16-internal-external.txt';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
});
afterAll(() => t.dispose());

interface CdrRow {
  native_id: string;
  caller: string;
  callee: string;
  direction: string;
  status: string;
  status_reason: string | null;
  call_type: string | null;
  cost: number | null;
  user_account_id: number | null;
}

describe('3CX: a call is billed to the user of the extension that made it', () => {
  it('charges every outbound call of Ext.114 once to the user owning extension 114, with exact money', async () => {
    const groupId = await createSampleRateGroup(t, clerk);
    // 3CX writes the number as dialled (no route prefix to strip); its extensions have three digits.
    const deviceId = await createSampleDevice(t, clerk, { name: '3CX Beijing', format: '3cx', extensionPattern: '1\\d{2}' }, false);
    const enterprise = await t.call('enterprises.create', { name: '3CX customer', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
    await t.call('accounts.recharge', { accountId: enterprise.id, amount: '100', reason: 'opening balance' }, clerk);
    const liWei = await t.call('userAccounts.create', { enterpriseId: enterprise.id, name: 'Li Wei', extensions: [{ deviceId, number: '114' }] }, clerk);
    const zhangMin = await t.call('userAccounts.create', { enterpriseId: enterprise.id, name: 'Zhang Min', extensions: [{ deviceId, number: '115' }] }, clerk);

    const result = await t.call('cdrs.import', { deviceId, fileName: FILE, content: sampleBase64(FILE) }, clerk);
    // 13 lines: 12 calls and the first call sent again.
    expect(result).toMatchObject({ received: 13, stored: 12, duplicates: 1, rejected: 0, skipped: 0, headerLines: 0 });

    const rows = t.services.db
      .prepare('SELECT native_id, caller, callee, direction, status, status_reason, call_type, cost, user_account_id FROM cdrs WHERE device_id = ? ORDER BY CAST(native_id AS INTEGER)')
      .all(deviceId) as CdrRow[];
    const outboundOf114 = rows.filter((r) => r.caller === '114' && r.direction === 'outbound');
    // README worked examples: 122 s domestic 0.6300; 600 s to the UK 8.1000; unanswered 0; 180 s domestic 0.9000;
    // 6 s domestic: 6 s at 0.30 a minute = 0.0300; failed 0.
    expect(outboundOf114.map((r) => [r.native_id, r.callee, r.call_type, r.cost, r.status, r.user_account_id])).toEqual([
      ['7781', '02150001234', 'domestic', 6300, 'rated', liWei.id],
      ['7784', '0044207946000', 'international', 81000, 'rated', liWei.id],
      ['7785', '62345678', 'local', 0, 'rated', liWei.id],
      ['7787', '13912345678', 'domestic', 9000, 'rated', liWei.id],
      ['7791', '02150001234', 'domestic', 300, 'rated', liWei.id],
      ['7792', '0044207946000', 'international', 0, 'rated', liWei.id],
    ]);
    // Li Wei pays for what 114 dialled and for nothing else: not for the call she answered, nor for 112 calling her.
    expect(rows.filter((r) => r.user_account_id === liWei.id).map((r) => r.native_id)).toEqual(['7781', '7784', '7785', '7787', '7790', '7791', '7792']);
    expect(rows.find((r) => r.native_id === '7790')).toMatchObject({ callee: '124', direction: 'internal', call_type: 'internal', cost: 0 });
    expect(rows.find((r) => r.native_id === '7782')).toMatchObject({ caller: '115', cost: 2200, user_account_id: zhangMin.id });
    for (const id of ['7783', '7786', '7788', '7789']) {
      const row = rows.find((r) => r.native_id === id)!;
      expect(row.status).toBe('unrated');
      expect(JSON.parse(row.status_reason!)).toMatchObject({ key: 'charging.noPayer' });
    }

    const charges = await t.call('accounts.ledger', { accountId: liWei.id, kinds: ['charge'], limit: 100 }, clerk);
    expect(charges.rows).toHaveLength(7);
    expect(charges.rows.map((r) => r.amount).sort()).toEqual(['-0.0300', '-0.6300', '-0.9000', '-8.1000', '0.0000', '0.0000', '0.0000']);
    // 100 - (0.63 + 8.10 + 0.90 + 0.03) for Li Wei - 0.22 for Zhang Min.
    expect((await t.call('enterprises.get', { id: enterprise.id }, clerk)).balance).toBe('90.1200');

    // The same file again (3CX re-sends after a reconnect; a clerk imports twice): nothing is charged twice.
    const again = await t.call('cdrs.import', { deviceId, fileName: FILE, content: sampleBase64(FILE) }, clerk);
    expect(again).toMatchObject({ received: 13, stored: 0, duplicates: 13 });
    expect((await t.call('accounts.ledger', { accountId: liWei.id, kinds: ['charge'], limit: 100 }, clerk)).rows).toHaveLength(7);
    expect((await t.call('enterprises.get', { id: enterprise.id }, clerk)).balance).toBe('90.1200');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });

});

describe('header lines of device files and collector captures', () => {
  it('counts them as header lines on every import: neither a reject in one file nor a duplicate in the next', async () => {
    const cases = [
      { format: '3cx' as const, file: '3cx-v20-collector-header.csv', calls: 6, rejected: 1, headers: 2 },
      { format: 'ipoffice-smdr' as const, file: 'ipoffice-smdr-collector-header.txt', calls: 5, rejected: 0, headers: 1 },
      { format: 'yeastar' as const, file: 'yeastar-collector.csv', calls: 4, rejected: 1, headers: 2 },
      { format: 'generic-csv' as const, file: 'generic-semicolon.csv', calls: 3, rejected: 1, headers: 1 },
    ];
    for (const c of cases) {
      const formatOptions =
        c.format === 'generic-csv'
          ? { delimiter: ';', columns: { start: 'Datum', caller: 'Von', callee: 'Nach', billsec: 'Dauer', nativeId: 'ID' }, dateFormat: 'DD.MM.YYYY HH:mm:ss', durationUnit: 'hms' }
          : undefined;
      const deviceId = await createSampleDevice(t, clerk, { name: `headers ${c.format}`, format: c.format, formatOptions }, false);
      const first = await t.call('cdrs.import', { deviceId, fileName: c.file, content: sampleBase64(c.file) }, clerk);
      expect(first).toMatchObject({ received: c.calls + c.rejected, stored: c.calls, rejected: c.rejected, duplicates: 0, skipped: c.headers, headerLines: c.headers });
      // The collector's next file starts with the same header line.
      const next = await t.call('cdrs.import', { deviceId, fileName: `next-${c.file}`, content: sampleBase64(c.file) }, clerk);
      expect(next).toMatchObject({ stored: 0, rejected: 0, duplicates: c.calls + c.rejected, skipped: c.headers, headerLines: c.headers });
      const rejects = await t.call('cdrs.rejects', { deviceId }, clerk);
      expect(rejects.rows.every((r) => !/DATETIME|time_start|timestart|Datum/.test(r.raw))).toBe(true);
    }
  });
});
