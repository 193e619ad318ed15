/**
 * Long mutations commit in steps (a rerate per chunk of CDRs, a file import per batch of lines). When a step fails,
 * the steps before it stay committed, consistent (ledger check, statistics check), written in the operation log with
 * the error, and running the call again finishes the work without doing any of it twice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { asteriskLine, createStatsDataSet, generateCalls, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let clerk: string;
let data: StatsDataSet;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  data = await createStatsDataSet(t, clerk, Date.UTC(2026, 4, 1), 4, 1_400);
}, 60_000);
afterAll(() => t.dispose());

interface LogRow {
  username: string;
  target: string;
  summary: string;
}
const lastLog = (method: string) =>
  t.services.db.prepare('SELECT username, target, summary FROM operation_log WHERE method = ? ORDER BY id DESC LIMIT 1').get(method) as LogRow | undefined;

describe('a rerate that fails part way', () => {
  it('keeps the chunks it wrote, logs them with the error, and a second run writes only the rest', async () => {
    const db = t.services.db;
    const domestic = (await t.call('rates.list', { rateGroupId: data.groupId }, clerk)).find((r) => r.callType === 'domestic')!;
    await t.call('rates.update', { id: domestic.id, intervals: [{ start: 0, price: '0.50', unit: 60, increment: 6 }] }, clerk);
    const period = { from: new Date(data.from).toISOString(), to: new Date(data.to).toISOString(), deviceId: data.deviceId, reason: 'domestic raised' };
    const preview = await t.call('cdrs.rerate', period, clerk);
    expect(preview.examined).toBeGreaterThan(1_000);
    expect(preview.changed).toBeGreaterThan(0);

    // The rating data becomes unreadable in the middle of the third chunk (500 CDRs a chunk).
    const quote = t.services.rating.quote.bind(t.services.rating);
    let quotes = 0;
    const spy = vi.spyOn(t.services.rating, 'quote').mockImplementation((...args) => {
      if (++quotes > 1_200) throw new Error('rating data unreadable');
      return quote(...args);
    });
    try {
      await expect(t.call('cdrs.rerate', { ...period, preview: false }, clerk)).rejects.toMatchObject({ code: 'internal' });
    } finally {
      spy.mockRestore();
    }
    const entries = db.prepare("SELECT COUNT(*) AS n, IFNULL(SUM(amount), 0) AS amount FROM ledger WHERE kind = 'rerate'").get() as { n: number; amount: number };
    expect(entries.n).toBeGreaterThan(0);
    expect(entries.n).toBeLessThan(preview.changed);
    const log = lastLog('cdrs.rerate')!;
    expect(log).toMatchObject({ username: 'clerk1', target: 'cdrs:rerate' });
    const summary = JSON.parse(log.summary);
    expect(summary).toMatchObject({ error: 'rating data unreadable', committedSoFar: { examined: 1_000, changed: entries.n } });
    expect(Math.round(Number(summary.committedSoFar.difference) * 10_000)).toBe(-entries.amount);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);

    // Again: only what was not written yet; in all, exactly the difference the preview announced.
    const rest = await t.call('cdrs.rerate', { ...period, preview: false }, clerk);
    expect(rest.changed).toBe(preview.changed - entries.n);
    expect(db.prepare("SELECT COUNT(*) AS n, SUM(amount) AS amount FROM ledger WHERE kind = 'rerate'").get()).toEqual({
      n: preview.changed,
      amount: -Math.round(Number(preview.difference) * 10_000),
    });
    expect(JSON.parse(lastLog('cdrs.rerate')!.summary)).not.toHaveProperty('committedSoFar');
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});

describe('a file import that fails part way', () => {
  it('keeps the batches it stored, logs them with the error, and importing the file again adds only the rest', async () => {
    const calls = generateCalls(77, Date.UTC(2026, 4, 10), 2, 6_000, ['8001', '8011'], ['trunk-cn']);
    const content = Buffer.from(calls.map((c, i) => asteriskLine(c, 500_000 + i)).join('\n') + '\n').toString('base64');
    const before = t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;

    // The disk fills up on the second batch of 5,000 lines.
    const store = t.services.cdrStore;
    const storeBatch = store.storeBatch.bind(store);
    let batches = 0;
    const spy = vi.spyOn(store, 'storeBatch').mockImplementation((...args) => {
      if (++batches === 2) throw new Error('SQLITE_FULL: database or disk is full');
      return storeBatch(...args);
    });
    try {
      await expect(t.call('cdrs.import', { deviceId: data.deviceId, fileName: 'big.csv', content }, clerk)).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      spy.mockRestore();
    }
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get()).toBe(before + 5_000);
    const log = lastLog('cdrs.import')!;
    expect(log.target).toBe(`device:${data.deviceId}`);
    expect(JSON.parse(log.summary)).toMatchObject({ fileName: 'big.csv', committedSoFar: { received: 5_000, stored: 5_000 }, error: expect.stringContaining('disk is full') });

    const again = await t.call('cdrs.import', { deviceId: data.deviceId, fileName: 'big.csv', content }, clerk);
    expect(again).toMatchObject({ received: 6_000, stored: 1_000, duplicates: 5_000 });
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get()).toBe(before + 6_000);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
  });
});
