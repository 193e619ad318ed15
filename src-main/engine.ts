import path from 'node:path';
import { systemClock, type Clock } from './clock';
import { openStore, type Store } from './db/connection';
import { Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { HttpTransport, type HttpOptions } from './api/http';
import type { AuthPolicy } from './auth/service';
import { registerAuthorizeRoute } from './accounts/authorize-route';
import { chargeWhatIsStored } from './charging/store-charging';
import { ratingInfoSection } from './rating/rating-info';
import { registerCdrPushRoute } from './ingest/http-push';
import { CdrTcpListener, type TcpListenerOptions } from './ingest/tcp-listener';
import type { SftpPollerOptions } from './ingest/sftp-poller';
import { createLogger, type Logger, type LogLevel } from './log';
import { registerStorageSections } from './system/info-sections';
import { tlsOptionsFrom } from './settings/tls';
import { httpHostOf } from './settings/update';
import { registerDownloadRoute } from './downloads/handlers';
import type { EngineLifecycle } from './system/lifecycle';
import { createServices, type EngineConfig, type Services } from './services';

export interface EngineOptions {
  dataDir: string;
  /**
   * HTTP server; `false` for none (Electron window only, or tests that use the dispatcher directly). Fields given here
   * (command line, environment) win over the stored HTTP settings at start; missing ones come from the settings.
   */
  http?: Partial<HttpOptions> | false;
  /** The host that can restart this engine (restore); set by EngineHost. */
  lifecycle?: EngineLifecycle;
  /** Password for the first-start `admin` (else a generated one is printed once). */
  adminPassword?: string;
  rendererDir?: string;
  resourcesDir?: string;
  authPolicy?: Partial<AuthPolicy>;
  consoleLogLevel?: LogLevel | 'silent';
  /** The engine's clock (UTC epoch ms); the process clock unless a test or tool sets another. */
  now?: Clock;
  /**
   * The billing interface's CDR TCP listener; `false` for none. `host` / `port` given here win over the stored
   * settings until those change (tests: port 0).
   */
  cdrListener?: TcpListenerOptions | false;
  /** SFTP poller timings (tests use short ones). */
  sftpPolling?: Partial<SftpPollerOptions>;
  /** The CDR writer thread's script (tests of the thread); `false`: store on the engine's thread. See ServiceBase. */
  cdrWriterScript?: string | false;
}

export interface Engine {
  services: Services;
  dispatcher: Dispatcher;
  http?: HttpTransport;
  /** Set on the first start when the admin password was generated: shown once, then forgotten. */
  generatedAdminPassword: string | null;
  stop(): Promise<void>;
}

const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
const build = typeof __APP_BUILD__ === 'string' ? __APP_BUILD__ : 'dev';

/** Stops what was started, last first; a failing stop is logged and the others still run. */
type Stops = (() => Promise<void> | void)[];

/**
 * Opens the store, builds the services, starts them in order. The same engine runs headless and inside Electron.
 * Each step below is one thing a reader can look up; the order matters where a comment says why.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const now = opts.now ?? systemClock;
  const config = engineConfig(opts);
  const log = createLogger({ dir: path.join(config.dataDir, 'logs'), consoleLevel: opts.consoleLogLevel ?? 'info', now });
  const store = openStoreOrLog(config.dataDir, log, now);
  const services = createServices({
    config,
    store,
    log,
    now,
    ...(opts.authPolicy ? { authPolicy: opts.authPolicy } : {}),
    ...(opts.sftpPolling ? { sftpPolling: opts.sftpPolling } : {}),
    ...(opts.cdrWriterScript !== undefined ? { cdrWriterScript: opts.cdrWriterScript } : {}),
    http: httpOverrides(opts.http),
    ...(opts.lifecycle ? { lifecycle: opts.lifecycle } : {}),
  });
  const stops: Stops = [() => log.close(), () => store.close(), () => services.downloads.stop(), () => services.ingestStatus.stop()];
  const stop = () => stopAll(stops, log);
  try {
    const generatedPassword = await ensureFirstAdmin(services, opts.adminPassword);
    const dispatcher = new Dispatcher(services, createHandlers(services));
    registerHttpRoutes(services);
    if (opts.http !== false) await startWebServer(services, dispatcher, opts.http ?? {}, stops);
    startSchedules(services, stops);
    startRating(services, stops);
    startCharging(services, stops);
    if (opts.cdrListener !== false) await startCdrListener(services, opts.cdrListener ?? {}, stops);
    // Last, once the store's processors (charging) are in place: polled CDRs are handled like any others.
    services.sftpPollers.start();
    stops.push(() => services.sftpPollers.stop());
    log.info('Engine started', { version, dataDir: config.dataDir, http: services.httpServer.url || 'off' });
    return {
      services,
      dispatcher,
      // The web server can move (settings.update): always the one serving now.
      get http() {
        return services.httpServer.current;
      },
      generatedAdminPassword: generatedPassword,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function engineConfig(opts: EngineOptions): EngineConfig {
  return {
    dataDir: path.resolve(opts.dataDir),
    ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
    resourcesDir: opts.resourcesDir ?? path.resolve('resources'),
    version,
    build,
  };
}

function openStoreOrLog(dataDir: string, log: Logger, now: Clock): Store {
  try {
    return openStore(dataDir, { now });
  } catch (err) {
    log.error('Cannot open the database', { dataDir, error: err });
    log.close();
    throw err;
  }
}

/** Host and port given at start win over the stored settings until those change. */
function httpOverrides(http: EngineOptions['http']): { host?: string; port?: number } {
  if (!http) return {};
  return { ...(http.host !== undefined ? { host: http.host } : {}), ...(http.port !== undefined ? { port: http.port } : {}) };
}

async function stopAll(stops: Stops, log: Logger): Promise<void> {
  for (const s of stops.reverse()) {
    try {
      await s();
    } catch (err) {
      log.error('Error while stopping', { error: err });
    }
  }
  stops.length = 0;
}

/** The first start creates `admin`; a generated password is logged once and must be changed at the first login. */
async function ensureFirstAdmin(s: Services, password: string | undefined): Promise<string | null> {
  const { generatedPassword } = await s.auth.ensureFirstAdmin(password);
  if (generatedPassword) {
    s.log.warn(
      `First start: created the administrator "admin" with the password ${generatedPassword} ` +
        '(shown once; it must be changed at the first login).',
    );
  }
  return generatedPassword;
}

/** Routes beside the API: file downloads, the billing interface's CDR push and its authorization requests. */
function registerHttpRoutes(s: Services): void {
  registerDownloadRoute(s);
  registerCdrPushRoute(s);
  registerAuthorizeRoute(s);
}

async function startWebServer(s: Services, dispatcher: Dispatcher, given: Partial<HttpOptions>, stops: Stops): Promise<void> {
  const httpOpts = httpStartOptions(given, s);
  stops.push(() => s.httpServer.stop());
  await s.httpServer.start(httpOpts, (o) => new HttpTransport(s, dispatcher, o));
}

/** Backups, retention (archive and purge) and the storage figures of system.info. */
function startSchedules(s: Services, stops: Stops): void {
  s.backups.startSchedule();
  stops.push(() => s.backups.stop());
  s.retention.startSchedule();
  stops.push(() => s.retention.stop());
  stops.push(registerStorageSections(s));
}

/** After the web server is up: a first start loads the default attribution data in the background. */
function startRating(s: Services, stops: Stops): void {
  s.rating.start(s.config.resourcesDir);
  s.systemInfo.register('rating', () => ratingInfoSection(s.rating, s.now));
  stops.push(() => s.rating.stop());
}

/**
 * Every batch the store commits is rated and charged in its transaction; what was stored while the rating data was
 * loading (or before an upgrade added charging) is charged in the background once it is ready. Before anything
 * charges, the statistics zone is stored and the rollups counted (once) or their rebuild resumed; months that are over
 * are closed into immutable statements (now in the background, then every hour).
 */
function startCharging(s: Services, stops: Stops): void {
  s.statistics.start();
  stops.push(() => s.statistics.stop());
  s.bills.start();
  stops.push(() => s.bills.stop());
  stops.push(chargeWhatIsStored(s));
  // The transports' writer (a worker thread in the bundled engine) rates with its own copy of the rating data.
  const writer = s.cdrWriter;
  writer.start();
  stops.push(s.rating.onChange((change) => writer.ratingChanged(change)));
  stops.push(() => writer.close());
  void s.rating
    .ready()
    // Once the writer charges what it stores, the CDRs stored pending before can be drained without new ones coming.
    .then(() => writer.startCharging())
    .then(() => s.charging.drainPending())
    .then((n) => n > 0 && s.log.info('Charged CDRs that were waiting', { count: n }))
    .catch((err: unknown) => s.log.error('Charging the waiting CDRs failed', { error: err }));
}

/** The billing interface's CDR TCP listener. */
async function startCdrListener(s: Services, options: TcpListenerOptions, stops: Stops): Promise<void> {
  const listener = new CdrTcpListener(
    { db: s.db, settings: s.settings, devices: s.devices, cdrWriter: s.cdrWriter, ingestStatus: s.ingestStatus, events: s.events, log: s.log, now: s.now },
    options,
  );
  s.cdrListener = listener;
  stops.push(() => listener.stop());
  await listener.start();
}

/**
 * The web server's start options: start options (flags, environment) first, then the stored HTTP settings. A stored
 * TLS certificate that cannot be loaded (e.g. a restored database without its key) starts plain HTTP on 127.0.0.1
 * only, so an admin on this computer can fix it, rather than not starting at all.
 */
function httpStartOptions(given: Partial<HttpOptions>, s: Services): HttpOptions {
  const stored = s.settings.get('http');
  const host = given.host ?? httpHostOf(stored);
  const port = given.port ?? stored.port;
  if (given.tls) return { host, port, tls: given.tls };
  try {
    const tls = tlsOptionsFrom(stored.tls, s.secrets);
    return { host, port, ...(tls ? { tls } : {}) };
  } catch (err) {
    s.log.error('The stored TLS certificate cannot be used; the web server starts without TLS on 127.0.0.1 only', { error: err });
    return { host: '127.0.0.1', port };
  }
}
