import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, methodNames, type MethodName } from '../src-shared/api';
import { ApiError } from '../src-shared/api/errors';
import { ROLES, type Role } from '../src-shared/api/contract';
import { Dispatcher, redact } from '../src-main/api/dispatcher';
import { createHandlers } from '../src-main/api/handlers';
import { hashPassword } from '../src-main/auth/passwords';
import { startTestEngine, type TestEngine } from './helpers/engine';

let t: TestEngine;
const tokens = {} as Record<Role, string>;

async function expectApiError(p: Promise<unknown>, code: string): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  tokens.admin = await t.loginAs('admin');
  tokens.clerk = await t.loginAs('clerk');
  tokens.auditor = await t.loginAs('auditor');
  // The enterprise role cannot be created through systemAccounts (staff only); it is seeded like a later domain would.
  const now = Date.now();
  t.services.db
    .prepare(
      `INSERT INTO system_accounts (username, role, password_hash, created_at, updated_at) VALUES ('ent1', 'enterprise', ?, ?, ?)`,
    )
    .run(await hashPassword('Enterprise-pass-1'), now, now);
  tokens.enterprise = (await t.login('ent1', 'Enterprise-pass-1')).token;
});
afterAll(() => t.dispose());

const restricted = methodNames.filter((m) => Array.isArray(api[m].access));
const nonPublic = methodNames.filter((m) => api[m].access !== 'public');

describe('dispatcher, for every method of the contract', () => {
  it('knows no method it was not told about', async () => {
    await expectApiError(t.dispatcher.call('no.suchMethod', {}, { transport: 'internal', address: 'x' }), 'method_not_found');
    await expectApiError(t.dispatcher.call('__proto__', {}, { transport: 'internal', address: 'x' }), 'method_not_found');
    await expectApiError(t.dispatcher.call('toString', {}, { transport: 'internal', address: 'x' }), 'method_not_found');
  });

  it.each(nonPublic)('%s refuses a caller without a session (401)', async (m) => {
    await expectApiError(t.call(m, {} as never), 'unauthenticated');
    await expectApiError(t.call(m, {} as never, 'not-a-token'), 'unauthenticated');
  });

  it.each(restricted)('%s refuses the roles it does not list (403)', async (m) => {
    const allowed = api[m].access as readonly Role[];
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      await expectApiError(t.call(m, {} as never, tokens[role]), 'forbidden');
    }
  });

  it.each(methodNames)('%s rejects an input of the wrong shape with field details (400)', async (m) => {
    const allowed = api[m].access;
    const role: Role = Array.isArray(allowed) ? (allowed as readonly Role[])[0]! : 'admin';
    const err = await expectApiError(t.call(m, 42 as never, api[m].access === 'public' ? undefined : tokens[role]), 'invalid_input');
    expect(err.status).toBe(400);
    expect((err.details as { fields: Record<string, string[]> }).fields).toBeTypeOf('object');
  });
});

describe('dispatcher behaviour', () => {
  it('reports each invalid field by its path', async () => {
    const err = await expectApiError(
      t.call('systemAccounts.create', { username: 'x', password: 'short', role: 'boss' } as never, tokens.admin),
      'invalid_input',
    );
    const fields = (err.details as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields).sort()).toEqual(['password', 'role', 'username']);
  });

  it('writes the operation log for a mutation with who, what, target and address, without secrets', async () => {
    const account = await t.call(
      'systemAccounts.create',
      { username: 'logged1', password: 'Secret-Pass-99', role: 'clerk' },
      tokens.admin,
      { address: '10.1.2.3' },
    );
    const row = t.services.db
      .prepare("SELECT * FROM operation_log WHERE method = 'systemAccounts.create' AND target = ?")
      .get(`systemAccount:${account.id}`) as Record<string, unknown>;
    expect(row).toMatchObject({ username: 'admin', address: '10.1.2.3' });
    expect(String(row.summary)).toContain('logged1');
    expect(String(row.summary)).not.toContain('Secret-Pass-99');
    // Flags about secrets are not secrets.
    expect(JSON.parse(String(row.summary)).after.mustChangePassword).toBe(true);
  });

  it('masks secret fields in audit summaries, at any depth', () => {
    expect(
      redact({ password: 'p', newPassword: 'n', sftp: { privateKey: 'k', host: 'h' }, pin: '1234', hasPassword: true, token: 't' }),
    ).toEqual({ password: '***', newPassword: '***', sftp: { privateKey: '***', host: 'h' }, pin: '***', hasPassword: true, token: '***' });
  });

  it('does not log reads', async () => {
    const before = t.services.db.prepare('SELECT COUNT(*) FROM operation_log').pluck().get();
    await t.call('systemAccounts.list', {}, tokens.admin);
    await t.call('auth.me', {}, tokens.clerk);
    expect(t.services.db.prepare('SELECT COUNT(*) FROM operation_log').pluck().get()).toBe(before);
  });

  it('runs a mutation in one transaction: a failing handler leaves nothing behind, not even its audit row', async () => {
    const handlers = createHandlers(t.services);
    const failing = new Dispatcher(t.services, {
      ...handlers,
      'systemAccounts.disable': (input, ctx) => {
        t.services.db.prepare('UPDATE system_accounts SET display_name = ? WHERE id = ?').run('half-done', input.id);
        ctx.audit({ target: 'x' });
        throw new Error('boom after a write');
      },
    });
    const logsBefore = t.services.db.prepare('SELECT COUNT(*) FROM operation_log').pluck().get();
    const err = await expectApiError(
      failing.call('systemAccounts.disable', { id: 1 }, { transport: 'internal', address: 'x', token: tokens.admin }),
      'internal',
    );
    expect(err.message).not.toContain('boom');
    expect(t.services.db.prepare('SELECT display_name FROM system_accounts WHERE id = 1').pluck().get()).not.toBe('half-done');
    expect(t.services.db.prepare('SELECT COUNT(*) FROM operation_log').pluck().get()).toBe(logsBefore);
  });

  it('maps a unique-constraint violation to 409', async () => {
    await t.call('systemAccounts.create', { username: 'dup1', password: 'Password-123', role: 'clerk' }, tokens.admin);
    const err = await expectApiError(
      t.call('systemAccounts.create', { username: 'DUP1', password: 'Password-123', role: 'clerk' }, tokens.admin),
      'conflict',
    );
    expect(err.status).toBe(409);
  });

  it('lets an auditor read the logs but change nothing', async () => {
    const page = await t.call('logs.login', { limit: 5 }, tokens.auditor);
    expect(page.rows.length).toBeGreaterThan(0);
    await expectApiError(t.call('systemAccounts.list', {}, tokens.auditor), 'forbidden');
  });

  it('declares every method with a summary and a result shape (for docs/api.md)', () => {
    for (const m of methodNames as MethodName[]) {
      expect(api[m].summary.length, m).toBeGreaterThan(10);
      expect(api[m].returns.length, m).toBeGreaterThan(0);
      expect(m).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
    }
  });
});
