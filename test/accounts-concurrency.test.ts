import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
});
afterAll(() => t.dispose());

// Four batches of the file import (5,000 lines each): recharges get their turns between them.
const CALLS = 20_000;

/** Asterisk Master.csv lines of `count` answered domestic calls from extension 8001, one a minute from 2026-03-02. */
function domesticCalls(count: number): { csv: string; billsecs: number[] } {
  const lines: string[] = [];
  const billsecs: number[] = [];
  const start = Date.UTC(2026, 2, 2, 0, 0, 0);
  const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  for (let i = 0; i < count; i++) {
    const billsec = 1 + ((i * 37) % 900);
    const at = start + i * 60_000;
    const callee = `9021${String(50_000_000 + i).padStart(8, '0')}`;
    lines.push(
      `"ent-a","8001","${callee}","from-internal","""Li Wei"" <8001>","PJSIP/8001-${i}","PJSIP/trunk-cn-${i}","Dial","PJSIP/${callee.slice(1)}@trunk-cn,60",` +
        `"${local(at)}","${local(at + 2000)}","${local(at + 2000 + billsec * 1000)}",${billsec + 2},${billsec},"ANSWERED","DOCUMENTATION"`,
    );
    billsecs.push(billsec);
  }
  return { csv: lines.join('\n') + '\n', billsecs };
}

describe('recharges while an import charges the same account', () => {
  it('ends on the exact balance, and the ledger check passes', async () => {
    const groupId = await createSampleRateGroup(t, clerk);
    const deviceId = await createSampleDevice(t, clerk);
    const enterprise = await t.call('enterprises.create', { name: 'Busy Co', rateGroupId: groupId, billingMode: 'prepaid', creditLimit: '100000' }, clerk);
    await t.call('userAccounts.create', { enterpriseId: enterprise.id, name: 'Li Wei', extensions: [{ deviceId, number: '8001' }] }, clerk);
    await t.call('accounts.recharge', { accountId: enterprise.id, amount: '50', reason: 'opening balance' }, clerk);

    const { csv, billsecs } = domesticCalls(CALLS);
    // Domestic default: 0.30 per 60 s in 6 s steps = 0.03 (300 units) a started step.
    const expectedCost = billsecs.reduce((sum, b) => sum + Math.ceil(b / 6) * 300, 0);

    let importing = true;
    const imported = t
      .call('cdrs.import', { deviceId, fileName: 'busy.csv', content: Buffer.from(csv).toString('base64') }, clerk)
      .finally(() => (importing = false));
    let recharges = 0;
    while (importing) {
      await t.call('accounts.recharge', { accountId: enterprise.id, amount: '1.25', reason: `top-up ${recharges}` }, clerk);
      recharges++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await imported;
    expect(result).toMatchObject({ received: CALLS, stored: CALLS, rated: CALLS, unrated: 0, rejected: 0 });
    // The recharges ran while the import was charging, not only before or after it.
    expect(recharges).toBeGreaterThan(1);
    const interleaved = t.services.db
      .prepare(
        `SELECT COUNT(*) FROM ledger r WHERE r.account_id = ? AND r.kind = 'recharge' AND r.reason LIKE 'top-up %'
           AND EXISTS (SELECT 1 FROM ledger c WHERE c.account_id = r.account_id AND c.kind = 'charge' AND c.id < r.id)
           AND EXISTS (SELECT 1 FROM ledger c WHERE c.account_id = r.account_id AND c.kind = 'charge' AND c.id > r.id)`,
      )
      .pluck()
      .get(enterprise.id) as number;
    expect(interleaved).toBeGreaterThan(0);

    const charged = t.services.db.prepare("SELECT SUM(cost) FROM cdrs WHERE device_id = ? AND status = 'rated'").pluck().get(deviceId) as number;
    expect(charged).toBe(expectedCost);
    const expectedBalance = 50 * 10_000 + recharges * 12_500 - expectedCost;
    const balance = t.services.db.prepare('SELECT balance FROM accounts WHERE id = ?').pluck().get(enterprise.id) as number;
    expect(balance).toBe(expectedBalance);
    const check = await t.call('accounts.verify', {}, clerk);
    expect(check).toMatchObject({ ok: true, balanceMismatches: [], ratedWithoutCharge: 0, costMismatches: 0 });
  });
});
