import { z } from 'zod';
import { ADMIN, method } from './contract';
import { timeZone, type IsoTime } from './common';
import { sourceAddress } from './devices';
import { keyed } from './messages';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Loose IPv6 shape; whether the address is usable here is found out by binding to it before saving. */
const IPV6 = /^(?=.*:)[0-9a-fA-F:.]{2,45}$/;

/** An IP address to listen on: 0.0.0.0 (all IPv4 interfaces), :: (all), 127.0.0.1, or one address of this machine. */
export const listenAddress = z
  .string()
  .trim()
  .refine(
    (s) => IPV4.test(s) || IPV6.test(s),
    keyed('field.listenAddress', 'must be an IP address of this computer, 0.0.0.0 (all interfaces) or 127.0.0.1'),
  );
export const listenPort = z.number().int().min(1, keyed('field.port', 'must be a port number from 1 to 65535')).max(65535, keyed('field.port', 'must be a port number from 1 to 65535'));
const pem = (kind: string) =>
  z.string().max(65_536).refine((s) => s.includes('-----BEGIN '), keyed(kind === 'certificate' ? 'field.pemCertificate' : 'field.pemKey', `must be a PEM ${kind} (-----BEGIN ...)`));

export const billingInterfaceUpdate = z.object({
  enabled: z.boolean().optional(),
  /** Interface of the CDR TCP listener (0.0.0.0 = all; device addresses are checked anyway). */
  host: listenAddress.optional(),
  cdrPort: listenPort.optional(),
  account: z.string().trim().min(1).max(64).regex(/^[\x21-\x7e]+$/, keyed('field.printableAscii', 'printable ASCII without spaces')).optional(),
  /** Write-only. Omit to keep the stored password, "" to remove it, anything else (8+ characters) to change it. */
  password: z
    .string()
    .max(256)
    .refine((p) => p === '' || p.length >= 8, keyed('field.interfacePassword', 'at least 8 characters ("" removes the password)'))
    .optional(),
  addresses: z.array(sourceAddress).max(500).optional(),
});

export const httpUpdate = z.object({
  /** Off: the web server answers only this computer (127.0.0.1). On: it listens on `host`. */
  remoteAccess: z.boolean().optional(),
  host: listenAddress.optional(),
  port: listenPort.optional(),
  tls: z
    .object({
      enabled: z.boolean().optional(),
      /** Upload: a PEM certificate (chain) and its private key, both together. */
      certificate: pem('certificate').optional(),
      privateKey: pem('private key').optional(),
      /** Generate a new self-signed certificate for this computer's names and addresses. */
      generateSelfSigned: z.boolean().optional(),
    })
    .optional(),
});

export const backupUpdate = z.object({
  /** Absolute folder for backups; null = `<data folder>/backups`. */
  folder: z.string().trim().min(1).max(1024).nullable().optional(),
  schedule: z.enum(['off', 'daily', 'weekly']).optional(),
  /** Local time of day "HH:MM" in `timeZone`. */
  timeOfDay: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, keyed('field.timeOfDay', 'must be a time of day HH:MM, e.g. 02:30'))
    .optional(),
  /** Weekly backups: ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: z.number().int().min(1).max(7).optional(),
  timeZone: timeZone.optional(),
  /** Scheduled backups kept; older scheduled ones are deleted (manual backups are never deleted automatically). */
  keep: z.number().int().min(1).max(365).optional(),
});

export const settingsUpdateInput = z.object({
  billingInterface: billingInterfaceUpdate.optional(),
  http: httpUpdate.optional(),
  currency: z
    .object({
      code: z.string().trim().regex(/^[A-Z]{3}$/, keyed('field.currencyCode', 'must be an ISO 4217 code such as CNY or USD')).optional(),
      symbol: z.string().trim().min(1).max(8).optional(),
    })
    .optional(),
  retention: z.object({ months: z.number().int().min(1).max(120).optional() }).optional(),
  /** Monthly bills: a month can be closed from this day of the next month (1 = as soon as it is over). */
  bills: z.object({ closeFromDay: z.number().int().min(1, keyed('field.closeFromDay', 'must be a day from 1 to 28')).max(28, keyed('field.closeFromDay', 'must be a day from 1 to 28')).optional() }).optional(),
  backup: backupUpdate.optional(),
});

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses the certificate is valid for. */
  subjectAltName: string;
  validFrom: IsoTime;
  validTo: IsoTime;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface SettingsView {
  billingInterface: {
    enabled: boolean;
    host: string;
    cdrPort: number;
    account: string;
    /** The password itself is never returned. */
    hasPassword: boolean;
    addresses: string[];
  };
  http: {
    remoteAccess: boolean;
    host: string;
    port: number;
    tls: { enabled: boolean; source: 'none' | 'uploaded' | 'selfSigned'; certificate?: CertificateInfo; hasPrivateKey: boolean };
    /** What the web server of this process listens on now (absent when it runs without one). */
    active?: { url: string; host: string; port: number; tls: boolean };
    /** Values given at start (--http-host / --http-port or BILLING_HTTP_*): they win over these settings at every start. */
    startOverrides: { host?: string; port?: number };
  };
  currency: { code: string; symbol: string };
  retention: { months: number };
  /** A month's bills can be closed from this day of the next month (default 5); the days before are a grace period. */
  bills: { closeFromDay: number };
  backup: {
    folder: string;
    /** True when `folder` is the default `<data folder>/backups`. */
    defaultFolder: boolean;
    schedule: 'off' | 'daily' | 'weekly';
    timeOfDay: string;
    weekday: number;
    timeZone: string;
    keep: number;
  };
  /** Default zone of statistics and bills (changed with stats.setTimeZone, which counts the rollups again). */
  statistics: { timeZone: string };
}

export interface SettingsUpdateResult {
  settings: SettingsView;
  /** Fields that changed, as paths ("http.port", "billingInterface.password"). */
  changed: string[];
  /** Changed fields already in effect (the web server moved, listeners were told, the schedule re-armed). */
  applied: string[];
  /** Changed fields stored but only in effect after a restart. */
  restartRequired: string[];
  /** Changed fields that a start option (--http-host / --http-port) will override at the next start. */
  overriddenAtStart: string[];
  /** Where the web server answers now, when it moved. */
  httpUrl?: string;
  /** Things the admin should know (e.g. remote access without TLS). */
  warnings: string[];
}

export const settingsMethods = {
  'settings.get': method<SettingsView>()({
    input: z.object({}),
    access: ADMIN,
    mutation: false,
    summary: 'All settings: billing interface, web server (remote access, TLS), currency, retention, backups. Secrets never returned.',
    returns: 'SettingsView',
  }),
  'settings.update': method<SettingsUpdateResult>()({
    input: settingsUpdateInput,
    access: ADMIN,
    mutation: true,
    async: true,
    maxBodyBytes: 256 * 1024,
    summary:
      'Change some settings (only the fields sent). Ports are tried before saving; the web server moves at once, ' +
      'the CDR listener is told; the result says what applied and what needs a restart.',
    returns: '{ settings, changed[], applied[], restartRequired[], overriddenAtStart[], httpUrl?, warnings[] }',
  }),
} as const;
