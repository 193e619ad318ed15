import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { id, timeZone, type IsoTime, type Ok } from './common';
import { DEFAULT_COUNTRY_CODE } from '../domain/country-time-zone';
import { withoutDefaults } from './partial-input';
import type { DeviceIngestStatus, IngestCounts, TcpListenerState } from './ingest';
import { CDR_FORMATS, type CdrFormat } from '../domain/cdr';
import { keyed } from './messages';

const digits = (min: number, max: number) =>
  z.string().trim().regex(new RegExp(`^\\d{${min},${max}}$`), keyed(min === max ? 'field.digitsExact' : 'field.digitsBetween', `must be ${min === max ? min : `${min} to ${max}`} digits`, { min, max }));

const regexSource = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, keyed('field.regex', 'must be a valid regular expression, e.g. 8\\d{3}'));

/** An IPv4/IPv6 address, or a CIDR block such as 192.168.1.0/24. */
export const sourceAddress = z
  .string()
  .trim()
  .refine((s) => {
    const [ip, bits, extra] = s.split('/');
    if (extra !== undefined || !ip) return false;
    const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(ip);
    const v6 = !v4 && /^[0-9a-fA-F:.]+$/.test(ip) && ip.includes(':');
    if (!v4 && !v6) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n >= 0 && n <= (v4 ? 32 : 128);
  }, keyed('field.sourceAddress', 'must be an IP address or a CIDR block (192.168.1.20, 10.0.0.0/8, fd00::/8)'));

export const sftpInput = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().trim().min(1).max(128),
  /** Omit to keep the stored one; "" to remove it. */
  password: z.string().max(512).optional(),
  /** PEM/OpenSSH private key; omit to keep the stored one; "" to remove it. */
  privateKey: z.string().max(16_384).optional(),
  passphrase: z.string().max(512).optional(),
  folder: z.string().trim().min(1).max(1024).default('.'),
  /** Glob on file names: `*` and `?`, e.g. `Master*.csv` or `cdr_*`. */
  pattern: z.string().trim().min(1).max(200).default('*'),
  intervalSeconds: z.number().int().min(5).max(86_400).default(60),
  afterFetch: z.enum(['keep', 'delete', 'move']).default('keep'),
  moveTo: z.string().trim().max(1024).optional(),
  /**
   * The server's host key fingerprint to accept ("SHA256:..." as `ssh-keygen -l` prints it). Omit to keep the stored
   * one (dropped when host or port change); null to forget it: the next connection stores the key it sees.
   */
  hostKey: z
    .string()
    .trim()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, keyed('field.fingerprint', 'must be a SHA256 fingerprint as ssh-keygen -l prints it, e.g. SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'))
    .nullable()
    .optional(),
});

const deviceFields = {
  name: z.string().trim().min(1).max(100),
  format: z.enum(CDR_FORMATS),
  /** Format-specific settings (generic-csv: column map, delimiter, header, dateFormat, timeZone, durationUnit). */
  formatOptions: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The zone the device writes its times in; on create, omitted = the zone of its country code (86: Asia/Shanghai). */
  timeZone: timeZone.optional(),
  countryCode: digits(1, 3).default(DEFAULT_COUNTRY_CODE),
  /** Local area code without the trunk prefix, e.g. "10" for Beijing. */
  areaCode: digits(0, 6),
  nationalPrefix: digits(0, 2),
  internationalPrefix: digits(1, 4),
  /** Regular expression an extension number matches as a whole, e.g. 8\d{3}. */
  extensionPattern: regexSource.default(''),
  /** Subscriber-number lengths dialled without area code; empty = the country's default. */
  localNumberLengths: z.array(z.number().int().min(3).max(12)).max(6).default([]),
  /** Source addresses allowed to push CDRs for this device (TCP, HTTP). */
  addresses: z.array(sourceAddress).max(50).default([]),
  defaultEnterpriseId: id.nullable().optional(),
  /** SFTP pull settings, or null for none. */
  sftp: sftpInput.nullable().optional(),
  enabled: z.boolean().default(true),
  notes: z.string().max(2000).default(''),
};

export const deviceCreateInput = z.object(deviceFields);
// Omitted fields keep their stored value: no defaults on update (zod would apply them even inside optional()).
export const deviceUpdateInput = z.object(withoutDefaults(deviceFields)).extend({ id });

export interface DeviceSftp {
  host: string;
  port: number;
  username: string;
  hasPassword: boolean;
  hasPrivateKey: boolean;
  folder: string;
  pattern: string;
  intervalSeconds: number;
  afterFetch: 'keep' | 'delete' | 'move';
  moveTo?: string;
  /** The server's host key fingerprint, stored at the first connection; another key is refused. */
  hostKey: string | null;
}

export interface Device {
  id: number;
  name: string;
  format: CdrFormat;
  formatOptions: Record<string, unknown> | null;
  timeZone: string;
  countryCode: string;
  areaCode: string;
  nationalPrefix: string;
  internationalPrefix: string;
  extensionPattern: string;
  localNumberLengths: number[];
  addresses: string[];
  defaultEnterpriseId: number | null;
  sftp: DeviceSftp | null;
  enabled: boolean;
  notes: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

/** A file the poller saw but did not read (yet). */
export interface SftpWaitingFile {
  path: string;
  /**
   * `growing`: its size changed between two listings; `in-progress-name`: named as still being written (CUCM `_`);
   * `last-line`: read except a last line without its newline, which waits for the rest.
   */
  reason: 'growing' | 'in-progress-name' | 'last-line';
}

/** What one poll of a device's SFTP folder did. */
export interface SftpPollSummary {
  at: IsoTime;
  ok: boolean;
  /** What failed and where (host, file, byte offset). */
  error?: string;
  /** Files in the folder matching the pattern. */
  listed: number;
  /** Files read (in full or the part added since the last poll). */
  read: string[];
  waiting: SftpWaitingFile[];
  /** After-fetch actions: `left` when the file changed since it was read (it is read again first). */
  actions: { path: string; outcome: 'deleted' | 'moved' | 'left' | 'failed'; detail?: string }[];
  counts: IngestCounts;
}

/** The SFTP poller of a device. */
export interface SftpPollerStatus {
  /** `retrying`: the last poll failed; the next one comes after a growing pause (exponential backoff). */
  state: 'polling' | 'idle' | 'retrying' | 'stopped';
  lastPollAt: IsoTime | null;
  lastSuccessAt: IsoTime | null;
  nextPollAt: IsoTime | null;
  consecutiveFailures: number;
  lastError: string | null;
  waiting: SftpWaitingFile[];
}

export interface DeviceStatus extends DeviceIngestStatus {
  /** The device's SFTP poller; null when the device has no SFTP settings or is disabled. */
  sftp: SftpPollerStatus | null;
}

export interface DeviceStatusList {
  at: IsoTime;
  /** The day `today` counts refer to (YYYY-MM-DD, the workstation's zone). */
  day: string;
  listener: TcpListenerState;
  devices: DeviceStatus[];
}

/** The unsaved SFTP settings of a device form; omitted secrets are taken from device `id` when given. */
export const sftpTestInput = z
  .object({ id: id.optional(), format: z.enum(CDR_FORMATS).optional(), sftp: sftpInput.optional() })
  .refine((v) => v.id !== undefined || v.sftp !== undefined, { message: 'give a device id or SFTP settings', path: ['sftp'], params: { key: 'field.sftpNeeded' } });

export interface SftpTestFile {
  name: string;
  size: number;
  modifiedAt: IsoTime;
  /** Matches the device's file pattern. */
  matches: boolean;
  /** Named as still being written for the device's format (CUCM `_`): read once renamed. */
  inProgress: boolean;
}

export interface SftpTestResult {
  ok: boolean;
  /** How far the test got: `connect` (TCP, SSH), `login`, `folder` (list), `moveTo` (the move target), `done`. */
  failedAt?: 'connect' | 'login' | 'folder' | 'moveTo';
  /** unreachable / handshake / hostkey / auth / credentials / folder / permission / timeout / io */
  problem?: string;
  /** The host key fingerprint the server presented (when the connection got that far). */
  hostKey?: string;
  /** Against the fingerprint stored for the device: `new` (none stored: saving the device stores this one), `same`, `changed` (refused). */
  hostKeyCheck?: 'new' | 'same' | 'changed';
  /** What was seen, or exactly what failed and where. */
  message: string;
  folder: string;
  /** Regular files in the folder (the first 200 by name). */
  files: SftpTestFile[];
  totalFiles: number;
  matchingFiles: number;
  /** Entries that are not regular files (folders, links). */
  otherEntries: number;
  durationMs: number;
}

export const deviceMethods = {
  'devices.list': method<Device[]>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'All IPPBX devices with their format, time zone, numbering plan, addresses and SFTP settings (no secrets).',
    returns: 'Device[]',
  }),
  'devices.get': method<Device>()({
    input: z.object({ id }),
    access: READ,
    mutation: false,
    summary: 'One device.',
    returns: 'Device',
  }),
  'devices.create': method<Device>()({
    input: deviceCreateInput,
    access: WRITE,
    mutation: true,
    summary: 'Add an IPPBX device. SFTP password / private key are stored encrypted and never returned.',
    returns: 'Device',
  }),
  'devices.update': method<Device>()({
    input: deviceUpdateInput,
    access: WRITE,
    mutation: true,
    summary:
      'Change a device; omitted fields keep their value (an omitted SFTP password keeps the stored one while server, ' +
      'port, user and host key stay; otherwise it must be given again).',
    returns: 'Device',
  }),
  'devices.delete': method<Ok>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Delete a device that has no CDRs (409 otherwise: disable it instead).',
    returns: '{ ok: true }',
  }),
  'devices.status': method<DeviceStatusList>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'Live ingest status of every device: connections, last CDR, last poll, errors, counts today, and the SFTP poller.',
    returns: '{ at, day, listener, devices: DeviceStatus[] }',
  }),
  'devices.testSftp': method<SftpTestResult>()({
    input: sftpTestInput,
    access: WRITE,
    // Changes nothing, but connects out with a device's secret: recorded in the operation log.
    mutation: true,
    async: true,
    summary:
      'Connect with a device\'s SFTP settings (saved: `id`; or unsaved: `sftp`, secrets of `id` used where omitted — only for ' +
      'the server, port and user they were saved for), list the folder and report what is there, or exactly what failed ' +
      '(host unreachable, login refused, folder missing).',
    returns: 'SftpTestResult',
  }),
  'devices.pollNow': method<SftpPollSummary>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    async: true,
    summary: 'Poll the device\'s SFTP folder now (or right after the poll under way) and report what that poll did.',
    returns: 'SftpPollSummary',
  }),
} as const;
