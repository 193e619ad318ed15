import type { InputOf } from '../../src-shared/api';
import type { RateRecord } from '../../src-shared/api/rating';
import { beijingDevice } from './fixtures';
import type { TestEngine } from './engine';

type RateInput = Omit<InputOf<'rates.create'>, 'rateGroupId'>;

/** The rates of the sample README's rate group (/work/shared/samples/cdr/README.md) beyond `local` and `inter`. */
export const SAMPLE_EXTRA_RATES: RateInput[] = [
  { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
  { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
  { name: 'UK', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
  { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
];

export interface SampleSetup {
  deviceId: number;
  rateGroupId: number;
  ruleId: number;
  rates: Record<string, RateRecord>;
}

/**
 * The sample README's Beijing device (route rule: strip a leading 9 when at least 3 digits remain) and rate group,
 * created through the API. The group's `local` must already be the sample's local rate (the seed), which this checks.
 */
export async function createSampleSetup(t: TestEngine, token: string, name = 'Sample'): Promise<SampleSetup> {
  const device = await t.call('devices.create', beijingDevice({ name: `${name} Beijing` }), token);
  const rule = await t.call('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3, replacement: '' }, token);
  const group = await t.call('rateGroups.create', { name }, token);
  const rates: Record<string, RateRecord> = {};
  for (const r of await t.call('rates.list', { rateGroupId: group.id }, token)) rates[r.name] = r;
  for (const r of SAMPLE_EXTRA_RATES) rates[r.name] = await t.call('rates.create', { rateGroupId: group.id, ...r }, token);
  return { deviceId: device.id, rateGroupId: group.id, ruleId: rule.id, rates };
}

/** The sample README's table: dialled number, billsec, normalized, call type, cost. */
export const SAMPLE_CALLS = [
  { caller: '8001', callee: '902150001234', billsec: 122, normalized: '02150001234', callType: 'domestic', cost: '0.6300', area: '21' },
  { caller: '8002', callee: '913800138000', billsec: 61, normalized: '13800138000', callType: 'local', cost: '0.2200', area: '10' },
  { caller: '8003', callee: '8004', billsec: 300, normalized: '8004', callType: 'internal', cost: '0.0000' },
  { caller: '8001', callee: '90044207946000', billsec: 600, normalized: '0044207946000', callType: 'international', cost: '8.1000' },
  { caller: '8002', callee: '962345678', billsec: 0, normalized: '62345678', callType: 'local', cost: '0.0000', area: '10' },
  { caller: '8003', callee: '9110', billsec: 60, normalized: '110', callType: 'special', cost: '0.0000' },
  { caller: '8001', callee: '913912345678', billsec: 180, normalized: '13912345678', callType: 'domestic', cost: '0.9000', area: '519' },
] as const;

export const SAMPLE_START = '2026-03-02T09:15:02+08:00';
