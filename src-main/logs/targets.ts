import type { Sqlite } from '../db/connection';
import { formatMoney } from '../../src-shared/domain/money';
import { isoTime } from '../../src-shared/api/common';

/** What a log row is about: `{ kind: 'enterprise', id: '3' }`; `id` null for a whole area ("settings", "bills"). */
export interface TargetRef {
  kind: string;
  id: string | null;
}

/** A target as it stood at one moment: its display name and the fields a clerk can change, flat ("sftp.host"). */
export interface Snapshot {
  name: string | null;
  fields: Record<string, unknown>;
}

/** "enterprise:3" -> { kind: 'enterprise', id: '3' }; "settings" -> { kind: 'settings', id: null }. */
export function parseTarget(target: string | null | undefined): TargetRef | null {
  if (!target) return null;
  const colon = target.indexOf(':');
  if (colon < 1) return { kind: target, id: null };
  return { kind: target.slice(0, colon), id: target.slice(colon + 1) };
}

const ACCOUNT_KINDS: Record<string, string> = { enterprise: 'enterprise', user: 'userAccount', gateway: 'gateway' };

/**
 * The money methods write "account:N": the log names the account's own kind (enterprise, user, gateway), so the filter
 * by an enterprise finds its recharges and the sentence says "enterprise A".
 */
export function normalizeTarget(db: Sqlite, ref: TargetRef | null): TargetRef | null {
  if (!ref || ref.kind !== 'account' || ref.id === null) return ref;
  const kind = db.prepare('SELECT kind FROM accounts WHERE id = ?').pluck().get(Number(ref.id)) as string | undefined;
  return { kind: (kind && ACCOUNT_KINDS[kind]) ?? 'account', id: ref.id };
}

// Domains whose update/delete/disable methods carry the target's `id`, and the kind that id names.
const DOMAIN_KINDS: Record<string, string> = {
  enterprises: 'enterprise',
  userAccounts: 'userAccount',
  gateways: 'gateway',
  devices: 'device',
  rateGroups: 'rateGroup',
  rates: 'rate',
  routePrefixes: 'routePrefix',
  extensions: 'extension',
  systemAccounts: 'systemAccount',
};

/**
 * The target a mutation is about to change, from its input, so its fields can be read before the handler runs.
 * Creations have none yet (the handler names it through ctx.audit).
 */
export function targetBefore(db: Sqlite, method: string, input: unknown): TargetRef | null {
  const i = (input ?? {}) as Record<string, unknown>;
  const [domain] = method.split('.');
  if (domain === 'accounts' && typeof i.accountId === 'number') return normalizeTarget(db, { kind: 'account', id: String(i.accountId) });
  if (method === 'specialNumbers.update' && typeof i.countryCode === 'string') return { kind: 'specialNumbers', id: i.countryCode };
  const kind = domain ? DOMAIN_KINDS[domain] : undefined;
  if (!kind || typeof i.id !== 'number' || /\.(create|list|get)$/.test(method)) return null;
  return normalizeTarget(db, { kind, id: String(i.id) });
}

const bool = (v: unknown) => (v === null || v === undefined ? null : Boolean(v));
const money = (v: unknown) => (typeof v === 'number' ? formatMoney(v) : null);
const json = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/** Nested objects become dotted fields ("sftp.host"); arrays stay whole values (compared as a whole). */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v === undefined ? null : v;
  }
  return out;
}

type Reader = (db: Sqlite, id: string) => Snapshot | undefined;

function account(db: Sqlite, id: string): Snapshot | undefined {
  const r = db
    .prepare(
      `SELECT a.name, a.code, e.name AS enterprise, rg.name AS rateGroup, a.billing_mode AS billingMode, a.own_balance AS ownBalance,
              a.credit_limit AS creditLimit, a.low_balance AS lowBalance, a.freeze_when_exhausted AS freezeWhenExhausted,
              a.status, a.balance, a.contact, a.phone, a.email, a.notes, a.card_number AS cardNumber, a.pin_hash AS pin,
              d.name AS device, a.trunk
       FROM accounts a LEFT JOIN accounts e ON e.id = a.enterprise_id LEFT JOIN rate_groups rg ON rg.id = a.rate_group_id
            LEFT JOIN devices d ON d.id = a.device_id
       WHERE a.id = ?`,
    )
    .get(Number(id)) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    name: r.name as string,
    fields: {
      ...r,
      ownBalance: bool(r.ownBalance),
      freezeWhenExhausted: bool(r.freezeWhenExhausted),
      creditLimit: money(r.creditLimit),
      lowBalance: money(r.lowBalance),
      balance: money(r.balance),
    },
  };
}

function device(db: Sqlite, id: string): Snapshot | undefined {
  const r = db
    .prepare(
      `SELECT d.name, d.format, d.format_options AS formatOptions, d.time_zone AS timeZone, d.country_code AS countryCode,
              d.area_code AS areaCode, d.national_prefix AS nationalPrefix, d.international_prefix AS internationalPrefix,
              d.extension_pattern AS extensionPattern, d.local_number_lengths AS localNumberLengths, d.addresses,
              e.name AS defaultEnterprise, d.sftp, d.sftp_secret AS sftpSecret, d.enabled, d.notes
       FROM devices d LEFT JOIN accounts e ON e.id = d.default_enterprise_id WHERE d.id = ?`,
    )
    .get(Number(id)) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const fields = flatten({
    ...r,
    formatOptions: json(r.formatOptions),
    localNumberLengths: json(r.localNumberLengths),
    addresses: json(r.addresses),
    sftp: json(r.sftp),
    enabled: bool(r.enabled),
  });
  return { name: r.name as string, fields };
}

function rate(db: Sqlite, id: string): Snapshot | undefined {
  const r = db
    .prepare(
      `SELECT r.name, g.name AS rateGroup, r.call_type AS callType, r.prefix, r.connect_fee AS connectFee, r.intervals,
              r.free_seconds AS freeSeconds, r.min_seconds AS minSeconds, r.effective_from AS effectiveFrom,
              r.band_days AS bandDays, r.band_from AS bandFrom, r.band_to AS bandTo, r.notes
       FROM rates r JOIN rate_groups g ON g.id = r.rate_group_id WHERE r.id = ?`,
    )
    .get(Number(id)) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const intervals = json(r.intervals);
  return {
    name: r.name as string,
    fields: {
      ...r,
      connectFee: money(r.connectFee),
      // Prices are kept in 1/10000 units; the log shows them as money text, like the API.
      intervals: Array.isArray(intervals)
        ? intervals.map((iv: Record<string, unknown>) => ({ ...iv, price: money(iv.price) }))
        : intervals,
      effectiveFrom: typeof r.effectiveFrom === 'number' ? isoTime(r.effectiveFrom) : null,
    },
  };
}

function simple(sql: string, name: (r: Record<string, unknown>) => string | null, shape?: (r: Record<string, unknown>) => Record<string, unknown>): Reader {
  return (db, id) => {
    const r = db.prepare(sql).get(Number(id)) as Record<string, unknown> | undefined;
    return r ? { name: name(r), fields: shape ? shape(r) : r } : undefined;
  };
}

const readers: Record<string, Reader> = {
  enterprise: account,
  userAccount: account,
  gateway: account,
  account,
  device,
  rate,
  rateGroup: simple('SELECT name, currency, notes FROM rate_groups WHERE id = ?', (r) => r.name as string),
  routePrefix: simple(
    `SELECT d.name AS device, p.position, p.prefix, p.min_remaining_length AS minRemainingLength, p.replacement, p.notes
     FROM route_prefixes p JOIN devices d ON d.id = p.device_id WHERE p.id = ?`,
    (r) => r.prefix as string,
  ),
  extension: simple(
    `SELECT d.name AS device, x.number, x.name, u.name AS userAccount
     FROM extensions x JOIN devices d ON d.id = x.device_id LEFT JOIN accounts u ON u.id = x.user_account_id WHERE x.id = ?`,
    (r) => (r.name ? `${r.number as string} ${r.name as string}` : (r.number as string)),
  ),
  systemAccount: simple(
    `SELECT s.username, s.display_name AS displayName, s.role, s.must_change_password AS mustChangePassword, s.disabled,
            s.password_hash AS password, e.name AS enterprise
     FROM system_accounts s LEFT JOIN accounts e ON e.id = s.enterprise_id WHERE s.id = ?`,
    (r) => (r.displayName as string) || (r.username as string),
    (r) => ({ ...r, mustChangePassword: bool(r.mustChangePassword), disabled: bool(r.disabled) }),
  ),
  attributionVersion: simple(
    'SELECT file_name AS fileName, source, mode FROM attribution_versions WHERE id = ?',
    (r) => (r.fileName as string | null) ?? null,
  ),
};

/** Targets whose id is their name: a backup file, a country's special numbers ("86"). */
const NAMED_BY_ID = new Set(['backup', 'specialNumbers']);

/** The target as it stands now (name and fields), or undefined when it does not exist (not yet, or no more). */
export function readSnapshot(db: Sqlite, ref: TargetRef | null): Snapshot | undefined {
  if (!ref || ref.id === null) return undefined;
  const reader = readers[ref.kind];
  if (reader) return reader(db, ref.id);
  return NAMED_BY_ID.has(ref.kind) ? { name: ref.id, fields: {} } : undefined;
}
