import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine, type EngineOptions } from '../../src-main/engine';
import type { Caller } from '../../src-main/api/call-context';
import type { InputOf, MethodName, OutputOf } from '../../src-shared/api';
import type { LoginResult } from '../../src-shared/api/auth';

export const ADMIN_PASSWORD = 'Admin-pass-123';

export interface TestEngine extends Engine {
  dataDir: string;
  /** Moves the engine's clock forward (sessions, throttling); `now` in the options sets where it starts. */
  advance(ms: number): void;
  /** Calls a method through the dispatcher as the holder of `token` (or anonymously). */
  call<M extends MethodName>(method: M, input: InputOf<M>, token?: string, caller?: Partial<Caller>): Promise<OutputOf<M>>;
  login(username?: string, password?: string, caller?: Partial<Caller>): Promise<LoginResult>;
  /** Creates a system account with the given role and returns a logged-in token for it. */
  loginAs(role: 'admin' | 'clerk' | 'auditor', username?: string): Promise<string>;
  /** Stops the engine and removes its data folder. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'billing-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real engine on a temporary data folder, HTTP on a free port of 127.0.0.1 unless `http: false`. */
export async function startTestEngine(opts: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dataDir = opts.dataDir ?? tempDir();
  let offset = 0;
  const clock = opts.now ?? (() => Date.now());
  const engine = await startEngine({
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    adminPassword: ADMIN_PASSWORD,
    consoleLogLevel: 'silent',
    resourcesDir: path.resolve('resources'),
    ...opts,
    now: () => clock() + offset,
  });
  const call = async <M extends MethodName>(method: M, input: InputOf<M>, token?: string, caller: Partial<Caller> = {}) =>
    (await engine.dispatcher.call(method, input, {
      transport: 'internal',
      address: '127.0.0.1',
      ...(token ? { token } : {}),
      ...caller,
    })) as OutputOf<M>;
  const login = (username = 'admin', password = ADMIN_PASSWORD, caller: Partial<Caller> = {}) =>
    call('auth.login', { username, password }, undefined, caller);
  let adminToken: string | undefined;
  const roleCounter: Record<string, number> = {};
  return {
    ...engine,
    dataDir,
    advance: (ms) => {
      offset += ms;
    },
    call,
    login,
    loginAs: async (role, username) => {
      if (role === 'admin' && !username) return (adminToken ??= (await login()).token);
      adminToken ??= (await login()).token;
      const name = username ?? `${role}${(roleCounter[role] = (roleCounter[role] ?? 0) + 1)}`;
      const password = `${name}-Password-1`;
      await call('systemAccounts.create', { username: name, password, role, mustChangePassword: false }, adminToken);
      return (await login(name, password)).token;
    },
    dispose: async () => {
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
