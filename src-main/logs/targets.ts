import type { Sqlite } from '../db/connection';
import { formatMoney } from '../../src-shared/domain/money';
import { isoTime } from '../../src-shared/api/common';
import { accountKindOf, snapshotRow, type SnapshotRow, type SnapshotTable } from './repository';

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
  const kind = accountKindOf(db, Number(ref.id));
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
  const r = snapshotRow(db, 'account', Number(id));
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
  const r = snapshotRow(db, 'device', Number(id));
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
  const r = snapshotRow(db, 'rate', Number(id));
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

function simple(table: SnapshotTable, name: (r: SnapshotRow) => string | null, shape?: (r: SnapshotRow) => Record<string, unknown>): Reader {
  return (db, id) => {
    const r = snapshotRow(db, table, Number(id));
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
  rateGroup: simple('rateGroup', (r) => r.name as string),
  routePrefix: simple('routePrefix', (r) => r.prefix as string),
  extension: simple('extension', (r) => (r.name ? `${r.number as string} ${r.name as string}` : (r.number as string))),
  systemAccount: simple(
    'systemAccount',
    (r) => (r.displayName as string) || (r.username as string),
    (r) => ({ ...r, mustChangePassword: bool(r.mustChangePassword), disabled: bool(r.disabled) }),
  ),
  attributionVersion: simple('attributionVersion', (r) => (r.fileName as string | null) ?? null),
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
