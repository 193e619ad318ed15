/**
 * Jobs that act on calendar months and days, at the instants where calendars bite: a month's last second and the
 * first one of the next, and Berlin's clock changes. The engine's clock is set to those instants (whatever the
 * process clock says); `npm run test:dates` moves the process clock as well.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stoppedClock, type StoppedClock } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleRateGroup } from './helpers/sample-billing';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function engineAt(iso: string, timeZone: string): Promise<{ t: TestEngine; clock: StoppedClock; admin: string; clerk: string }> {
  const clock = stoppedClock(iso);
  t = await startTestEngine({ http: false, cdrListener: false, now: clock });
  const admin = await t.loginAs('admin');
  const clerk = await t.loginAs('clerk');
  await t.call('stats.setTimeZone', { timeZone }, admin);
  expect((await t.call('stats.settings', {}, admin)).timeZone).toBe(timeZone);
  return { t, clock, admin, clerk };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('monthly statements at the end of a month', () => {
  it('close a month in the first second of its grace day (the 5th of the next month), not in its last second', async () => {
    const { t, clock, clerk } = await engineAt('2027-04-30T23:30:00+08:00', 'Asia/Shanghai');
    const groupId = await createSampleRateGroup(t, clerk);
    const enterpriseId = (await t.call('enterprises.create', { name: 'Month End Ltd', rateGroupId: groupId, billingMode: 'prepaid' }, clerk)).id;
    await t.call('accounts.recharge', { accountId: enterpriseId, amount: '100', reason: 'opening' }, clerk);

    clock.set('2027-04-30T23:59:59.999+08:00');
    expect(await t.services.bills.closeDue()).toBe(0);
    expect((await t.call('bills.get', { enterpriseId, month: '2027-04' }, clerk)).state).not.toBe('closed');

    // Over, but calls of April may still arrive until the grace day (settings bills.closeFromDay, default 5).
    clock.set('2027-05-01T00:00:00+08:00');
    expect(await t.services.bills.closeDue()).toBe(0);
    clock.set('2027-05-04T23:59:59.999+08:00');
    expect(await t.services.bills.closeDue()).toBe(0);
    clock.set('2027-05-05T00:00:00+08:00');
    expect(await t.services.bills.closeDue()).toBe(1);
    // The session of 30 April has expired by now.
    const clerk5May = (await t.login('clerk1', 'clerk1-Password-1')).token;
    const april = await t.call('bills.get', { enterpriseId, month: '2027-04' }, clerk5May);
    expect(april).toMatchObject({ state: 'closed', opening: '0.0000', closing: '100.0000' });
    expect(Date.parse(april.periodTo)).toBe(Date.parse('2027-05-01T00:00:00+08:00'));
    expect((await t.call('bills.get', { enterpriseId, month: '2027-05' }, clerk5May)).state).not.toBe('closed');
  });
});

describe('the retention cut', () => {
  it('moves by a whole month at the month boundary of the statistics zone', async () => {
    const { t } = await engineAt('2027-04-30T23:59:59+08:00', 'Asia/Shanghai');
    const retention = t.services.retention;
    expect(iso(retention.cutoff(Date.parse('2027-04-30T23:59:59.999+08:00')))).toBe(iso(Date.parse('2026-10-01T00:00:00+08:00')));
    expect(iso(retention.cutoff(Date.parse('2027-05-01T00:00:00+08:00')))).toBe(iso(Date.parse('2026-11-01T00:00:00+08:00')));
    // The first of January: six months back is July of the year before.
    expect(iso(retention.cutoff(Date.parse('2030-01-01T00:00:30+08:00')))).toBe(iso(Date.parse('2029-07-01T00:00:00+08:00')));
    // 29 February: six months back is 1 September.
    expect(iso(retention.cutoff(Date.parse('2028-02-29T12:00:00+08:00')))).toBe(iso(Date.parse('2027-08-01T00:00:00+08:00')));
  });

  it('starts a month at local midnight on both sides of a clock change (Berlin)', async () => {
    const { t } = await engineAt('2027-03-28T01:59:30+01:00', 'Europe/Berlin');
    const retention = t.services.retention;
    // Before and after the spring change (CET -> CEST): the cut is 1 September 2026, 00:00 CEST.
    expect(iso(retention.cutoff(Date.parse('2027-03-28T01:59:59+01:00')))).toBe('2026-08-31T22:00:00.000Z');
    expect(iso(retention.cutoff(Date.parse('2027-03-28T03:00:00+02:00')))).toBe('2026-08-31T22:00:00.000Z');
    // In the repeated hour of the autumn change: 1 April 2027, 00:00 CEST.
    expect(iso(retention.cutoff(Date.parse('2027-10-31T02:30:00+02:00')))).toBe('2027-03-31T22:00:00.000Z');
    expect(iso(retention.cutoff(Date.parse('2027-10-31T02:30:00+01:00')))).toBe('2027-03-31T22:00:00.000Z');
    // A winter month: 1 May 2027 00:00 CEST for a cut taken on 1 November 2027 00:00 CET.
    expect(iso(retention.cutoff(Date.parse('2027-11-01T00:00:00+01:00')))).toBe('2027-04-30T22:00:00.000Z');
  });
});
