import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../src-shared/api';
import { ApiError } from '../src-shared/api/errors';
import type { SystemInfoSection } from '../src-shared/api/system';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;
let auditor: string;
let groupId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  groupId = (await t.call('rateGroups.create', { name: 'Validation' }, clerk)).id;
});
afterAll(() => t.dispose());

type RateInput = InputOf<'rates.create'>;
const base = (over: Partial<RateInput> = {}): RateInput => ({
  rateGroupId: groupId,
  name: 'Shanghai',
  callType: 'domestic',
  prefix: '21',
  intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }],
  ...over,
});

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  expect((err as ApiError).status).toBe(400);
  return ((err as ApiError).details as { fields: Record<string, string[]> }).fields;
}

describe('rate groups', () => {
  it('start with `local` (default local rate) and `inter` (internal, free)', async () => {
    const group = await t.call('rateGroups.create', { name: 'Fresh group', notes: 'for a test' }, clerk);
    expect(group).toMatchObject({ name: 'Fresh group', currency: 'CNY', rateCount: 2, notes: 'for a test' });
    const rates = await t.call('rates.list', { rateGroupId: group.id }, auditor);
    expect(rates.map((r) => [r.name, r.callType, r.prefix])).toEqual([
      ['local', 'local', ''],
      ['inter', 'internal', ''],
    ]);
    const [local, inter] = rates;
    expect(local!.intervals).toEqual([
      { start: 0, price: '0.2200', unit: 180, increment: 180 },
      { start: 180, price: '0.1100', unit: 60, increment: 60 },
    ]);
    expect(inter!.intervals).toEqual([{ start: 0, price: '0.0000', unit: 60, increment: 60 }]);
    expect(inter!.connectFee).toBe('0.0000');
  });

  it('name their starting rates in the language of the clerk who creates the group', async () => {
    const zh = await t.call('rateGroups.create', { name: '中文费率组', language: 'zh-CN' }, clerk);
    const en = await t.call('rateGroups.create', { name: 'English group', language: 'en' }, clerk);
    const names = async (id: number) => (await t.call('rates.list', { rateGroupId: id }, auditor)).map((r) => [r.name, r.callType]);
    expect(await names(zh.id)).toEqual([
      ['本地通话', 'local'],
      ['内部通话', 'internal'],
    ]);
    expect(await names(en.id)).toEqual([
      ['local', 'local'],
      ['inter', 'internal'],
    ]);
  });

  it('refuse a second group of the same name (409) and can be renamed and deleted with their rates', async () => {
    const group = await t.call('rateGroups.create', { name: 'To delete', currency: 'USD' }, clerk);
    await expect(t.call('rateGroups.create', { name: 'TO DELETE' }, clerk)).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.call('rateGroups.update', { id: group.id, name: 'Renamed' }, clerk)).toMatchObject({ name: 'Renamed', currency: 'USD' });
    await t.call('rateGroups.delete', { id: group.id }, clerk);
    expect((await t.call('rateGroups.list', {}, auditor)).some((g) => g.id === group.id)).toBe(false);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM rates WHERE rate_group_id = ?').pluck().get(group.id)).toBe(0);
    await expect(t.call('rates.list', { rateGroupId: group.id }, auditor)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('are written to the operation log', async () => {
    const group = await t.call('rateGroups.create', { name: 'Logged' }, clerk);
    const row = t.services.db.prepare("SELECT * FROM operation_log WHERE method = 'rateGroups.create' AND target = ?").get(`rateGroup:${group.id}`);
    expect(row).toBeTruthy();
  });
});

describe('rates: stored and shown with money as decimal text', () => {
  it('keeps every field, including a time band and an effective date', async () => {
    const rate = await t.call(
      'rates.create',
      base({
        name: 'Night Shanghai',
        connectFee: '0.1',
        freeSeconds: 3,
        minSeconds: 30,
        effectiveFrom: '2026-01-01T00:00:00+08:00',
        timeBand: { days: [7, 6, 1], from: '22:00', to: '07:00' },
        intervals: [
          { start: 0, price: '0.2', unit: 120, increment: 120 },
          { start: 120, price: '0.3', unit: 60, increment: 60 },
        ],
      }),
      clerk,
    );
    expect(rate).toMatchObject({
      connectFee: '0.1000',
      freeSeconds: 3,
      minSeconds: 30,
      effectiveFrom: '2025-12-31T16:00:00.000Z',
      timeBand: { days: [1, 6, 7], from: '22:00', to: '07:00' },
      intervals: [
        { start: 0, price: '0.2000', unit: 120, increment: 120 },
        { start: 120, price: '0.3000', unit: 60, increment: 60 },
      ],
    });
    expect(t.services.db.prepare('SELECT connect_fee FROM rates WHERE id = ?').pluck().get(rate.id)).toBe(1000);
    const updated = await t.call('rates.update', { id: rate.id, name: 'Night Shanghai (new)' }, clerk);
    expect(updated).toMatchObject({ name: 'Night Shanghai (new)', connectFee: '0.1000', minSeconds: 30, timeBand: { days: [1, 6, 7] } });
    await t.call('rates.delete', { id: rate.id }, clerk);
  });
});

describe('rates: validation through the API (400 with field paths)', () => {
  it('intervals must ascend from 0', async () => {
    expect(await fieldErrors(t.call('rates.create', base({ intervals: [{ start: 10, price: '0.3', unit: 60, increment: 60 }] }), clerk))).toHaveProperty(
      'intervals.0.start',
    );
    const fields = await fieldErrors(
      t.call(
        'rates.create',
        base({
          intervals: [
            { start: 0, price: '0.3', unit: 60, increment: 60 },
            { start: 0, price: '0.2', unit: 60, increment: 60 },
          ],
        }),
        clerk,
      ),
    );
    expect(fields['intervals.1.start']![0]).toMatch(/after the previous interval's start/);
  });

  it('unit and increment must be positive', async () => {
    const fields = await fieldErrors(t.call('rates.create', base({ intervals: [{ start: 0, price: '0.3', unit: 0, increment: 0 }] }), clerk));
    expect(Object.keys(fields).sort()).toEqual(['intervals.0.increment', 'intervals.0.unit']);
  });

  it('a band needs valid days and HH:MM times', async () => {
    const fields = await fieldErrors(t.call('rates.create', base({ timeBand: { days: [0, 8], from: '25:00', to: '7' } }), clerk));
    expect(Object.keys(fields).sort()).toEqual(['timeBand.days.0', 'timeBand.days.1', 'timeBand.from', 'timeBand.to']);
    expect(await fieldErrors(t.call('rates.create', base({ timeBand: { days: [1], from: '08:00', to: '08:00' } }), clerk))).toHaveProperty('timeBand.to');
  });

  it('a prefix is digits; amounts are decimal text with at most 4 places', async () => {
    expect(await fieldErrors(t.call('rates.create', base({ prefix: '2x' }), clerk))).toHaveProperty('prefix');
    expect(await fieldErrors(t.call('rates.create', base({ connectFee: '0.12345' }), clerk))).toHaveProperty('connectFee');
    expect(await fieldErrors(t.call('rates.create', base({ intervals: [{ start: 0, price: '-1', unit: 60, increment: 60 }] }), clerk))).toHaveProperty(
      'intervals.0.price',
    );
  });

  it('no two rates of a group with the same call type, prefix, band and effective date', async () => {
    const first = await t.call('rates.create', base(), clerk);
    const fields = await fieldErrors(t.call('rates.create', base({ name: 'Shanghai again' }), clerk));
    expect(fields.prefix![0]).toContain(`"Shanghai" (#${first.id})`);
    // Same prefix with a band, or from another date, is a different rate; moving one onto the other is refused.
    const banded = await t.call('rates.create', base({ name: 'Shanghai weekend', timeBand: { days: [6, 7], from: '00:00', to: '24:00' } }), clerk);
    const reordered = await fieldErrors(
      t.call('rates.create', base({ name: 'Same band, days listed otherwise', timeBand: { days: [7, 6], from: '00:00', to: '24:00' } }), clerk),
    );
    expect(reordered).toHaveProperty('prefix');
    expect(await fieldErrors(t.call('rates.update', { id: banded.id, timeBand: null }, clerk))).toHaveProperty('prefix');
    // The database refuses duplicates too, whatever the handler misses: NULL band and date compare equal there.
    expect(() =>
      t.services.db
        .prepare("INSERT INTO rates (rate_group_id, name, call_type, prefix, intervals, created_at, updated_at) VALUES (?, 'x', 'domestic', '21', '[]', 0, 0)")
        .run(groupId),
    ).toThrow(/UNIQUE/);
  });

  it('leaves the rates as they were after a refused change', async () => {
    const before = await t.call('rates.list', { rateGroupId: groupId }, auditor);
    await fieldErrors(t.call('rates.update', { id: before[0]!.id, intervals: [{ start: 5, price: '1', unit: 60, increment: 60 }] }, clerk));
    expect(await t.call('rates.list', { rateGroupId: groupId }, auditor)).toEqual(before);
  });
});

describe('route prefix rules', () => {
  it('keep their order 1..n through inserts, moves and deletes', async () => {
    const device = await t.call('devices.create', beijingDevice({ name: 'Rules device' }), clerk);
    const add = (prefix: string, position?: number) =>
      t.call('routePrefixes.create', { deviceId: device.id, prefix, minRemainingLength: 3, ...(position ? { position } : {}) }, clerk);
    const nine = await add('9');
    await add('0');
    const eight = await add('8', 1);
    const order = async () => (await t.call('routePrefixes.list', { deviceId: device.id }, auditor)).map((r) => `${r.position}:${r.prefix}`);
    expect(await order()).toEqual(['1:8', '2:9', '3:0']);
    await t.call('routePrefixes.update', { id: eight.id, position: 3 }, clerk);
    expect(await order()).toEqual(['1:9', '2:0', '3:8']);
    await t.call('routePrefixes.delete', { id: nine.id }, clerk);
    expect(await order()).toEqual(['1:0', '2:8']);
    await expect(t.call('routePrefixes.create', { deviceId: device.id, prefix: '9a' }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('routePrefixes.list', { deviceId: 9999 }, auditor)).rejects.toMatchObject({ code: 'not_found' });
    // Rules belong to their device.
    await t.call('devices.delete', { id: device.id }, clerk);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM route_prefixes WHERE device_id = ?').pluck().get(device.id)).toBe(0);
  });
});

describe('special numbers', () => {
  it('are seeded from resources/special-numbers.json and validated on update', async () => {
    const list = await t.call('specialNumbers.list', {}, auditor);
    expect(list).toMatchObject({ countryCode: '86', source: 'default' });
    expect(list.exact.find((e) => e.number === '110')).toMatchObject({ category: 'emergency', en: 'Police' });
    const fields = await fieldErrors(
      t.call('specialNumbers.update', { exact: [...list.exact, { ...list.exact[0]! }], patterns: [{ ...list.patterns[0]!, minLength: 1 }] }, clerk),
    );
    expect(Object.keys(fields).sort()).toEqual([`exact.${list.exact.length}.number`, 'patterns.0.minLength']);
    const saved = await t.call('specialNumbers.update', { exact: list.exact.slice(1), patterns: list.patterns }, clerk);
    expect(saved).toMatchObject({ source: 'edited', exact: list.exact.slice(1) });
  });
});

describe('system information', () => {
  it('has a rating section: attribution data state and rows, rate groups and rates', async () => {
    await t.services.rating.ready();
    const info = await t.call('system.info', {}, auditor);
    const section = info.sections.rating as SystemInfoSection;
    expect(section).toMatchObject({ title: { key: 'system.rating.title', text: 'Rating' }, status: 'ok' });
    expect(section.items.find((i) => i.key === 'attribution:86')?.label).toEqual({
      key: 'system.rating.attributionRows',
      params: { countryCode: '86' },
      text: 'Attribution rows, +86',
    });
    const value = (key: string) => section.items.find((i) => i.key === key)?.value;
    expect(value('attributionState')).toBe('ready');
    expect(value('attribution:86')).toBeGreaterThan(100_000);
    expect(value('rateGroups')).toBe((await t.call('rateGroups.list', {}, auditor)).length);
  });
});
