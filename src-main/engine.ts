import path from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth/service';
import { openStore } from './db/connection';
import { Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { HttpTransport, type HttpOptions } from './api/http';
import { HttpRoutes } from './api/routes';
import { DeviceRepository } from './devices/repository';
import { EventBus } from './events';
import { createLogger, type LogLevel } from './log';
import { SecretBox } from './secrets';
import { SettingsService } from './settings/service';
import type { EngineConfig, Services } from './services';

export interface EngineOptions {
  dataDir: string;
  /** HTTP server; `false` for none (Electron window only, or tests that use the dispatcher directly). */
  http?: HttpOptions | false;
  /** Password for the first-start `admin` (else a generated one is printed once). */
  adminPassword?: string;
  rendererDir?: string;
  resourcesDir?: string;
  authPolicy?: Partial<AuthPolicy>;
  consoleLogLevel?: LogLevel | 'silent';
  /** Injectable clock for tests (epoch ms). */
  now?: () => number;
}

export interface Engine {
  services: Services;
  dispatcher: Dispatcher;
  http?: HttpTransport;
  /** Set on the first start when the admin password was generated: shown once, then forgotten. */
  generatedAdminPassword: string | null;
  stop(): Promise<void>;
}

export const DEFAULT_HTTP: HttpOptions = { host: '127.0.0.1', port: 8080 };

const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
const build = typeof __APP_BUILD__ === 'string' ? __APP_BUILD__ : 'dev';

/** Opens the store, wires the domains, starts the transports. The same engine runs headless and inside Electron. */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const dataDir = path.resolve(opts.dataDir);
  const log = createLogger({ dir: path.join(dataDir, 'logs'), consoleLevel: opts.consoleLogLevel ?? 'info' });
  let store;
  try {
    store = openStore(dataDir);
  } catch (err) {
    log.error('Cannot open the database', { dataDir, error: err });
    log.close();
    throw err;
  }
  const now = opts.now ?? Date.now;
  const config: EngineConfig = {
    dataDir,
    ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
    resourcesDir: opts.resourcesDir ?? path.resolve('resources'),
    version,
    build,
  };
  const auth = new AuthService(store.sqlite, { ...DEFAULT_AUTH_POLICY, ...opts.authPolicy }, now);
  const secrets = new SecretBox(dataDir);
  const services: Services = {
    config,
    store,
    db: store.sqlite,
    orm: store.orm,
    events: new EventBus(),
    log,
    auth,
    routes: new HttpRoutes(),
    secrets,
    settings: new SettingsService(store.sqlite, now),
    devices: new DeviceRepository(store.sqlite, secrets),
    now,
  };
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        log.error('Error while stopping', { error: err });
      }
    }
    stops.length = 0;
  };
  stops.push(() => log.close(), () => store.close());

  try {
    const { generatedPassword } = await auth.ensureFirstAdmin(opts.adminPassword);
    if (generatedPassword) {
      log.warn(
        `First start: created the administrator "admin" with the password ${generatedPassword} ` +
          '(shown once; it must be changed at the first login).',
      );
    }
    const dispatcher = new Dispatcher(services, createHandlers(services));
    let httpTransport: HttpTransport | undefined;
    const httpOpts = opts.http === undefined ? DEFAULT_HTTP : opts.http;
    if (httpOpts) {
      httpTransport = new HttpTransport(services, dispatcher, httpOpts);
      await httpTransport.start();
      stops.push(() => httpTransport!.stop());
    }
    log.info('Engine started', { version, dataDir, http: httpTransport?.url ?? 'off' });
    return {
      services,
      dispatcher,
      ...(httpTransport ? { http: httpTransport } : {}),
      generatedAdminPassword: generatedPassword,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
