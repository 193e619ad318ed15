/**
 * Every format's device settings (`formatOptions`) are checked when a device is saved: a bad billed leg, recorder
 * number, 3CX field name, or a setting meant for another format is refused with a 400 that names the field, instead
 * of every record of the device coming back as a reject later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { THREECX_CDR_FIELDS, type CdrFormat } from '../src-shared/domain/cdr';
import { THREECX_DEFAULT_COLUMNS } from '../src-main/ingest/adapters/3cx';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine();
  clerk = await t.loginAs('clerk');
}, 60_000);
afterAll(() => t.dispose());

let seq = 0;
const create = (format: CdrFormat, formatOptions?: Record<string, unknown> | null) =>
  t.call('devices.create', beijingDevice({ name: `${format} ${++seq}`, format, ...(formatOptions !== undefined ? { formatOptions } : {}) }), clerk);

async function refusal(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  return ((err as ApiError).details as { fields: Record<string, string[]> }).fields;
}

const LEG_MESSAGE = "must be 'a' (the calling leg, the default) or 'b' (the called leg)";

describe('device format settings checked on save', () => {
  it.each(['freeswitch-csv', 'freeswitch-xml', 'freeswitch-json'] as const)('%s: billedLeg is a or b', async (format) => {
    expect((await create(format, { billedLeg: 'b' })).formatOptions).toEqual({ billedLeg: 'b' });
    expect((await create(format, { billedLeg: 'A' })).formatOptions).toEqual({ billedLeg: 'A' }); // the adapter reads it as a
    expect((await create(format, null)).formatOptions).toBeNull();
    expect(await refusal(create(format, { billedLeg: 'both' }))).toEqual({ 'formatOptions.billedLeg': [LEG_MESSAGE] });
    expect(await refusal(create(format, { billedLeg: 2 }))).toEqual({ 'formatOptions.billedLeg': ['Invalid input: expected string, received number'] });
    expect(await refusal(create(format, { billedleg: 'b' }))).toEqual({ formatOptions: ['Unrecognized key: "billedleg"'] });
  });

  it('cucm: recorderNumbers is a list of directory numbers', async () => {
    const ok = await create('cucm', { recorderNumbers: ['8800', '+862150001234', '*88'] });
    expect(ok.formatOptions).toEqual({ recorderNumbers: ['8800', '+862150001234', '*88'] });
    expect(await refusal(create('cucm', { recorderNumbers: ['8800', 'rec 1'] }))).toEqual({
      'formatOptions.recorderNumbers.1': ['must be a directory number (digits, * and #, an optional leading +)'],
    });
    expect(await refusal(create('cucm', { recorderNumbers: '8800' }))).toEqual({
      'formatOptions.recorderNumbers': ['Invalid input: expected array, received string'],
    });
  });

  it('3cx: fields are 3CX field names in any spelling, with time-start', async () => {
    const fields = ['historyid', 'Time_Start', 'timeend', 'from-no', 'to-no', 'duration'];
    expect((await create('3cx', { fields })).formatOptions).toEqual({ fields });
    expect(await refusal(create('3cx', { fields: ['historyid', 'time-start', 'caller'] }))).toEqual({
      'formatOptions.fields.2': ['"caller" is not a 3CX CDR field (historyid, callid, time-start, from-no, ...)'],
    });
    expect(await refusal(create('3cx', { fields: ['historyid', 'from-no'] }))).toEqual({ 'formatOptions.fields': ['must include time-start'] });
    expect(await refusal(create('3cx', { fields: [] }))).toEqual({ 'formatOptions.fields': expect.arrayContaining([expect.stringMatching(/>=1/)]) });
  });

  it('the shared 3CX field list is the one the adapter reads', () => {
    expect([...THREECX_CDR_FIELDS]).toEqual([...THREECX_DEFAULT_COLUMNS]);
  });

  it.each(['yeastar', 'grandstream-csv', 'grandstream-json', 'ipoffice-smdr'] as const)('%s takes no settings: a setting of another format is refused', async (format) => {
    expect((await create(format, {})).formatOptions).toEqual({});
    expect(await refusal(create(format, { billedLeg: 'b' }))).toEqual({ formatOptions: ['Unrecognized key: "billedLeg"'] });
  });

  it('a setting of another format is refused on Asterisk and CUCM devices too', async () => {
    expect(await refusal(create('asterisk-csv', { billedLeg: 'b' }))).toEqual({ formatOptions: ['Unrecognized key: "billedLeg"'] });
    expect(await refusal(create('cucm', { fields: ['time-start'] }))).toEqual({ formatOptions: ['Unrecognized key: "fields"'] });
  });

  it('checks the settings on update, with the stored ones when only the format changes', async () => {
    const d = await create('freeswitch-xml', { billedLeg: 'b' });
    expect(await refusal(t.call('devices.update', { id: d.id, formatOptions: { billedLeg: 'c' } }, clerk))).toEqual({
      'formatOptions.billedLeg': [LEG_MESSAGE],
    });
    // billedLeg means nothing to a CUCM device: switching the format alone keeps it and is refused.
    expect(await refusal(t.call('devices.update', { id: d.id, format: 'cucm' }, clerk))).toEqual({ formatOptions: ['Unrecognized key: "billedLeg"'] });
    const switched = await t.call('devices.update', { id: d.id, format: 'cucm', formatOptions: { recorderNumbers: ['8800'] } }, clerk);
    expect(switched).toMatchObject({ format: 'cucm', formatOptions: { recorderNumbers: ['8800'] } });
    expect((await t.call('devices.get', { id: d.id }, clerk)).formatOptions).toEqual({ recorderNumbers: ['8800'] });
  });

  it('answers a refused setting over HTTP with 400 and the field', async () => {
    const login = await fetch(`${t.http!.url}/api/auth.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${t.http!.url}/api/devices.create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(beijingDevice({ name: 'Over HTTP', format: 'freeswitch-csv', formatOptions: { billedLeg: 'ab' } })),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { fields: Record<string, string[]> } } };
    expect(body.error).toMatchObject({ code: 'invalid_input', details: { fields: { 'formatOptions.billedLeg': [LEG_MESSAGE] } } });
    expect(body.error.message).toBe(`Invalid device: formatOptions.billedLeg ${LEG_MESSAGE}`);
  });
});
