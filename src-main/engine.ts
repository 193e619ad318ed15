import path from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth/service';
import { systemClock, type Clock } from './clock';
import { openStore } from './db/connection';
import { Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { HttpTransport, type HttpOptions } from './api/http';
import { HttpRoutes } from './api/routes';
import { DeviceRepository } from './devices/repository';
import { BalanceAlerts } from './accounts/alerts';
import { ChargingPipeline, knownExtensionsOf } from './charging/charging';
import { Ledger } from './accounts/ledger';
import { AccountRepository } from './accounts/repository';
import { registerAuthorizeRoute } from './accounts/authorize-route';
import { CallerSightings } from './accounts/unknown-extensions';
import { generateChinaAttribution } from './rating/default-attribution';
import { ratingInfoSection } from './rating/rating-info';
import { RatingService } from './rating/rating-service';
import { CdrStore } from './ingest/store';
import { IngestStatus } from './ingest/status';
import { registerCdrPushRoute } from './ingest/http-push';
import { CdrTcpListener, type TcpListenerOptions } from './ingest/tcp-listener';
import { DEFAULT_SFTP_POLLER_OPTIONS, type SftpPollerOptions } from './ingest/sftp-poller';
import { SftpPollers } from './ingest/sftp-pollers';
import { SftpFileProgress } from './ingest/sftp-progress';
import { EventBus } from './events';
import { createLogger, type LogLevel } from './log';
import { SecretBox } from './secrets';
import { RetentionService } from './system/retention/retention-service';
import { registerStorageSections } from './system/info-sections';
import { SettingsService } from './settings/service';
import { tlsOptionsFrom } from './settings/tls';
import { httpHostOf } from './settings/update';
import { registerDownloadRoute } from './downloads/handlers';
import { DownloadRegistry } from './downloads/registry';
import { ExportJobs } from './cdrs/export-jobs';
import { BackupService } from './system/backup/backup-service';
import type { EngineLifecycle } from './system/lifecycle';
import { HttpServerControl } from './system/http-server-control';
import { SystemInfoRegistry } from './system/system-info';
import { StatisticsService } from './statistics/service';
import { BillingService } from './bills/service';
import type { EngineConfig, Services } from './services';

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
  const now = opts.now ?? systemClock;
  const log = createLogger({ dir: path.join(dataDir, 'logs'), consoleLevel: opts.consoleLogLevel ?? 'info', now });
  let store;
  try {
    store = openStore(dataDir, { now });
  } catch (err) {
    log.error('Cannot open the database', { dataDir, error: err });
    log.close();
    throw err;
  }
  const config: EngineConfig = {
    dataDir,
    ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
    resourcesDir: opts.resourcesDir ?? path.resolve('resources'),
    version,
    build,
  };
  const auth = new AuthService(store.sqlite, { ...DEFAULT_AUTH_POLICY, ...opts.authPolicy }, now);
  const secrets = new SecretBox(dataDir);
  const settings = new SettingsService(store.sqlite, now);
  const events = new EventBus();
  const devices = new DeviceRepository(store.sqlite, secrets);
  const ingestStatus = new IngestStatus(store.sqlite, events, now);
  const ledger = new Ledger(store.sqlite);
  const services: Services = {
    config,
    store,
    db: store.sqlite,
    events,
    log,
    auth,
    routes: new HttpRoutes(),
    secrets,
    settings,
    devices,
    rating: new RatingService({
      db: store.sqlite,
      devices,
      events,
      log,
      now,
      generateDefaultAttribution: () => generateChinaAttribution(),
      // Beside the bundle (dist/main); tests running the sources generate on the engine's thread.
      defaultAttributionWorker: { script: path.join(__dirname, 'attribution-worker.cjs'), dbFile: store.file },
    }),
    cdrStore: new CdrStore(store.sqlite, now, ingestStatus),
    ingestStatus,
    cdrListener: null,
    accountRepo: new AccountRepository(store.sqlite),
    ledger,
    balanceAlerts: new BalanceAlerts(store.sqlite, ledger, events),
    get charging(): ChargingPipeline {
      return charging;
    },
    get retention(): RetentionService {
      return retention;
    },
    sftpPollers: new SftpPollers(
      {
        db: store.sqlite,
        get store() {
          return services.cdrStore;
        },
        progress: new SftpFileProgress(store.sqlite, now),
        status: ingestStatus,
        devices,
        events,
        log,
        now,
      },
      { ...DEFAULT_SFTP_POLLER_OPTIONS, ...opts.sftpPolling },
    ),
    statistics: new StatisticsService({ db: store.sqlite, settings, log, now }),
    get bills(): BillingService {
      return bills;
    },
    httpServer: new HttpServerControl(log, {
      ...(opts.http && opts.http.host !== undefined ? { host: opts.http.host } : {}),
      ...(opts.http && opts.http.port !== undefined ? { port: opts.http.port } : {}),
    }),
    backups: new BackupService({ db: store.sqlite, dataDir, settings, events, log, now, version }),
    systemInfo: new SystemInfoRegistry(),
    downloads: new DownloadRegistry({ dir: path.join(dataDir, 'tmp', 'downloads'), now, log }),
    exportJobs: new ExportJobs(events, now),
    lifecycle: opts.lifecycle ?? null,
    now,
  };

  const retention = new RetentionService(services);
  const charging = new ChargingPipeline(store.sqlite, services.rating, ledger, services.balanceAlerts, log, now, services.statistics.rollups);
  const bills = new BillingService({ db: store.sqlite, log, now, timeZone: () => services.statistics.timeZone, closeFromDay: () => services.settings.get('bills').closeFromDay });
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
  stops.push(() => log.close(), () => store.close(), () => services.downloads.stop(), () => ingestStatus.stop());

  try {
    const { generatedPassword } = await auth.ensureFirstAdmin(opts.adminPassword);
    if (generatedPassword) {
      log.warn(
        `First start: created the administrator "admin" with the password ${generatedPassword} ` +
          '(shown once; it must be changed at the first login).',
      );
    }
    const dispatcher = new Dispatcher(services, createHandlers(services));
    registerDownloadRoute(services);
    registerCdrPushRoute(services);
    registerAuthorizeRoute(services);
    if (opts.http !== false) {
      const httpOpts = httpStartOptions(opts.http ?? {}, services);
      stops.push(() => services.httpServer.stop());
      await services.httpServer.start(httpOpts, (o) => new HttpTransport(services, dispatcher, o));
    }
    services.backups.startSchedule();
    stops.push(() => services.backups.stop());
    retention.startSchedule();
    stops.push(() => retention.stop());
    stops.push(registerStorageSections(services));
    // After the web server is up: a first start loads the default attribution data in the background.
    services.rating.start(config.resourcesDir);
    services.systemInfo.register('rating', () => ratingInfoSection(services.rating, now));
    stops.push(() => services.rating.stop());
    // Charging: every batch the store commits is rated and charged in its transaction; what was stored while the
    // rating data was loading (or before an upgrade added charging) is charged in the background once it is ready.
    // Before anything charges: the statistics zone is stored and the rollups counted (once) or their rebuild resumed.
    services.statistics.start();
    stops.push(() => services.statistics.stop());
    // Months that are over are closed into immutable statements (now in the background, then every hour).
    bills.start();
    stops.push(() => bills.stop());
    services.rating.setKnownExtensionsProvider(knownExtensionsOf(store.sqlite));
    stops.push(services.cdrStore.addProcessor((ids) => charging.process(ids)));
    // Callers of every stored batch, for the extensions that call but are not configured (extensions.unknown).
    const sightings = new CallerSightings(store.sqlite);
    stops.push(services.cdrStore.addProcessor((ids) => sightings.recordBatch(ids)));
    void services.rating
      .ready()
      .then(() => charging.drainPending())
      .then((n) => n > 0 && log.info('Charged CDRs that were waiting', { count: n }))
      .catch((err: unknown) => log.error('Charging the waiting CDRs failed', { error: err }));
    if (opts.cdrListener !== false) {
      const listener = new CdrTcpListener(
        { db: store.sqlite, settings, devices, cdrStore: services.cdrStore, ingestStatus, events, log, now },
        opts.cdrListener ?? {},
      );
      services.cdrListener = listener;
      stops.push(() => listener.stop());
      await listener.start();
    }
    // Last, once the store's processors (charging) are in place: polled CDRs are handled like any others.
    services.sftpPollers.start();
    stops.push(() => services.sftpPollers.stop());
    log.info('Engine started', { version, dataDir, http: services.httpServer.url || 'off' });
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
