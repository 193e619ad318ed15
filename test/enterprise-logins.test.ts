/** The enterprise's own login: created and reset by a clerk from the enterprise page, or by an admin as a system account. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
let admin: string;
let clerk: string;
let auditor: string;
let enterpriseId: number;
let otherId: number;

const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ApiError ? e.code : String(e)));

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  const group = await t.call('rateGroups.create', { name: 'Rates' }, admin);
  enterpriseId = (await t.call('enterprises.create', { name: 'Acme', rateGroupId: group.id, billingMode: 'prepaid' }, clerk)).id;
  otherId = (await t.call('enterprises.create', { name: 'Other', rateGroupId: group.id, billingMode: 'prepaid' }, clerk)).id;
});
afterAll(() => t?.dispose());

describe('enterprise logins', () => {
  it('a clerk creates the login with a generated password that must be changed first', async () => {
    expect(await t.call('enterprises.login', { id: enterpriseId }, auditor)).toEqual({ enterpriseId, login: null });
    expect(await codeOf(t.call('enterprises.createLogin', { id: enterpriseId, username: 'acme' }, auditor))).toBe('forbidden');
    const { login, password } = await t.call('enterprises.createLogin', { id: enterpriseId, username: 'acme' }, clerk);
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(login).toMatchObject({ username: 'acme', enterpriseId, mustChangePassword: true, disabled: false });
    expect((await t.call('enterprises.login', { id: enterpriseId }, clerk)).login?.id).toBe(login.id);
    expect(await codeOf(t.call('enterprises.createLogin', { id: enterpriseId, username: 'acme2' }, clerk))).toBe('conflict');
    expect(await codeOf(t.call('enterprises.createLogin', { id: otherId, username: 'ACME' }, clerk))).toBe('conflict');

    const first = await t.login('acme', password);
    expect(first.user).toMatchObject({ role: 'enterprise', enterpriseId, mustChangePassword: true });
    expect(await codeOf(t.call('enterprises.dashboard', {}, first.token))).toBe('password_change_required');
    await t.call('auth.changePassword', { oldPassword: password, newPassword: 'Acme-portal-1' }, first.token);
    const dash = await t.call('enterprises.dashboard', {}, first.token);
    expect(dash.enterprise).toMatchObject({ id: enterpriseId, name: 'Acme', balance: '0.0000' });
    expect(await codeOf(t.call('enterprises.dashboard', { enterpriseId: otherId }, first.token))).toBe('not_found');
    expect(await codeOf(t.call('enterprises.createLogin', { id: otherId, username: 'x-other' }, first.token))).toBe('forbidden');
  });

  it('a password reset ends the login\'s sessions; disabling refuses it', async () => {
    const session = (await t.login('acme', 'Acme-portal-1')).token;
    const { password } = await t.call('enterprises.resetLoginPassword', { id: enterpriseId }, clerk);
    expect(await codeOf(t.call('auth.me', {}, session))).toBe('unauthenticated');
    expect(await codeOf(t.login('acme', 'Acme-portal-1'))).toBe('unauthenticated');
    const again = await t.login('acme', password);
    expect(again.user.mustChangePassword).toBe(true);
    expect(await codeOf(t.call('enterprises.resetLoginPassword', { id: otherId }, clerk))).toBe('not_found');

    expect((await t.call('enterprises.disableLogin', { id: enterpriseId }, clerk)).disabled).toBe(true);
    expect(await codeOf(t.call('auth.me', {}, again.token))).toBe('unauthenticated');
    expect(await codeOf(t.login('acme', password))).toBe('unauthenticated');
    await t.call('enterprises.disableLogin', { id: enterpriseId, disabled: false }, clerk);
    expect((await t.login('acme', password)).user.enterpriseId).toBe(enterpriseId);
  });

  it('an admin may create one as a system account bound to an enterprise, never change its role', async () => {
    expect(await codeOf(t.call('systemAccounts.create', { username: 'no-ent', password: 'Enterprise-1x', role: 'enterprise' }, admin))).toBe('invalid_input');
    expect(await codeOf(t.call('systemAccounts.create', { username: 'clerk-ent', password: 'Enterprise-1x', role: 'clerk', enterpriseId }, admin))).toBe('invalid_input');
    expect(await codeOf(t.call('systemAccounts.create', { username: 'bad-ent', password: 'Enterprise-1x', role: 'enterprise', enterpriseId: 999 }, admin))).toBe('invalid_input');
    const acc = await t.call('systemAccounts.create', { username: 'other-portal', password: 'Enterprise-1x', role: 'enterprise', enterpriseId: otherId, mustChangePassword: false }, admin);
    expect(acc).toMatchObject({ role: 'enterprise', enterpriseId: otherId });
    expect(await codeOf(t.call('systemAccounts.update', { id: acc.id, role: 'admin' }, admin))).toBe('conflict');
    const token = (await t.login('other-portal', 'Enterprise-1x')).token;
    expect((await t.call('enterprises.get', {} as never, token)).name).toBe('Other');
    expect(await codeOf(t.call('enterprises.get', { id: enterpriseId }, token))).toBe('not_found');
  });

  it('an enterprise account bound to no enterprise may only look after its own session', async () => {
    const now = Date.now();
    const { hashPassword } = await import('../src-main/auth/passwords');
    t.services.db
      .prepare(`INSERT INTO system_accounts (username, role, password_hash, created_at, updated_at) VALUES ('loose', 'enterprise', ?, ?, ?)`)
      .run(await hashPassword('Loose-pass-12'), now, now);
    const token = (await t.login('loose', 'Loose-pass-12')).token;
    expect(await codeOf(t.call('cdrs.search', {}, token))).toBe('forbidden');
    expect(await codeOf(t.call('recharges.list', {}, token))).toBe('forbidden');
    expect((await t.call('auth.me', {}, token)).username).toBe('loose');
    await t.call('auth.logout', {}, token);
  });
});
