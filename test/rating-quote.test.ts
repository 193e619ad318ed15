import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { formatMoney, parseMoney } from '../src-shared/domain/money';
import { explainText } from '../src-shared/domain/rating/explain';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { createSampleSetup, SAMPLE_CALLS, SAMPLE_START, type SampleSetup } from './helpers/rating-setup';

let t: TestEngine;
let clerk: string;
let auditor: string;
let sample: SampleSetup;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  sample = await createSampleSetup(t, clerk);
});
afterAll(() => t.dispose());

const quote = (callee: string, billsec: number, over: Partial<{ deviceId: number; rateGroupId: number; start: string }> = {}) =>
  t.call('rating.quote', { deviceId: sample.deviceId, rateGroupId: sample.rateGroupId, caller: '8001', callee, start: SAMPLE_START, billsec, ...over }, auditor);

describe('rating.quote on a fresh engine with the sample README configuration made through the API', () => {
  it.each(SAMPLE_CALLS)('$callee ($billsec s) is $callType and costs $cost', async (call) => {
    const q = await quote(call.callee, call.billsec);
    expect(q).toMatchObject({ normalized: call.normalized, callType: call.callType, cost: call.cost, rated: true, currency: 'CNY' });
    if ('area' in call) expect(q.area).toBe(call.area);
  });

  it('charges 9.8500 for the whole table', async () => {
    let total = 0;
    for (const call of SAMPLE_CALLS) total += parseMoney((await quote(call.callee, call.billsec)).cost);
    expect(formatMoney(total)).toBe('9.8500');
  });

  it('explains the price: normalization, area, rate, intervals and total, with money as decimal text', async () => {
    const q = await quote('913912345678', 180);
    expect(q).toMatchObject({
      caller: '8001',
      callee: '913912345678',
      start: '2026-03-02T01:15:02.000Z',
      numberKind: 'mobile',
      region: '江苏省常州市',
      regionEn: 'Changzhou, Jiangsu',
      carrier: '中国移动',
      rate: { id: sample.rates.domestic!.id, name: 'domestic', callType: 'domestic', prefix: '' },
      chargedSeconds: 180,
      billedSeconds: 180,
      connectFee: '0.0000',
      intervals: [{ index: 1, start: 0, end: null, seconds: 180, billedSeconds: 180, price: '0.3000', unit: 60, increment: 6, amount: '0.9000' }],
    });
    const lines = q.steps.map(explainText);
    expect(lines[0]).toBe('Route prefix rule 1: stripped 9 (913912345678 -> 13912345678)');
    expect(lines).toContain('Area 519 differs from the device\'s area 10');
    expect(lines).toContain('Call type: domestic long distance');
    expect(lines.at(-1)).toBe('Total 0.9000 for 180 billed seconds (rounded once, half up)');
  });

  it('reports why a call is not rated', async () => {
    const unknown = await quote('90999', 30);
    expect(unknown).toMatchObject({ callType: 'unknown', rated: false, cost: '0.0000' });
    expect(unknown.reason?.key).toBeTypeOf('string');
    const group = await t.call('rateGroups.create', { name: 'Local only' }, clerk);
    const noRate = await quote('902150001234', 60, { rateGroupId: group.id });
    expect(noRate).toMatchObject({ callType: 'domestic', rated: false, reason: { key: 'rate.none' } });
  });

  it('answers 404 for an unknown device or rate group', async () => {
    await expect(quote('8004', 10, { deviceId: 9999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(quote('8004', 10, { rateGroupId: 9999 })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('configuration changes take effect for the next quote, without restart', () => {
  it('a rate change', async () => {
    expect((await quote('902150001234', 122)).cost).toBe('0.6300');
    await t.call('rates.update', { id: sample.rates.domestic!.id, intervals: [{ start: 0, price: '0.60', unit: 60, increment: 6 }] }, clerk);
    expect((await quote('902150001234', 122)).cost).toBe('1.2600');
    const shanghai = await t.call('rates.create', { rateGroupId: sample.rateGroupId, name: 'Shanghai', callType: 'domestic', prefix: '21', intervals: [{ start: 0, price: '0.10', unit: 60, increment: 60 }] }, clerk);
    expect((await quote('902150001234', 122)).cost).toBe('0.3000');
    await t.call('rates.delete', { id: shanghai.id }, clerk);
    await t.call('rates.update', { id: sample.rates.domestic!.id, intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] }, clerk);
    expect((await quote('902150001234', 122)).cost).toBe('0.6300');
  });

  it('a route prefix rule change', async () => {
    await t.call('routePrefixes.update', { id: sample.ruleId, minRemainingLength: 20 }, clerk);
    const tooShort = await quote('902150001234', 122);
    expect(tooShort.normalized).toBe('902150001234');
    expect(tooShort.steps.map(explainText)[0]).toBe('Route prefix rule 1 (9) not applied: 11 digits follow, it needs at least 20');
    await t.call('routePrefixes.update', { id: sample.ruleId, minRemainingLength: 3 }, clerk);
    expect((await quote('902150001234', 122)).normalized).toBe('02150001234');
  });

  it('a device change (its area code)', async () => {
    await t.call('devices.update', { id: sample.deviceId, ...beijingDevice({ name: 'Sample Beijing', areaCode: '21' }) }, clerk);
    expect(await quote('902150001234', 122)).toMatchObject({ callType: 'local', cost: '0.2200' });
    await t.call('devices.update', { id: sample.deviceId, ...beijingDevice({ name: 'Sample Beijing' }) }, clerk);
    expect(await quote('902150001234', 122)).toMatchObject({ callType: 'domestic', cost: '0.6300' });
  });

  it('a special-number change', async () => {
    const list = await t.call('specialNumbers.list', { countryCode: '86' }, auditor);
    expect((await quote('9110', 60)).callType).toBe('special');
    await t.call('specialNumbers.update', { countryCode: '86', exact: list.exact.filter((e) => e.number !== '110'), patterns: list.patterns }, clerk);
    expect((await quote('9110', 60)).callType).toBe('unknown');
    await t.call('specialNumbers.update', { countryCode: '86', exact: list.exact, patterns: list.patterns }, clerk);
    expect((await quote('9110', 60)).callType).toBe('special');
  });
});

describe('the rating service for the charging pipeline', () => {
  it('quotes without reading the database once the device and group are prepared', async () => {
    const rating = t.services.rating;
    await rating.ready();
    const start = Date.parse(SAMPLE_START);
    rating.quote(sample.deviceId, sample.rateGroupId, { callee: '913800138000', start, billsec: 61 });
    const prepare = vi.spyOn(t.services.db, 'prepare');
    let total = 0;
    for (let i = 0; i < 2000; i++) {
      for (const call of SAMPLE_CALLS) total += rating.quote(sample.deviceId, sample.rateGroupId, { callee: call.callee, start, billsec: call.billsec }).cost;
    }
    expect(prepare).not.toHaveBeenCalled();
    prepare.mockRestore();
    expect(total).toBe(2000 * parseMoney('9.8500'));
  });

  it('uses the known extensions a provider feeds it', async () => {
    const rating = t.services.rating;
    const start = Date.parse(SAMPLE_START);
    expect(rating.quote(sample.deviceId, sample.rateGroupId, { callee: '601', start, billsec: 30 }).callType).toBe('unknown');
    rating.setKnownExtensionsProvider((deviceId) => (deviceId === sample.deviceId ? new Set(['601']) : undefined));
    expect(rating.quote(sample.deviceId, sample.rateGroupId, { callee: '601', start, billsec: 30 }).callType).toBe('internal');
    rating.setKnownExtensionsProvider(null);
    expect(rating.quote(sample.deviceId, sample.rateGroupId, { callee: '601', start, billsec: 30 }).callType).toBe('unknown');
  });

  it('throws ApiError not_found for a device that does not exist', () => {
    expect(() => t.services.rating.quote(424242, sample.rateGroupId, { callee: '8004', start: 0, billsec: 1 })).toThrow(ApiError);
  });
});

describe('rating.classify', () => {
  it('normalizes and classifies without a rate group', async () => {
    const c = await t.call('rating.classify', { deviceId: sample.deviceId, number: '9-138-0013-8000' }, auditor);
    expect(c).toMatchObject({ callType: 'local', normalized: '13800138000', area: '10', region: '北京市', regionEn: 'Beijing', numberKind: 'mobile' });
    expect(c.steps.map(explainText).slice(0, 2)).toEqual([
      'Removed non-digits: "9-138-0013-8000" -> 913800138000',
      'Route prefix rule 1: stripped 9 (913800138000 -> 13800138000)',
    ]);
  });
});
