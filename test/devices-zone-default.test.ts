/** A device created without its zone takes its country's (China first), or is refused where the country has several. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let clerk: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
});
afterAll(() => t.dispose());

const device = { format: 'asterisk-csv' as const, areaCode: '10', nationalPrefix: '0', internationalPrefix: '00' };

describe('a new device zone', () => {
  it('is Asia/Shanghai for a device of country code 86, the default country', async () => {
    const beijing = await t.call('devices.create', { ...device, name: 'Beijing', countryCode: '86' }, clerk);
    expect(beijing.timeZone).toBe('Asia/Shanghai');
    const unnamed = await t.call('devices.create', { ...device, name: 'No country given' } as never, clerk);
    expect(unnamed).toMatchObject({ countryCode: '86', timeZone: 'Asia/Shanghai' });
  });

  it("is the country's own for a single-zone country, and the one given when given", async () => {
    expect((await t.call('devices.create', { ...device, name: 'London', countryCode: '44', areaCode: '20' }, clerk)).timeZone).toBe('Europe/London');
    expect((await t.call('devices.create', { ...device, name: 'Urumqi', countryCode: '86', timeZone: 'Asia/Urumqi' }, clerk)).timeZone).toBe('Asia/Urumqi');
  });

  it('must be given for a country of several zones', async () => {
    await expect(t.call('devices.create', { ...device, name: 'New York', countryCode: '1', areaCode: '212', nationalPrefix: '1', internationalPrefix: '011' }, clerk)).rejects.toMatchObject({
      code: 'invalid_input',
      details: { fields: { timeZone: [expect.stringContaining('country code 1 has several time zones')] } },
    });
    expect((await t.call('devices.list', {}, clerk)).map((d) => d.name)).not.toContain('New York');
  });
});
