import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextBackupAt, previousBackupAt, wallTimeToEpoch } from '../src-main/system/backup/schedule';
import { sectionTexts } from '../src-main/system/system-info';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
});
afterAll(() => t.dispose());

describe('system.info', () => {
  it('tells version, storage, resources and row counts, to every reading role', async () => {
    const auditor = await t.loginAs('auditor');
    const info = await t.call('system.info', {}, auditor);
    expect(info.software).toMatchObject({ version: '0.0.0-test', build: 'test', node: process.versions.node });
    expect(info.storage.dataDir).toBe(t.dataDir);
    expect(info.storage.databaseFile).toBe(`${t.dataDir}/billing.db`);
    const onDisk = ['', '-wal', '-shm'].reduce((sum, s) => sum + (fs.existsSync(`${t.dataDir}/billing.db${s}`) ? fs.statSync(`${t.dataDir}/billing.db${s}`).size : 0), 0);
    expect(info.storage.databaseBytes).toBe(onDisk);
    const disk = fs.statfsSync(t.dataDir);
    expect(info.storage.diskTotalBytes).toBe(disk.blocks * disk.bsize);
    expect(info.storage.diskFreeBytes).toBeGreaterThan(0);
    expect(info.resources.processRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(info.resources.machineCpuCores).toBeGreaterThan(0);
    expect(info.resources.processCpuPercent).toBeGreaterThanOrEqual(0);
    expect(info.resources.machineCpuPercent).toBeLessThanOrEqual(100);
    const tables = Object.fromEntries(info.tables.map((x) => [x.name, x.rows]));
    expect(tables.system_accounts).toBe(2); // admin and this auditor
    expect(tables.schema_migrations).toBeGreaterThan(0);
    expect(info.backup.last).toBeUndefined();
    expect(info.backup.nextRunAt).toBeDefined();
  });

  it('shows the last backup', async () => {
    const file = await t.call('system.backup', {}, admin);
    expect((await t.call('system.info', {}, admin)).backup.last).toMatchObject({ fileName: file.fileName, sha256: file.sha256 });
  });

  it('carries the sections the engine and other domains register; a failing one shows its error, not a failed call', async () => {
    const own = (await t.call('system.info', {}, admin)).sections;
    expect(Object.keys(own).sort()).toEqual(['cdrs', 'ledger', 'rating', 'retention']);
    expect(() => t.services.systemInfo.register('cdrs', () => ({ title: { key: 'system.x', text: 'x' }, items: [] }))).toThrow(/registered twice/);
    const text = sectionTexts('probe');
    const offProbe = t.services.systemInfo.register('probe', () => ({
      title: text('title', 'Probe'),
      items: [{ key: 'device:3', label: text('deviceToday', 'Stored today: {{device}}', { device: 'Beijing HQ' }), value: 0, unit: 'count' }],
    }));
    const offBroken = t.services.systemInfo.register('ingest-probe', () => {
      throw new Error('listener state unavailable');
    });
    try {
      const { sections } = await t.call('system.info', {}, admin);
      // Labels travel as keys with their params; the English text is filled in for the API's readers.
      expect(sections.probe).toEqual({
        title: { key: 'system.probe.title', text: 'Probe' },
        items: [
          {
            key: 'device:3',
            label: { key: 'system.probe.deviceToday', params: { device: 'Beijing HQ' }, text: 'Stored today: Beijing HQ' },
            value: 0,
            unit: 'count',
          },
        ],
      });
      expect(sections['ingest-probe']).toEqual({
        title: { key: 'system.sectionFailed', params: { name: 'ingest-probe' }, text: 'ingest-probe' },
        error: 'listener state unavailable',
      });
      expect(sections.cdrs).toEqual(own.cdrs);
    } finally {
      offProbe();
      offBroken();
    }
    expect(Object.keys((await t.call('system.info', {}, admin)).sections).sort()).toEqual(['cdrs', 'ledger', 'rating', 'retention']);
  });
});

describe('backup schedule', () => {
  const daily = { schedule: 'daily' as const, timeOfDay: '02:00', weekday: 7, timeZone: 'Asia/Shanghai' };

  it('runs daily at the local time of its zone', () => {
    // 2026-03-02 01:00 in Shanghai is 2026-03-01T17:00Z; 02:00 there is 18:00Z.
    expect(new Date(nextBackupAt(daily, Date.parse('2026-03-01T17:00:00Z'))!).toISOString()).toBe('2026-03-01T18:00:00.000Z');
    expect(new Date(nextBackupAt(daily, Date.parse('2026-03-01T18:00:00Z'))!).toISOString()).toBe('2026-03-02T18:00:00.000Z');
    expect(new Date(previousBackupAt(daily, Date.parse('2026-03-01T17:00:00Z'))!).toISOString()).toBe('2026-02-28T18:00:00.000Z');
    expect(nextBackupAt({ ...daily, schedule: 'off' }, Date.now())).toBeNull();
  });

  it('runs weekly on its ISO weekday', () => {
    const weekly = { ...daily, schedule: 'weekly' as const, weekday: 1, timeZone: 'UTC' }; // Mondays 02:00 UTC
    // 2026-03-04 is a Wednesday: the next Monday is 2026-03-09, the previous one 2026-03-02.
    expect(new Date(nextBackupAt(weekly, Date.parse('2026-03-04T12:00:00Z'))!).toISOString()).toBe('2026-03-09T02:00:00.000Z');
    expect(new Date(previousBackupAt(weekly, Date.parse('2026-03-04T12:00:00Z'))!).toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('follows daylight saving time changes', () => {
    const berlin = { ...daily, timeZone: 'Europe/Berlin' };
    // Before the change (CET, +01:00) and after it (CEST, +02:00) on 2026-03-29.
    expect(new Date(nextBackupAt(berlin, Date.parse('2026-03-28T00:00:00Z'))!).toISOString()).toBe('2026-03-28T01:00:00.000Z');
    // 02:00 does not exist on 2026-03-29 in Berlin: it resolves to 03:00 CEST, the hour after.
    expect(new Date(nextBackupAt(berlin, Date.parse('2026-03-28T12:00:00Z'))!).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(nextBackupAt(berlin, Date.parse('2026-03-29T12:00:00Z'))!).toISOString()).toBe('2026-03-30T00:00:00.000Z');
    expect(new Date(wallTimeToEpoch(2026, 10, 25, 12, 0, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T11:00:00.000Z');
  });
});
