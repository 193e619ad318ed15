/**
 * Which cached answers a change makes old. A change has a topic: the server announces its changes as
 * `data.changed { domain }` (the domain is the topic), and every mutation of this window names the topics it changes.
 * Each topic lists the read methods whose answers may differ afterwards, by name or by prefix ("enterprises."), so a
 * recharge refreshes the enterprise list, the ledger and the recharges without a page asking for it.
 */
import type { MethodName } from '../../../src-shared/api';

/** Read methods (or prefixes ending with ".") a topic can change. */
export const TOPIC_QUERIES: Record<string, readonly string[]> = {
  // Balances, states and names of enterprises, members and gateways; the lists that show them.
  accounts: ['enterprises.', 'userAccounts.', 'gateways.', 'accounts.', 'recharges.', 'extensions.list', 'stats.dashboard'],
  // Stored, charged or purged CDRs move balances, statistics and bills. `cdrs.search` is not here: the records page
  // follows new CDRs itself (throttled, and never moving a clerk off the page being read).
  cdrs: [
    'cdrs.unrated',
    'cdrs.get',
    'extensions.unknown',
    'stats.',
    'bills.',
    'enterprises.',
    'userAccounts.',
    'gateways.',
    'accounts.',
    'system.info',
  ],
  rejects: ['cdrs.rejects', 'system.info'],
  // Live CDRs, once a second at most while calls flow: the live views only.
  ingest: ['devices.status', 'ingest.status', 'stats.dashboard', 'enterprises.dashboard'],
  // A device's numbering plan and route prefixes decide how its numbers are classified and priced.
  devices: ['devices.', 'ingest.status', 'rating.'],
  extensions: ['extensions.', 'userAccounts.'],
  routePrefixes: ['routePrefixes.', 'rating.'],
  rateGroups: ['rateGroups.', 'rates.', 'rating.'],
  rates: ['rates.', 'rateGroups.', 'rating.'],
  attribution: ['attribution.', 'rating.'],
  specialNumbers: ['specialNumbers.', 'rating.'],
  bills: ['bills.'],
  systemAccounts: ['systemAccounts.'],
  enterpriseLogins: ['enterprises.login'],
  settings: ['settings.', 'stats.settings', 'system.info'],
  system: ['system.'],
};

/** Everything: a restore replaces the whole database. */
export const ALL_TOPICS = '*';

/**
 * The topics each mutation changes. Every mutation of the contract is listed (a test checks it), the ones that change
 * nothing a view shows with an empty list, so a new mutation cannot silently leave stale views behind.
 */
export const MUTATION_TOPICS: Partial<Record<MethodName, readonly string[]>> = {
  'auth.login': [],
  'auth.logout': [],
  'auth.changePassword': [],
  'systemAccounts.create': ['systemAccounts'],
  'systemAccounts.update': ['systemAccounts'],
  'systemAccounts.disable': ['systemAccounts'],
  'system.backup': ['system'],
  'system.restore': [ALL_TOPICS],
  'system.purge': ['cdrs', 'system'],
  'devices.create': ['devices'],
  'devices.update': ['devices'],
  'devices.delete': ['devices'],
  // A connection test changes nothing.
  'devices.testSftp': [],
  'devices.pollNow': ['devices', 'ingest', 'cdrs', 'rejects'],
  'cdrs.import': ['cdrs', 'rejects', 'ingest'],
  'cdrs.reprocess': ['rejects', 'cdrs'],
  'cdrs.dismissRejects': ['rejects'],
  'cdrs.chargeUnrated': ['cdrs', 'accounts'],
  'cdrs.rerate': ['cdrs', 'accounts'],
  'enterprises.create': ['accounts'],
  'enterprises.update': ['accounts'],
  'enterprises.createLogin': ['enterpriseLogins'],
  'enterprises.resetLoginPassword': ['enterpriseLogins'],
  'enterprises.disableLogin': ['enterpriseLogins'],
  'userAccounts.create': ['accounts', 'extensions'],
  'userAccounts.update': ['accounts', 'extensions'],
  'userAccounts.import': ['accounts', 'extensions'],
  'gateways.create': ['accounts'],
  'gateways.update': ['accounts'],
  'accounts.recharge': ['accounts'],
  'accounts.refund': ['accounts'],
  'accounts.adjust': ['accounts'],
  'accounts.freeze': ['accounts'],
  'accounts.unfreeze': ['accounts'],
  'extensions.create': ['extensions'],
  'extensions.update': ['extensions'],
  'extensions.delete': ['extensions'],
  'extensions.import': ['extensions', 'accounts'],
  'settings.update': ['settings'],
  // Statistics are grouped by days of that zone.
  'stats.setTimeZone': ['settings', 'cdrs'],
  'routePrefixes.create': ['routePrefixes'],
  'routePrefixes.update': ['routePrefixes'],
  'routePrefixes.delete': ['routePrefixes'],
  'rateGroups.create': ['rateGroups'],
  'rateGroups.update': ['rateGroups'],
  'rateGroups.delete': ['rateGroups'],
  'rates.create': ['rates'],
  'rates.update': ['rates'],
  'rates.delete': ['rates'],
  'attribution.import': ['attribution'],
  'specialNumbers.update': ['specialNumbers'],
  'bills.close': ['bills'],
};

/** Whether a method changes data (and so is never fetched as a query, nor repeated after a failure). */
export function isMutation(method: string): boolean {
  return Object.prototype.hasOwnProperty.call(MUTATION_TOPICS, method);
}

export function topicsOfMutation(method: string): readonly string[] {
  return (MUTATION_TOPICS as Record<string, readonly string[] | undefined>)[method] ?? [];
}

/** Whether a read method's answer may change with any of these topics. */
export function methodFollows(method: string, topics: Iterable<string>): boolean {
  for (const topic of topics) {
    if (topic === ALL_TOPICS) return true;
    for (const pattern of TOPIC_QUERIES[topic] ?? []) {
      if (pattern.endsWith('.') ? method.startsWith(pattern) : method === pattern) return true;
    }
  }
  return false;
}

/**
 * Reference data whose every change the server announces (and this window's own mutations name): its cached answer
 * stays good until a change says otherwise, so moving between pages does not fetch it again. Anything that moves
 * with calls (balances, statistics, CDRs, logs) is fetched again whenever a view opens.
 */
const ANNOUNCED = ['devices.list', 'devices.get', 'rateGroups.', 'rates.', 'routePrefixes.', 'attribution.', 'specialNumbers.', 'extensions.list'];

export const ANNOUNCED_STALE_MS = 60_000;

export function staleTimeOf(method: string): number {
  return ANNOUNCED.some((p) => (p.endsWith('.') ? method.startsWith(p) : method === p)) ? ANNOUNCED_STALE_MS : 0;
}
