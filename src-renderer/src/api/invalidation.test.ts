import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, methodNames } from '../../../src-shared/api';
import { MUTATION_TOPICS, TOPIC_QUERIES, methodFollows, staleTimeOf, topicsOfMutation } from './invalidation';

/** The `data.changed` domains the engine announces, read from its source (src-main). */
function announcedDomains(): Set<string> {
  const domains = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        const text = fs.readFileSync(file, 'utf8');
        if (!text.includes("'data.changed'")) continue;
        for (const m of text.matchAll(/emit\('data\.changed', \{ domain: '(\w+)'/g)) domains.add(m[1]!);
        // A domain passed in a variable is typed with its possible values: `domain: 'rateGroups' | 'rates'`.
        for (const m of text.matchAll(/domain: ('\w+'(?: \| '\w+')+)/g)) for (const d of m[1]!.matchAll(/'(\w+)'/g)) domains.add(d[1]!);
      }
    }
  };
  visit(path.resolve(__dirname, '../../../src-main'));
  return domains;
}

describe('what a change refreshes', () => {
  it('names the topics of every mutation of the contract, and only of mutations', () => {
    const mutations = methodNames.filter((m) => api[m].mutation);
    expect(mutations.filter((m) => !(m in MUTATION_TOPICS))).toEqual([]);
    expect(Object.keys(MUTATION_TOPICS).filter((m) => !mutations.includes(m as never))).toEqual([]);
  });

  it('knows every topic a mutation names and every domain the engine announces', () => {
    const named = new Set(Object.values(MUTATION_TOPICS).flat().filter((t) => t !== '*'));
    const domains = announcedDomains();
    expect(domains.size).toBeGreaterThanOrEqual(10);
    expect([...named, ...domains].filter((topic) => !(topic in TOPIC_QUERIES))).toEqual([]);
  });

  it('points each topic at read methods of the contract', () => {
    const reads = methodNames.filter((m) => !api[m].mutation);
    for (const [topic, patterns] of Object.entries(TOPIC_QUERIES)) {
      for (const pattern of patterns) {
        const hits = reads.filter((m) => (pattern.endsWith('.') ? m.startsWith(pattern) : m === pattern));
        expect(hits.length, `${topic}: ${pattern}`).toBeGreaterThan(0);
      }
    }
  });

  it('refreshes after a recharge what shows balances, and not the devices', () => {
    const topics = topicsOfMutation('accounts.recharge');
    for (const read of ['enterprises.list', 'enterprises.get', 'accounts.ledger', 'recharges.list', 'userAccounts.list', 'gateways.list']) {
      expect(methodFollows(read, topics), read).toBe(true);
    }
    expect(methodFollows('devices.list', topics)).toBe(false);
    // The records page follows new CDRs itself (throttled, without moving the clerk off the page being read).
    expect(methodFollows('cdrs.search', ['cdrs', 'ingest'])).toBe(false);
    expect(methodFollows('anything.at.all', topicsOfMutation('system.restore'))).toBe(true);
  });

  it('keeps announced reference data between pages, and asks for balances each time a view opens', () => {
    expect(staleTimeOf('devices.list')).toBeGreaterThan(0);
    expect(staleTimeOf('rateGroups.list')).toBeGreaterThan(0);
    expect(staleTimeOf('enterprises.list')).toBe(0);
    expect(staleTimeOf('accounts.ledger')).toBe(0);
    expect(staleTimeOf('stats.dashboard')).toBe(0);
  });
});
