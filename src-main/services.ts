import fs from 'node:fs';
import path from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth/service';
import type { Clock } from './clock';
import type { Store } from './db/connection';
import { HttpRoutes } from './api/routes';
import { DeviceRepository } from './devices/repository';
import { BalanceAlerts } from './accounts/alerts';
import { ChargingPipeline } from './charging/charging';
import { Ledger } from './accounts/ledger';
import { AccountRepository } from './accounts/repository';
import { generateChinaAttribution } from './rating/default-attribution';
import { RatingService } from './rating/rating-service';
import { CdrStore } from './ingest/store';
import { InlineCdrWriter, type CdrWriter } from './ingest/writer/cdr-writer';
import { WorkerCdrWriter } from './ingest/writer/worker-writer';
import { IngestStatus } from './ingest/status';
import { DEFAULT_SFTP_POLLER_OPTIONS, type SftpPollerOptions } from './ingest/sftp-poller';
import { SftpPollers } from './ingest/sftp-pollers';
import { SftpFileProgress } from './ingest/sftp-repository';
import { EventBus } from './events';
import type { Logger } from './log';
import { SecretBox } from './secrets';
import { RetentionService } from './system/retention/retention-service';
import { SettingsService } from './settings/service';
import { DownloadRegistry } from './downloads/registry';
import { ExportJobs } from './cdrs/export-jobs';
import { BackupService } from './system/backup/backup-service';
import { HttpServerControl } from './system/http-server-control';
import { SystemInfoRegistry } from './system/system-info';
import { StatisticsService } from './statistics/service';
import { BillingService } from './bills/service';
import type { Sqlite } from './db/connection';
import type { CdrTcpListener } from './ingest/tcp-listener';
import type { EngineLifecycle } from './system/lifecycle';

export interface EngineConfig {
  dataDir: string;
  /** Built renderer served by the HTTP server (absent in tests that only use the API). */
  rendererDir?: string;
  /** Default data (special numbers, seed rates...). */
  resourcesDir: string;
  version: string;
  build: string;
}

/**
 * What handlers and background jobs share. One instance per engine; domains add their services here
 * (and start/stop them in engine.ts).
 */
export interface Services {
  config: EngineConfig;
  store: Store;
  db: Sqlite;
  events: EventBus;
  log: Logger;
  auth: AuthService;
  routes: HttpRoutes;
  secrets: SecretBox;
  settings: SettingsService;
  devices: DeviceRepository;
  /** Classification and rating contexts, cached per device and rate group (see rating/rating-service.ts). */
  rating: RatingService;
  /** Daily statistics rollups (kept by charging and rerating), the statistics time zone, the rollup check. */
  statistics: StatisticsService;
  /** Monthly statements per enterprise: computed from the ledger, stored when the month closes. */
  bills: BillingService;
  /**
   * Stores parsed CDR batches exactly once, rated and charged (charging is installed at start). On the engine's
   * thread it stores what a clerk's action stores (rejects read again); the transports store through `cdrWriter`.
   */
  cdrStore: CdrStore;
  /** Where every transport's batches are stored: a worker thread with its own connection in the bundled engine. */
  cdrWriter: CdrWriter;
  /** Live ingest status per device (connections, last CDR, polls, errors, today's counts). */
  ingestStatus: IngestStatus;
  /** The billing interface's TCP listener; null until started (or when the engine runs without it). */
  cdrListener: CdrTcpListener | null;
  /** Enterprise, user and gateway accounts; the ledger that is the only writer of money; balance alerts. */
  accountRepo: AccountRepository;
  ledger: Ledger;
  balanceAlerts: BalanceAlerts;
  /** Rates and charges stored CDRs in the transaction that stored them (a CdrStore processor). */
  charging: ChargingPipeline;
  /** Archives and purges CDRs older than the retention period (daily, and system.purge). */
  retention: RetentionService;
  /** One SFTP poller per enabled device with SFTP settings; follows device changes. */
  sftpPollers: SftpPollers;
  /** The web server of this engine; moves when the HTTP settings change. */
  httpServer: HttpServerControl;
  backups: BackupService;
  /** Sections other domains add to `system.info` (see system/system-info.ts). */
  systemInfo: SystemInfoRegistry;
  /** Prepared files (exports) and their one-time download tickets (see downloads/registry.ts). */
  downloads: DownloadRegistry;
  /** Running exports: progress events to the exporting session, and cancelling (see cdrs/export-jobs.ts). */
  exportJobs: ExportJobs;
  /** Restarts the engine with its database closed (restore); null when started without an EngineHost. */
  lifecycle: EngineLifecycle | null;
  now(): number;
}

/** What the services are built from: the open store, the log and clock, and the options of this start. */
export interface ServiceBase {
  config: EngineConfig;
  store: Store;
  log: Logger;
  now: Clock;
  authPolicy?: Partial<AuthPolicy>;
  sftpPolling?: Partial<SftpPollerOptions>;
  /** Host and port given at start (they win over the stored HTTP settings). */
  http?: { host?: string; port?: number };
  lifecycle?: EngineLifecycle;
  /**
   * The CDR writer thread's script; default: the bundled one beside the engine (dist/main/cdr-writer.cjs) when it is
   * there. `false`, or no script (the sources run by tests): batches are stored on the engine's thread.
   */
  cdrWriterScript?: string | false;
}

/** The writer of the transports' batches: the worker thread when its script is there, else the engine's thread. */
function createCdrWriter(base: ServiceBase, parts: { cdrStore: CdrStore; ingestStatus: IngestStatus; events: EventBus; sftpProgress: SftpFileProgress }): CdrWriter {
  const inline = new InlineCdrWriter({ db: base.store.sqlite, cdrStore: parts.cdrStore, sftpProgress: parts.sftpProgress, now: base.now });
  const script = base.cdrWriterScript ?? unpacked(path.join(__dirname, 'cdr-writer.cjs'));
  if (script && fs.existsSync(script)) {
    const { ingestStatus, events } = parts;
    return new WorkerCdrWriter({ script, dbFile: base.store.file, dataDir: base.config.dataDir, ingestStatus, events, log: base.log, now: base.now, fallback: inline });
  }
  return inline;
}

/** A worker thread's script is loaded from outside the app's asar archive (electron-builder.yml unpacks it). */
function unpacked(file: string): string {
  const outside = file.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  return outside !== file && fs.existsSync(outside) ? outside : file;
}

/**
 * Builds every service of one engine on an open store: the one place that knows them all. Nothing starts here
 * (no timers, sockets or background work): `startEngine` starts them in order.
 */
export function createServices(base: ServiceBase): Services {
  const { config, store, log, now } = base;
  const db = store.sqlite;
  const secrets = new SecretBox(config.dataDir);
  const settings = new SettingsService(db, now);
  const events = new EventBus();
  const devices = new DeviceRepository(db, secrets);
  const ingestStatus = new IngestStatus(db, events, now);
  const ledger = new Ledger(db);
  const accountRepo = new AccountRepository(db);
  const balanceAlerts = new BalanceAlerts({ accountRepo, ledger, events });
  const rating = new RatingService({
    db,
    devices,
    events,
    log,
    now,
    generateDefaultAttribution: () => generateChinaAttribution(),
    // Beside the bundle (dist/main); tests running the sources generate on the engine's thread.
    defaultAttributionWorker: { script: path.join(__dirname, 'attribution-worker.cjs'), dbFile: store.file },
  });
  const statistics = new StatisticsService({ db, settings, log, now });
  const cdrStore = new CdrStore(db, now, ingestStatus);
  const sftpProgress = new SftpFileProgress(db, now);
  const cdrWriter = createCdrWriter(base, { cdrStore, ingestStatus, events, sftpProgress });
  const services: Services = {
    config,
    store,
    db,
    events,
    log,
    auth: new AuthService(db, { ...DEFAULT_AUTH_POLICY, ...base.authPolicy }, now),
    routes: new HttpRoutes(),
    secrets,
    settings,
    devices,
    rating,
    cdrStore,
    cdrWriter,
    ingestStatus,
    cdrListener: null,
    accountRepo,
    ledger,
    balanceAlerts,
    charging: new ChargingPipeline({ db, rating, ledger, balanceAlerts, log, rollups: statistics.rollups, now }),
    get retention(): RetentionService {
      return retention;
    },
    sftpPollers: new SftpPollers(
      { db, writer: cdrWriter, progress: sftpProgress, status: ingestStatus, devices, events, log, now },
      { ...DEFAULT_SFTP_POLLER_OPTIONS, ...base.sftpPolling },
    ),
    statistics,
    bills: new BillingService({ db, log, now, timeZone: () => statistics.timeZone, closeFromDay: () => settings.get('bills').closeFromDay }),
    httpServer: new HttpServerControl(log, base.http ?? {}),
    backups: new BackupService({ db, dataDir: config.dataDir, settings, events, log, now, version: config.version }),
    systemInfo: new SystemInfoRegistry(),
    downloads: new DownloadRegistry({ dir: path.join(config.dataDir, 'tmp', 'downloads'), now, log }),
    exportJobs: new ExportJobs(events, now),
    lifecycle: base.lifecycle ?? null,
    now,
  };
  // Retention archives and purges through the other services (the CDR store, statistics, settings...).
  const retention = new RetentionService(services);
  return services;
}
