import type { AuthService } from './auth/service';
import type { Orm, Sqlite, Store } from './db/connection';
import type { EventBus } from './events';
import type { Logger } from './log';
import type { HttpRoutes } from './api/routes';
import type { DeviceRepository } from './devices/repository';
import type { SecretBox } from './secrets';
import type { SettingsService } from './settings/service';

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
  orm: Orm;
  events: EventBus;
  log: Logger;
  auth: AuthService;
  routes: HttpRoutes;
  secrets: SecretBox;
  settings: SettingsService;
  devices: DeviceRepository;
  now(): number;
}
