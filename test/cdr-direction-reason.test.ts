/**
 * Asterisk direction settings on a device: checked when the device is saved, used when its records are read, and
 * the reason for each call's direction shown in the CDR detail (read again with the device's settings now).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { sampleBase64 } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
}, 60_000);
afterAll(() => t.dispose());

/** A device without an extension pattern: the guess alone decides, as for an integrator who has set nothing. */
const device = (name: string, formatOptions?: Record<string, unknown>) =>
  t.call('devices.create', beijingDevice({ name, extensionPattern: '', ...(formatOptions ? { formatOptions } : {}) }), clerk);

async function importStock(deviceId: number) {
  const result = await t.call('cdrs.import', { deviceId, fileName: 'asterisk-cdr-custom-stock.csv', content: sampleBase64('asterisk-cdr-custom-stock.csv') }, clerk);
  expect(result).toMatchObject({ stored: 8, rejected: 2 });
  const rows = (await t.call('cdrs.search', { deviceId, limit: 50 }, clerk)).rows;
  return (caller: string, callee: string) => rows.find((r) => r.caller === caller && r.callee === callee)!;
}

describe('Asterisk direction settings', () => {
  it('refuses options that are not Asterisk settings when the device is saved, naming the field', async () => {
    const err = await device('Typo', { trunkChannel: ['SIP/211553'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details).toMatchObject({ fields: { formatOptions: ['Unrecognized key: "trunkChannel"'] } });
    expect((err as ApiError).fieldProblems).toEqual({
      formatOptions: [{ key: 'zod.unrecognized_keys', params: { keys: 'trunkChannel' }, text: 'Unrecognized key: "trunkChannel"' }],
    });
    const bad = await device('Bad pattern', { trunkChannels: ['SIP/a b'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((bad as ApiError).details).toMatchObject({ fields: { 'formatOptions.trunkChannels.0': ['one channel pattern per entry, without spaces or commas'] } });
    expect((bad as ApiError).fieldProblems?.['formatOptions.trunkChannels.0']?.[0]?.key).toBe('field.channelPattern');
  });

  it('shows the guess and its reason in the CDR detail, and the settings decide once given', async () => {
    const guessed = await device('Guess');
    const find = await importStock(guessed.id);
    const inbound = await t.call('cdrs.get', { id: find('013912345678', '66668888').id }, clerk);
    expect(inbound).toMatchObject({
      direction: 'inbound',
      trunkIn: '211553',
      directionReason: "guess: channel 'SIP/211553-0000002a' is a trunk named by number (its party '013912345678' is an outside number)",
    });
    const outbound = await t.call('cdrs.get', { id: find('8001', '902150001234').id }, clerk);
    expect(outbound.directionReason).toBe("destination guess: channel 'PJSIP/trunk-cn-00000002' is a trunk (its peer 'trunk-cn' is a name or a line, not an extension number)");

    const set = await device('Set', { trunkChannels: ['SIP/211553', 'PJSIP/trunk-*'], inboundContexts: ['from-trunk'] });
    const byDevice = await importStock(set.id);
    const decided = await t.call('cdrs.get', { id: byDevice('013912345678', '66668888').id }, clerk);
    expect(decided.directionReason).toBe("context 'from-trunk' is one of the device's inbound contexts ('from-trunk')");
  });

  it('says when the settings now give another direction than the one stored', async () => {
    const d = await device('Changed later');
    const find = await importStock(d.id);
    const id = find('8003', '8004').id;
    expect((await t.call('cdrs.get', { id }, clerk)).direction).toBe('internal');
    await t.call('devices.update', { id: d.id, formatOptions: { trunkChannels: ['PJSIP/8004'] } }, clerk);
    const detail = await t.call('cdrs.get', { id }, clerk);
    expect(detail.direction).toBe('internal');
    expect(detail.directionReason).toBe(
      "outbound with the device's settings now (stored as internal): destination channel 'PJSIP/8004-00000006' matches the device's trunk channel pattern 'PJSIP/8004'",
    );
  });

  it('gives no reason for formats that say the direction themselves', async () => {
    const yeastar = await t.call('devices.create', beijingDevice({ name: 'Yeastar', format: 'yeastar' }), clerk);
    await t.call('cdrs.import', { deviceId: yeastar.id, fileName: 'yeastar-newcdr.jsonl', content: sampleBase64('yeastar-newcdr.jsonl') }, clerk);
    const row = (await t.call('cdrs.search', { deviceId: yeastar.id, limit: 1 }, clerk)).rows[0]!;
    expect((await t.call('cdrs.get', { id: row.id }, clerk)).directionReason).toBeNull();
  });
});
