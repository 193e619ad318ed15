import fs from 'node:fs';
import path from 'node:path';
import type { InputOf } from '../../src-shared/api';
import type { TestEngine } from './engine';
import { beijingDevice } from './fixtures';

export const SAMPLES_DIR = path.resolve('test/fixtures/cdr');

export const sampleBase64 = (file: string) => fs.readFileSync(path.join(SAMPLES_DIR, file)).toString('base64');

/**
 * The billing set-up of shared/samples/cdr/README.md: the Beijing device (strip a leading 9 when at least 3 digits
 * remain) and the rate group whose prices give the worked examples (total 9.8500 for asterisk-master.csv).
 */
export async function createSampleRateGroup(t: TestEngine, token: string, name = 'Sample rates'): Promise<number> {
  const group = await t.call('rateGroups.create', { name }, token);
  // `local` (0.22 / 180 s, then 0.11 / 60 s) and `inter` (free) come with every new group.
  const rates: Omit<InputOf<'rates.create'>, 'rateGroupId'>[] = [
    { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
    { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
    { name: 'UK', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
    { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
  ];
  for (const r of rates) await t.call('rates.create', { rateGroupId: group.id, ...r }, token);
  return group.id;
}

export async function createSampleDevice(
  t: TestEngine,
  token: string,
  overrides: Partial<InputOf<'devices.create'>> = {},
  stripNine = true,
): Promise<number> {
  const device = await t.call('devices.create', beijingDevice(overrides), token);
  if (stripNine) {
    await t.call('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 }, token);
  }
  return device.id;
}
