/**
 * Balance alerts raised while charging a batch are announced only once the batch is committed: a group commit that
 * rolls back and stores its batches one by one announces a freeze once, not once per attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCdrText } from '../src-main/ingest/adapters/registry';
import { GroupCommitter } from '../src-main/ingest/group-commit';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';
import { fixture } from './ingest-helpers';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
});
afterAll(() => t.dispose());

describe('balance alerts of a group commit', () => {
  it('are announced once, after the batch that raised them is committed', async () => {
    const group = await createSampleRateGroup(t, clerk);
    const e = await t.call('enterprises.create', { name: 'Thin Co', rateGroupId: group, billingMode: 'prepaid', freezeWhenExhausted: true }, clerk);
    await t.call('accounts.recharge', { accountId: e.id, amount: '1', reason: 'start' }, clerk);
    const deviceId = await createSampleDevice(t, clerk, { defaultEnterpriseId: e.id });
    const alerts: { accountId: number; state: string; frozen?: boolean }[] = [];
    const off = t.services.events.subscribe((m) => {
      if (m.event === 'accounts.alert') alerts.push(m.data as (typeof alerts)[number]);
    });
    const parse = (text: string) => parseCdrText('asterisk-csv', text, { deviceId: String(deviceId), timeZone: 'Asia/Shanghai' });
    const committer = new GroupCommitter(t.services.cdrWriter);
    // The calls cost 9.85: the balance of 1.00 is exhausted and the account frozen. The other batch fails (no such
    // device), so the round is rolled back and each batch stored alone.
    const results = await Promise.allSettled([
      committer.submit(deviceId, { kind: 'tcp', name: 'tcp#1' }, parse(fixture('asterisk-master.csv'))),
      committer.submit(999_999, { kind: 'tcp', name: 'tcp#2' }, parse(fixture('asterisk-master.csv'))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await new Promise((resolve) => setImmediate(resolve));
    off();
    expect((await t.call('enterprises.get', { id: e.id }, clerk)).status).toBe('frozen');
    expect(alerts.filter((a) => a.accountId === e.id)).toEqual([expect.objectContaining({ state: 'exhausted', frozen: true })]);
  });
});
