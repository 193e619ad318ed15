/**
 * The enterprise role sees its own enterprise and nothing else, and that is decided here, in the engine, not in the
 * UI. A method the enterprise role may call has an entry below; one without an entry is refused (403) whatever its
 * contract says, so a method added later stays closed until someone writes down how it is scoped. For each call:
 * - the enterprise field is filled with the caller's enterprise when left out, and any other enterprise's id is
 *   answered 404 (as for an id that does not exist: ids cannot be probed);
 * - account fields (a user or gateway to filter by) must name the enterprise or one of its accounts, else 404;
 * - `check` refuses a row of another enterprise (404) before the handler runs;
 * - `after` drops or rewrites anything of another enterprise that came back anyway.
 */
import type { CdrDetail, CdrSearchResult } from '../../src-shared/api/cdrs';
import type { GatewayAccount, LedgerEntry, UserAccount } from '../../src-shared/api/accounts';
import type { Page } from '../../src-shared/api/common';
import type { MethodName } from '../../src-shared/api';
import { ApiError, notFound, type Thing } from '../../src-shared/api/errors';
import type { StatsTable } from '../../src-shared/api/statistics';
import type { Sqlite } from '../db/connection';
import { accountBelongsTo, accountName, cdrEnterpriseReader, isMemberOf } from './repository';

/** What scoping reads: who owns an account or a CDR. */
export interface EnterpriseScopeDeps {
  db: Sqlite;
}

interface Scope {
  /** The input field naming the enterprise. */
  enterpriseField?: 'enterpriseId' | 'id';
  /** Input fields naming accounts that must be the enterprise's. */
  accountFields?: readonly string[];
  check?(input: Record<string, unknown>, own: number, s: EnterpriseScopeDeps): void;
  after?(output: unknown, own: number, s: EnterpriseScopeDeps): unknown;
}

/** Keeps the rows of a page or result that belong to the enterprise (a second line behind the forced filter). */
const ownRows =
  <R extends { enterpriseId: number | null }>() =>
  (output: unknown, own: number) => {
    const o = output as { rows: R[] };
    return { ...o, rows: o.rows.filter((r) => r.enterpriseId === own) };
  };

/**
 * Statistics rows are the enterprise's calls; a user or gateway that has since moved to another enterprise still
 * names that other enterprise in its row, so the row is shown under the caller's own.
 */
function ownStatsTable(output: unknown, own: number, s: EnterpriseScopeDeps): StatsTable {
  const t = output as StatsTable;
  const name = accountName(s.db, own);
  return { ...t, rows: t.rows.map((r) => (r.enterpriseId === own ? r : { ...r, enterpriseId: own, enterpriseName: name })) };
}

/** The CDR is the enterprise's; what the detail says about other calls' or other enterprises' accounts is left out. */
function ownCdrDetail(output: unknown, own: number, s: EnterpriseScopeDeps): CdrDetail {
  const d = output as CdrDetail;
  const enterpriseOf = cdrEnterpriseReader(s.db);
  const isOwnAccount = (accountId: number | null) => accountId !== null && belongs(s, accountId, own);
  const explanation =
    d.explanation.payer && d.explanation.payer.enterpriseId !== own
      ? // Charged again now, the call would go to another enterprise (an extension moved): that payer and its rate are not ours to see.
        { ...d.explanation, payer: null, rate: null, intervals: [], reason: null }
      : d.explanation;
  return {
    ...d,
    explanation,
    ledger: d.ledger.filter((l) => isOwnAccount(l.accountId)),
    leg: d.leg
      ? {
          ...d.leg,
          others: d.leg.others.filter((o) => {
            const e = enterpriseOf(o.id);
            return e === null || e === own;
          }),
        }
      : null,
  };
}

/** The enterprise itself or one of its user or gateway accounts. */
export function belongs(s: EnterpriseScopeDeps, accountId: number, own: number): boolean {
  return accountBelongsTo(s.db, accountId, own);
}

/** A user or gateway account of the enterprise (404 for any other id, as for one that does not exist). */
const memberOnly = (what: Thing) => (input: Record<string, unknown>, own: number, s: EnterpriseScopeDeps) => {
  if (!isMemberOf(s.db, input.id, own)) throw notFound(what, input.id);
};
const ownAccount = <A extends { id: number; enterpriseId: number }>(a: A, own: number): A => {
  if (a.enterpriseId !== own) throw notFound('account', a.id);
  return a;
};

const OPEN: Scope = {};

export const ENTERPRISE_SCOPES: Partial<Record<MethodName, Scope>> = {
  // The caller's own session and account.
  'auth.logout': OPEN,
  'auth.me': OPEN,
  'auth.changePassword': OPEN,
  'system.ping': OPEN,
  // Files and exports are held per account (DownloadRegistry, ExportJobs): only what this account asked for.
  'downloads.read': OPEN,
  'exports.cancel': OPEN,
  // The statistics zone is the default of every report, no enterprise's data.
  'stats.settings': OPEN,

  'enterprises.get': { enterpriseField: 'id' },
  'enterprises.dashboard': { enterpriseField: 'enterpriseId' },
  // Its own users and gateways (to name them in filters), never another enterprise's.
  'userAccounts.list': { enterpriseField: 'enterpriseId', after: (o, own) => ownRows<UserAccount>()(o, own) },
  'userAccounts.get': { check: memberOnly('userAccount'), after: (o, own) => ownAccount(o as UserAccount, own) },
  'gateways.list': { enterpriseField: 'enterpriseId', after: (o, own) => ownRows<GatewayAccount>()(o, own) },
  'gateways.get': { check: memberOnly('gatewayAccount'), after: (o, own) => ownAccount(o as GatewayAccount, own) },
  'cdrs.search': {
    enterpriseField: 'enterpriseId',
    accountFields: ['userAccountId', 'gatewayId'],
    after: (o, own) => ownRows<CdrSearchResult['rows'][number]>()(o, own),
  },
  'cdrs.get': {
    check: (input, own, s) => {
      if (cdrEnterpriseReader(s.db)(input.id) !== own) throw notFound('cdr', input.id);
    },
    after: ownCdrDetail,
  },
  'exports.cdrs': { enterpriseField: 'enterpriseId', accountFields: ['userAccountId', 'gatewayId'] },
  'stats.enterprise': { enterpriseField: 'enterpriseId', after: ownStatsTable },
  'stats.user': { enterpriseField: 'enterpriseId', after: ownStatsTable },
  'stats.gateway': { enterpriseField: 'enterpriseId', after: ownStatsTable },
  'stats.series': { enterpriseField: 'enterpriseId', accountFields: ['accountId'] },
  'exports.stats': { enterpriseField: 'enterpriseId' },
  'bills.list': { enterpriseField: 'enterpriseId' },
  'bills.get': { enterpriseField: 'enterpriseId' },
  'exports.bill': { enterpriseField: 'enterpriseId' },
  'recharges.list': {
    enterpriseField: 'enterpriseId',
    accountFields: ['accountId'],
    after: (o, own) => ownRows<LedgerEntry>()(o as Page<LedgerEntry>, own),
  },
  'recharges.export': { enterpriseField: 'enterpriseId', accountFields: ['accountId'] },
};

/** How a call of the enterprise role runs: its input scoped before, its output filtered after. */
export interface EnterpriseCall {
  /** Before validation: fills the enterprise in when it was left out (some methods require it). */
  scopeInput(raw: unknown): unknown;
  /** After validation: 404 for anything of another enterprise. */
  check(input: unknown): void;
  after(output: unknown): unknown;
}

/** The scope of one call of the enterprise role; 403 when the method has none or the account has no enterprise. */
export function enterpriseCall(method: MethodName, enterpriseId: number | null, s: EnterpriseScopeDeps): EnterpriseCall {
  const scope = ENTERPRISE_SCOPES[method];
  if (!scope) throw ApiError.keyed('forbidden', 'api.roleRefused', `Role enterprise may not call ${method}.`, { role: 'enterprise', method });
  // Its own session it may always look after; anything about an enterprise needs the one it is bound to.
  if (scope === OPEN) return { scopeInput: (raw) => raw, check: () => undefined, after: (output) => output };
  if (enterpriseId === null) throw ApiError.keyed('forbidden', 'api.loginWithoutEnterprise', 'This enterprise login is bound to no enterprise.');
  const own = enterpriseId;
  return {
    scopeInput: (raw) => {
      const field = scope.enterpriseField;
      if (!field || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
      const r = raw as Record<string, unknown>;
      return r[field] === undefined ? { ...r, [field]: own } : r;
    },
    check: (input) => {
      const i = input as Record<string, unknown>;
      if (scope.enterpriseField && i[scope.enterpriseField] !== own) throw notFound('enterprise', i[scope.enterpriseField]);
      for (const f of scope.accountFields ?? []) {
        const v = i[f];
        if (v !== undefined && v !== null && !belongs(s, v as number, own)) throw notFound('account', v);
      }
      scope.check?.(i, own, s);
    },
    after: (output) => (scope.after ? scope.after(output, own, s) : output),
  };
}
