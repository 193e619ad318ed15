import type { AuthService } from './auth/service';
import type { Sqlite, Store } from './db/connection';
import type { EventBus } from './events';
import type { Logger } from './log';
import type { HttpRoutes } from './api/routes';
import type { DeviceRepository } from './devices/repository';
import type { BalanceAlerts } from './accounts/alerts';
import type { ChargingPipeline } from './charging/charging';
import type { Ledger } from './accounts/ledger';
import type { AccountRepository } from './accounts/repository';
import type { SftpPollers } from './ingest/sftp-pollers';
import type { RatingService } from './rating/rating-service';
import type { SecretBox } from './secrets';
import type { RetentionService } from './system/retention/retention-service';
import type { SettingsService } from './settings/service';
import type { DownloadRegistry } from './downloads/registry';
import type { ExportJobs } from './cdrs/export-jobs';
import type { CdrStore } from './ingest/store';
import type { IngestStatus } from './ingest/status';
import type { CdrTcpListener } from './ingest/tcp-listener';
import type { BackupService } from './system/backup/backup-service';
import type { EngineLifecycle } from './system/lifecycle';
import type { HttpServerControl } from './system/http-server-control';
import type { SystemInfoRegistry } from './system/system-info';
import type { StatisticsService } from './statistics/service';
import type { BillingService } from './bills/service';

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
  /** Stores parsed CDR batches exactly once (every ingest transport; charging adds a processor). */
  cdrStore: CdrStore;
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
