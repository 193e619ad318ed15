import type { SettingsView } from '../../src-shared/api/settings';
import { backupFolderOf } from '../system/backup/backup-files';
import type { HttpServerControl } from '../system/http-server-control';
import type { Section, SectionName, SettingsService } from './service';
import { certificateInfo } from './tls';

export type AllSections = { [K in SectionName]: Section<K> };

/** What the settings view reads: the stored sections, the web server as it runs, the data folder (default backups). */
export interface SettingsViewDeps {
  settings: SettingsService;
  httpServer: HttpServerControl;
  config: { dataDir: string };
}

export function readAllSections(s: Pick<SettingsViewDeps, 'settings'>): AllSections {
  return {
    billingInterface: s.settings.get('billingInterface'),
    http: s.settings.get('http'),
    retention: s.settings.get('retention'),
    bills: s.settings.get('bills'),
    currency: s.settings.get('currency'),
    backup: s.settings.get('backup'),
    statistics: s.settings.get('statistics'),
  };
}

function safeCertificateInfo(pem: string | null) {
  if (!pem) return undefined;
  try {
    return certificateInfo(pem);
  } catch {
    return undefined;
  }
}

/** What the API shows of the settings: every secret replaced by whether it is set. */
export function settingsView(s: SettingsViewDeps, sections: AllSections = readAllSections(s)): SettingsView {
  const { billingInterface: bi, http, backup } = sections;
  const active = s.httpServer.activeAddress;
  const certificate = safeCertificateInfo(http.tls.certificate);
  const overrides = s.httpServer.startOverrides;
  return {
    billingInterface: {
      enabled: bi.enabled,
      host: bi.host,
      cdrPort: bi.cdrPort,
      account: bi.account,
      hasPassword: bi.passwordHash !== null,
      addresses: bi.addresses,
    },
    http: {
      remoteAccess: http.remoteAccess,
      host: http.host,
      port: http.port,
      tls: {
        enabled: http.tls.enabled,
        source: http.tls.source,
        ...(certificate ? { certificate } : {}),
        hasPrivateKey: http.tls.privateKeySealed !== null,
      },
      ...(active ? { active } : {}),
      startOverrides: {
        ...(overrides.host !== undefined ? { host: overrides.host } : {}),
        ...(overrides.port !== undefined ? { port: overrides.port } : {}),
      },
    },
    currency: { ...sections.currency },
    retention: { ...sections.retention },
    bills: { ...sections.bills },
    backup: {
      folder: backupFolderOf(backup, s.config.dataDir),
      defaultFolder: backup.folder === null,
      schedule: backup.schedule,
      timeOfDay: backup.timeOfDay,
      weekday: backup.weekday,
      timeZone: backup.timeZone,
      keep: backup.keep,
    },
    statistics: { timeZone: sections.statistics.timeZone },
  };
}
