import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { stoppedClock } from './helpers/clock';
import { startTestEngine, ADMIN_PASSWORD, type TestEngine } from './helpers/engine';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const fast = { baseLockMs: 1000, maxFailuresPerAccount: 3, maxFailuresPerAddress: 6, failureWindowMs: 60_000 };
/** Locks last seconds: the engine's clock stands still between the steps (a slow password hash on a busy machine
 * must not let a lock run out), and moves only by `advance`. */
const still = () => stoppedClock('2026-06-15T10:00:00+08:00');

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

const loginLog = (e: TestEngine) =>
  e.services.db.prepare('SELECT username, ok, reason, address FROM login_log ORDER BY id').all() as {
    username: string;
    ok: number;
    reason: string;
    address: string;
  }[];

describe('login', () => {
  it('logs in with the right password and logs the attempt', async () => {
    t = await startTestEngine({ http: false });
    const { token, user } = await t.login('admin', ADMIN_PASSWORD, { address: '192.0.2.7' });
    expect(token.length).toBeGreaterThan(30);
    expect(user).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: false });
    expect(await t.call('auth.me', {}, token)).toMatchObject({ username: 'admin' });
    expect(loginLog(t).at(-1)).toEqual({ username: 'admin', ok: 1, reason: 'ok', address: '192.0.2.7' });
  });

  it('refuses a wrong password and an unknown user with the same answer, logging why', async () => {
    t = await startTestEngine({ http: false });
    const wrong = await failure(t.login('admin', 'not-the-password'));
    const unknown = await failure(t.login('nobody', 'whatever'));
    expect(wrong.code).toBe('unauthenticated');
    expect(unknown.message).toBe(wrong.message);
    expect(loginLog(t).map((r) => r.reason)).toEqual(['bad_password', 'unknown_user']);
  });

  it('stores only a hash of the password and of the session token', async () => {
    t = await startTestEngine({ http: false });
    const { token } = await t.login();
    const hash = t.services.db.prepare("SELECT password_hash FROM system_accounts WHERE username = 'admin'").pluck().get();
    expect(String(hash)).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(String(hash)).not.toContain(ADMIN_PASSWORD);
    const stored = t.services.db.prepare('SELECT token_hash FROM sessions').pluck().all();
    expect(stored).not.toContain(token);
  });
});

describe('throttling', () => {
  it('locks an account after repeated failures, with a retry time, then lets it in after the lock', async () => {
    t = await startTestEngine({ http: false, authPolicy: fast, now: still() });
    for (let i = 0; i < 3; i++) expect((await failure(t.login('admin', 'bad'))).code).toBe('unauthenticated');
    // Even the right password is refused while locked: the attacker learns nothing.
    const locked = await failure(t.login('admin', ADMIN_PASSWORD));
    expect(locked.code).toBe('throttled');
    expect(locked.status).toBe(429);
    expect((locked.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(loginLog(t).at(-1)?.reason).toBe('throttled');
    t.advance(1100);
    await expect(t.login('admin', ADMIN_PASSWORD)).resolves.toMatchObject({ user: { username: 'admin' } });
  });

  it('doubles the lock with each further failure', async () => {
    t = await startTestEngine({ http: false, authPolicy: fast, now: still() });
    for (let i = 0; i < 3; i++) await failure(t.login('admin', 'bad'));
    t.advance(1100);
    await failure(t.login('admin', 'bad')); // 4th failure: lock 2 s
    t.advance(1100);
    expect((await failure(t.login('admin', ADMIN_PASSWORD))).code).toBe('throttled');
    t.advance(1000);
    await expect(t.login('admin', ADMIN_PASSWORD)).resolves.toBeTruthy();
  });

  it('counts guesses sent all at once before their passwords are checked: the right one among them gets no session', async () => {
    t = await startTestEngine({ http: false, authPolicy: fast });
    const e = t;
    const guesses = Array.from({ length: 12 }, (_, i) => (i === 11 ? ADMIN_PASSWORD : `guess-${i}`));
    const results = await Promise.all(guesses.map((password) => failure(e.login('admin', password, { address: `203.0.113.${guesses.indexOf(password)}` }))));
    // Three checks run at once (the account's limit); every other guess is refused before its password is looked at.
    expect(results.filter((r) => r.code === 'unauthenticated')).toHaveLength(3);
    expect(results.filter((r) => r.code === 'throttled')).toHaveLength(9);
    expect(e.services.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).toBe(0);
    // The same from one address across user names: the address limit holds too.
    const from = { address: '198.51.100.77' };
    const spread = await Promise.all(Array.from({ length: 10 }, (_, i) => failure(e.login(`someone${i}`, 'bad', from))));
    expect(spread.filter((r) => r.code === 'unauthenticated')).toHaveLength(6);
    expect(spread.filter((r) => r.code === 'throttled')).toHaveLength(4);
  });

  it('refuses an address that fails across many user names', async () => {
    t = await startTestEngine({ http: false, authPolicy: fast });
    const from = { address: '198.51.100.9' };
    for (let i = 0; i < 6; i++) await failure(t.login(`user${i}`, 'bad', from));
    expect((await failure(t.login('admin', ADMIN_PASSWORD, from))).code).toBe('throttled');
    // Another address is not affected.
    await expect(t.login('admin', ADMIN_PASSWORD, { address: '198.51.100.10' })).resolves.toBeTruthy();
  });
});

describe('sessions', () => {
  it('expire when idle, and the expiry is recorded', async () => {
    t = await startTestEngine({ http: false, authPolicy: { idleTimeoutMs: 10 * 60_000 } });
    const { token } = await t.login();
    t.advance(9 * 60_000);
    await expect(t.call('auth.me', {}, token)).resolves.toBeTruthy(); // use slides the idle timeout
    t.advance(9 * 60_000);
    await expect(t.call('auth.me', {}, token)).resolves.toBeTruthy();
    t.advance(11 * 60_000);
    expect((await failure(t.call('auth.me', {}, token))).code).toBe('unauthenticated');
    expect(t.services.db.prepare('SELECT end_reason FROM sessions').pluck().get()).toBe('expired');
  });

  it('expire at the absolute limit however much they are used', async () => {
    t = await startTestEngine({ http: false, authPolicy: { idleTimeoutMs: 60 * 60_000, absoluteTimeoutMs: 2 * 60 * 60_000 } });
    const { token } = await t.login();
    for (let i = 0; i < 3; i++) {
      t.advance(50 * 60_000);
      if (i < 2) await t.call('auth.me', {}, token);
    }
    expect((await failure(t.call('auth.me', {}, token))).code).toBe('unauthenticated');
  });

  it('end at logout: the token stops working at once', async () => {
    t = await startTestEngine({ http: false });
    const a = await t.login();
    const b = await t.login();
    await t.call('auth.logout', {}, a.token);
    expect((await failure(t.call('auth.me', {}, a.token))).code).toBe('unauthenticated');
    await expect(t.call('auth.me', {}, b.token)).resolves.toBeTruthy();
  });
});

describe('passwords and accounts', () => {
  it('changes the password: old one wrong is refused, new one works, other sessions end', async () => {
    t = await startTestEngine({ http: false });
    const a = await t.login();
    const b = await t.login();
    const wrongOld = await failure(t.call('auth.changePassword', { oldPassword: 'nope', newPassword: 'New-password-1' }, a.token));
    expect(wrongOld.code).toBe('invalid_input');
    const weak = await failure(t.call('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'short' }, a.token));
    expect(weak.code).toBe('invalid_input');
    await t.call('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'New-password-1' }, a.token);
    await expect(t.call('auth.me', {}, a.token)).resolves.toBeTruthy();
    expect((await failure(t.call('auth.me', {}, b.token))).code).toBe('unauthenticated');
    expect((await failure(t.login('admin', ADMIN_PASSWORD))).code).toBe('unauthenticated');
    await expect(t.login('admin', 'New-password-1')).resolves.toBeTruthy();
  });

  it('refuses a disabled account and ends its sessions', async () => {
    t = await startTestEngine({ http: false });
    const admin = (await t.login()).token;
    const clerkToken = await t.loginAs('clerk', 'mary');
    const mary = (await t.call('systemAccounts.list', {}, admin)).find((a) => a.username === 'mary')!;
    await t.call('systemAccounts.disable', { id: mary.id }, admin);
    expect((await failure(t.call('auth.me', {}, clerkToken))).code).toBe('unauthenticated');
    expect((await failure(t.login('mary', 'mary-Password-1'))).code).toBe('unauthenticated');
    expect(loginLog(t).at(-1)).toMatchObject({ username: 'mary', ok: 0, reason: 'disabled' });
    await t.call('systemAccounts.disable', { id: mary.id, disabled: false }, admin);
    await expect(t.login('mary', 'mary-Password-1')).resolves.toBeTruthy();
  });

  it('never disables or demotes the last active administrator', async () => {
    t = await startTestEngine({ http: false });
    const admin = (await t.login()).token;
    await t.loginAs('admin', 'second');
    const second = (await t.call('systemAccounts.list', {}, admin)).find((a) => a.username === 'second')!;
    await t.call('systemAccounts.disable', { id: second.id }, admin);
    const self = (await t.call('auth.me', {}, admin)).id;
    expect((await failure(t.call('systemAccounts.disable', { id: self }, admin))).code).toBe('conflict');
    expect((await failure(t.call('systemAccounts.update', { id: self, role: 'clerk' }, admin))).code).toBe('conflict');
  });

  it('never returns a password hash', async () => {
    t = await startTestEngine({ http: false });
    const admin = (await t.login()).token;
    const list = await t.call('systemAccounts.list', {}, admin);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password_hash|passwordHash/);
  });
});

describe('first start', () => {
  it('generates an admin password that must be changed before anything else', async () => {
    t = await startTestEngine({ http: false, adminPassword: undefined });
    const generated = t.generatedAdminPassword!;
    expect(generated).toMatch(/^[A-Za-z0-9]{16}$/);
    const { token, user } = await t.login('admin', generated);
    expect(user.mustChangePassword).toBe(true);
    expect((await failure(t.call('systemAccounts.list', {}, token))).code).toBe('password_change_required');
    await t.call('auth.changePassword', { oldPassword: generated, newPassword: 'Chosen-password-1' }, token);
    await expect(t.call('systemAccounts.list', {}, token)).resolves.toHaveLength(1);
  });

  it('does not force a change when the password came from the environment, and creates admin only once', async () => {
    t = await startTestEngine({ http: false });
    expect(t.generatedAdminPassword).toBeNull();
    const { user } = await t.login();
    expect(user.mustChangePassword).toBe(false);
    const again = await t.services.auth.ensureFirstAdmin('Other-password-1');
    expect(again.created).toBe(false);
  });
});
