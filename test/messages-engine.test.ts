import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import en from '../src-renderer/i18n/locales/en/engine.json';
import zh from '../src-renderer/i18n/locales/zh-CN/engine.json';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

/** Refusals of a real engine carry translatable Problems beside their unchanged English text. */

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
});
afterAll(() => t.dispose());

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  // What the clerk's window receives: the error as it crosses the wire.
  return ApiError.fromBody(JSON.parse(JSON.stringify((err as ApiError).toBody())));
}

const inBoth = (key: string) =>
  [en, zh].every((catalogue) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue) !== undefined);

describe('engine refusals as Problems', () => {
  it('a contract check: the field problem keyed, the English text as before', async () => {
    const e = await refusal(t.call('devices.create', beijingDevice({ countryCode: '8600' }), clerk));
    expect(e.message).toBe('Invalid input: countryCode must be 1 to 3 digits');
    expect((e.details as { fields: Record<string, string[]> }).fields.countryCode).toEqual(['must be 1 to 3 digits']);
    expect(e.problem).toEqual({ key: 'api.invalidField', params: { field: 'countryCode' }, text: e.message });
    expect(e.fieldProblems?.countryCode).toEqual([{ key: 'field.digitsBetween', params: { min: 1, max: 3 }, text: 'must be 1 to 3 digits' }]);
  });

  it('a rule of the rating core: an amount of zero or more', async () => {
    const group = await t.call('rateGroups.create', { name: 'Problems' }, clerk);
    const e = await refusal(
      t.call(
        'rates.create',
        { rateGroupId: group.id, name: 'Bad', callType: 'local', prefix: '', connectFee: '-1', intervals: [{ start: 0, price: '0.1', unit: 60, increment: 60 }] },
        clerk,
      ),
    );
    const problems = Object.values(e.fieldProblems ?? {}).flat();
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(inBoth(p.key), p.key).toBe(true);
  });

  it('a record that does not exist names its kind and id', async () => {
    const e = await refusal(t.call('devices.get', { id: 999_999 }, clerk));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('Device 999999 does not exist');
    expect(e.problem).toEqual({ key: 'api.notFound', params: { thing: 'device', id: '999999' }, text: e.message });
  });

  it('a name taken and a conflict of state are keyed with their params', async () => {
    const group = await t.call('rateGroups.create', { name: 'Names' }, clerk);
    const acme = { name: 'Acme Problems', billingMode: 'prepaid' as const, rateGroupId: group.id };
    await t.call('enterprises.create', acme, clerk);
    const e = await refusal(t.call('enterprises.create', acme, clerk));
    expect(e.code).toBe('conflict');
    expect(e.problem).toMatchObject({ key: 'api.enterpriseNameTaken', params: { name: 'Acme Problems' } });
    expect(e.fieldProblems?.name?.[0]?.key).toBe('field.taken');
    for (const key of [e.problem!.key, 'field.taken']) expect(inBoth(key), key).toBe(true);
  });

  it('a period that ends before it starts', async () => {
    const e = await refusal(t.call('cdrs.search', { from: 2_000_000_000_000, to: 1_000_000_000_000 }, clerk));
    expect(e.problem?.key).toBe('api.periodReversed');
    expect(e.fieldProblems?.to?.[0]?.key).toBe('field.afterFrom');
  });
});
