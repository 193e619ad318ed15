/**
 * The statistics zone: stored at the first start; changing it counts the rollups again in the new zone in the
 * background (statistics stay exact meanwhile, read from the CDRs); a database whose rollups were never counted gets
 * them counted at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import { startEngine } from '../src-main/engine';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, recountFromCdrs, type StatsDataSet } from './helpers/stats-data';
import { parseMoney } from '../src-shared/domain/money';
import path from 'node:path';

let t: TestEngine;
let admin: string;
let clerk: string;
let data: StatsDataSet;
const FIRST = Date.UTC(2026, 3, 1, 5);

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  data = await createStatsDataSet(t, clerk, FIRST, 4, 300);
}, 60_000);
afterAll(() => t.dispose());

const amountOf = (kind: 'enterprise', from: number, to: number) => {
  let sum = 0;
  for (const byType of recountFromCdrs(t, kind, from, to).values()) for (const f of byType.values()) sum += f.amount;
  return sum;
};

describe('statistics time zone', () => {
  it('is stored at the first start and shown in the settings', async () => {
    const settings = await t.call('stats.settings', {}, clerk);
    expect(settings.rollupTimeZone).toBe(settings.timeZone);
    expect(t.services.db.prepare("SELECT value FROM settings WHERE key = 'statistics'").pluck().get()).toContain(settings.timeZone);
    expect((await t.call('settings.get', {}, admin)).statistics.timeZone).toBe(settings.timeZone);
  });

  it('changing it counts the rollups again in the new zone; figures stay exact meanwhile', async () => {
    const zone = 'Pacific/Auckland';
    const started = await t.call('stats.setTimeZone', { timeZone: zone }, admin);
    expect(started.timeZone).toBe(zone);
    // While it runs the rollups are not read: figures come from the CDRs, still equal to the recount.
    if (started.rebuild) {
      const during = await t.call('stats.enterprise', { from: data.from, to: data.to }, clerk);
      expect(during.source.kind).toBe('cdrs');
      expect(parseMoney(during.totals.total.amount)).toBe(amountOf('enterprise', data.from, data.to));
    }
    await t.services.statistics.rebuilt();
    expect(await t.call('stats.settings', {}, clerk)).toEqual({ timeZone: zone, rollupTimeZone: zone });
    const calendar = calendarOf(zone);
    const from = calendar.startOfDay(calendar.dayOf(data.from) + 1);
    const to = calendar.startOfDay(calendar.dayOf(data.from) + 3);
    const table = await t.call('stats.enterprise', { from, to }, clerk);
    expect(table.period.timeZone).toBe(zone);
    expect(table.source.kind).toBe('rollups');
    expect(parseMoney(table.totals.total.amount)).toBe(amountOf('enterprise', from, to));
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);
    const log = await t.call('logs.operation', { limit: 10 }, admin);
    expect(log.rows.some((r) => r.method === 'stats.setTimeZone')).toBe(true);
  });

  it('only an admin changes it', async () => {
    await expect(t.call('stats.setTimeZone', { timeZone: 'UTC' }, clerk)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('rollups never counted (a database from before statistics) are counted at start', async () => {
    const before = await t.call('stats.enterprise', { from: data.from - 86_400_000, to: data.to + 86_400_000 }, clerk);
    await t.stop();
    // What a database from before migration 0010 looks like after it: no rows, no zone.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dataDir, 'billing.db'));
    db.exec('DELETE FROM stats_daily; UPDATE stats_state SET time_zone = NULL, built_at = NULL');
    db.close();
    const engine = await startEngine({ dataDir: t.dataDir, http: false, consoleLogLevel: 'silent', resourcesDir: path.resolve('resources') });
    try {
      expect(engine.services.statistics.rollups.current.timeZone).toBe('Pacific/Auckland');
      expect(engine.services.db.prepare('SELECT COUNT(*) FROM stats_daily').pluck().get()).toBeGreaterThan(0);
      expect((await engine.services.statistics.verify()).ok).toBe(true);
      const token = ((await engine.dispatcher.call('auth.login', { username: 'admin', password: 'Admin-pass-123' }, { transport: 'internal', address: '127.0.0.1' })) as { token: string }).token;
      const after = (await engine.dispatcher.call('stats.enterprise', { from: data.from - 86_400_000, to: data.to + 86_400_000 }, { transport: 'internal', address: '127.0.0.1', token })) as typeof before;
      expect(after.totals).toEqual(before.totals);
      expect(after.rows).toEqual(before.rows);
    } finally {
      await engine.stop();
    }
  });
});
