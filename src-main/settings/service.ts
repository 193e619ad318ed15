import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Sqlite } from '../db/connection';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { readSettingValue, writeSettingValue } from './repository';

/**
 * Settings by section, stored as JSON in the `settings` table. Each section has a schema with defaults, so a new
 * install and an old database both read complete values. Secrets are stored hashed (what only needs checking) or
 * sealed (what must be used again); the API never returns them.
 */
export const settingSections = {
  /** The CDR billing interface: TCP listener and HTTP push credentials (DESIGN §3, §7). */
  billingInterface: z.object({
    enabled: z.boolean().default(true),
    /** Interface of the TCP listener; devices are on the LAN, so all interfaces by default (addresses are checked). */
    host: z.string().default('0.0.0.0'),
    cdrPort: z.number().int().min(0).max(65535).default(9000),
    account: z.string().default('billing'),
    /** scrypt hash of the billing interface password; null = no password set (devices identified by address only). */
    passwordHash: z.string().nullable().default(null),
    /** Source addresses (IP or CIDR) allowed besides each device's own addresses. */
    addresses: z.array(z.string()).default([]),
  }),
  /** The embedded web server. Start options (--http-host, --http-port, BILLING_HTTP_*) win over these at start. */
  http: z.object({
    /** Off: listen on 127.0.0.1 only (this computer). On: listen on `host`. */
    remoteAccess: z.boolean().default(false),
    /** Interface used when remote access is on: 0.0.0.0 = all IPv4 interfaces, :: = all, or one address. */
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(1).max(65535).default(8080),
    tls: z
      .object({
        enabled: z.boolean().default(false),
        source: z.enum(['none', 'uploaded', 'selfSigned']).default('none'),
        /** PEM certificate (chain); public. */
        certificate: z.string().nullable().default(null),
        /** PEM private key sealed with the data folder's key (SecretBox); never returned. */
        privateKeySealed: z.string().nullable().default(null),
      })
      .prefault({}),
  }),
  /** CDRs older than this are archived and purged by the retention job (ledger and statistics are kept). */
  retention: z.object({ months: z.number().int().min(1).max(120).default(6) }),
  currency: z.object({ code: z.string().default('CNY'), symbol: z.string().default('¥') }),
  backup: z.object({
    /** Absolute folder; null = `<data folder>/backups`. */
    folder: z.string().nullable().default(null),
    schedule: z.enum(['off', 'daily', 'weekly']).default('daily'),
    timeOfDay: z.string().default('02:00'),
    /** ISO weekday of weekly backups, 1 = Monday ... 7 = Sunday. */
    weekday: z.number().int().min(1).max(7).default(7),
    timeZone: z.string().default(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
    keep: z.number().int().min(1).max(365).default(7),
  }),
  /**
   * Monthly bills: a month can be closed from this day of the next month (its first instant, in the bill zone); the
   * days before are a grace period for late CDRs (a day's SFTP file pulled the next morning) to reach their month.
   */
  bills: z.object({ closeFromDay: z.number().int().min(1).max(28).default(5) }),
  /** Statistics and bills: default zone of reports, zone of the daily rollups' days and of bill months. */
  statistics: z.object({
    timeZone: z.string().default(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
  }),
} as const;

export type SettingSections = typeof settingSections;
export type SectionName = keyof SettingSections;
export type Section<K extends SectionName> = z.output<SettingSections[K]>;

type Listener = (section: SectionName) => void;

export class SettingsService {
  private readonly cache = new Map<SectionName, unknown>();
  private readonly listeners = new Set<Listener>();
  /** Verified billing-interface passwords (sha-256 of the attempt -> hash it matched), so scrypt runs once per value. */
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly db: Sqlite,
    private readonly now: () => number,
  ) {}

  get<K extends SectionName>(name: K): Section<K> {
    if (!this.cache.has(name)) {
      const stored = readSettingValue(this.db, name);
      const parsed = settingSections[name].safeParse(stored !== undefined ? JSON.parse(stored) : {});
      // A stored value that no longer fits the schema falls back to the defaults rather than stopping the engine.
      this.cache.set(name, parsed.success ? parsed.data : settingSections[name].parse({}));
    }
    return this.cache.get(name) as Section<K>;
  }

  /** Writes a whole section (call inside the mutation's transaction); listeners run after commit via `notify`. */
  put<K extends SectionName>(name: K, value: Section<K>): void {
    const parsed = settingSections[name].parse(value);
    writeSettingValue(this.db, name, JSON.stringify(parsed), this.now());
    this.cache.delete(name);
  }

  /** Tells listeners (listeners, pollers, servers) that a section changed; call after the change committed. */
  notify(name: SectionName): void {
    this.cache.delete(name);
    for (const l of this.listeners) l(name);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async hashBillingInterfacePassword(password: string): Promise<string> {
    return hashPassword(password);
  }

  /**
   * Checks the billing interface account and password (HTTP push Basic auth, TCP LOGIN line) in the same time whether
   * the account name or the password is wrong: the names are compared in constant time and the password is always
   * hashed, against a stand-in hash of the same cost when the name is wrong, so the answer's time does not tell a
   * guesser that the name was right. (Only a pair verified before answers faster, and that pair is right.)
   */
  async verifyBillingInterface(account: string, password: string): Promise<boolean> {
    const bi = this.get('billingInterface');
    if (!bi.passwordHash) return false;
    const nameOk = timingSafeEqual(sha256(account), sha256(bi.account));
    const key = createHash('sha256').update(`${account}\0${password}`).digest('hex');
    if (nameOk && this.verified.get(key) === bi.passwordHash) return true;
    const ok = await verifyPassword(password, nameOk ? bi.passwordHash : standInHash(bi.passwordHash));
    if (ok && nameOk) this.verified.set(key, bi.passwordHash);
    return ok && nameOk;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** A hash with the same parameters and key length as `stored` that no password matches in practice (zero key). */
function standInHash(stored: string): string {
  const parts = stored.split('$');
  if (parts.length !== 6) return stored;
  const keyLength = Buffer.from(parts[5]!, 'base64').length;
  return [...parts.slice(0, 4), Buffer.alloc(16, 0x5a).toString('base64'), Buffer.alloc(keyLength).toString('base64')].join('$');
}
