import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../src-shared/api';
import type { CdrRow } from '../src-shared/api/cdrs';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { allCdrs, createCdrWorld, generatedCdrs, seededRandom, storeCdrs, type CdrWorld } from './helpers/cdr-data';

let t: TestEngine;
let w: CdrWorld;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 3, 1);

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  w = await createCdrWorld(t);
  const random = seededRandom(11);
  storeCdrs(t, w.devices.beijing, generatedCdrs(w.devices.beijing, 300, T0, 4 * DAY, random));
  storeCdrs(t, w.devices.shanghai, generatedCdrs(w.devices.shanghai, 200, T0, 4 * DAY, random));
}, 60_000);
afterAll(() => t.dispose());

type Filter = Omit<InputOf<'cdrs.search'>, 'limit' | 'cursor' | 'count'>;
const key = (r: Pick<CdrRow, 'start' | 'id'>) => [Date.parse(r.start), r.id] as const;
const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** Every id matching now (pages of 1000, nothing stored in between). */
async function matchingNow(f: Filter, order: 'desc' | 'asc' = 'desc'): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.call('cdrs.search', { ...f, order, limit: 1000, ...(cursor ? { cursor } : {}) }, w.token);
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * Pages through a search while new CDRs arrive between the pages: newer than everything, in the middle of what was
 * already paged (late records), and older than everything.
 */
async function pageWhileStoring(f: Filter, order: 'desc' | 'asc' = 'desc') {
  const random = seededRandom(99);
  const existing = new Set(allCdrs(t).map((c) => c.id));
  const rows: CdrRow[] = [];
  let cursor: string | undefined;
  let page = 0;
  for (;;) {
    const result = await t.call('cdrs.search', { ...f, order, limit: 23, ...(cursor ? { cursor } : {}) }, w.token);
    rows.push(...result.rows);
    page++;
    const device = page % 2 ? w.devices.beijing : w.devices.shanghai;
    storeCdrs(t, device, generatedCdrs(device, 5, T0 + 10 * DAY + page * 60_000, 60_000, random)); // newer than all
    storeCdrs(t, device, generatedCdrs(device, 5, T0 + (page % 4) * DAY, DAY, random)); // among the paged ones
    storeCdrs(t, device, generatedCdrs(device, 5, T0 - 10 * DAY, DAY, random)); // older than all
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return { rows, existing };
}

describe('keyset pagination while CDRs arrive', () => {
  it.each([
    ['no filter', {}],
    ['a device and a period', { deviceId: 0, from: T0 + DAY, to: T0 + 3 * DAY }],
    ['an enterprise', { enterpriseId: 0 }],
    ['a caller prefix', { caller: '800' }],
    ['a callee prefix and a status', { callee: '91', status: 'rated' }],
  ] as [string, Filter][])('never repeats or skips a row: %s', async (_name, template) => {
    const f: Filter = { ...template };
    if (f.deviceId === 0) f.deviceId = w.devices.beijing;
    if (f.enterpriseId === 0) f.enterpriseId = w.enterprises.beta;
    // What matched before the first page: each must come exactly once.
    const matchingBefore = await matchingNow(f);
    const { rows, existing } = await pageWhileStoring(f);
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size, 'no repeats').toBe(ids.length);
    const seen = new Set(ids);
    expect(matchingBefore.filter((id) => !seen.has(id)), 'no skips').toEqual([]);
    // Strictly latest first: the order holds across page boundaries.
    for (let i = 1; i < rows.length; i++) expect(before(key(rows[i]!), key(rows[i - 1]!))).toBe(true);
    // Late CDRs that sort after the page position are found too; none newer than the first page's top.
    expect(ids.some((id) => !existing.has(id))).toBe(true);
  });

  it('pages oldest first as well', async () => {
    const f: Filter = { deviceId: w.devices.shanghai, to: T0 + 5 * DAY };
    const matchingBefore = await matchingNow(f, 'asc');
    const { rows } = await pageWhileStoring(f, 'asc');
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids);
    expect(matchingBefore.filter((id) => !seen.has(id))).toEqual([]);
    for (let i = 1; i < rows.length; i++) expect(before(key(rows[i - 1]!), key(rows[i]!))).toBe(true);
  });
});
