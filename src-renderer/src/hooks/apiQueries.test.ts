import { InfiniteQueryObserver, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src-shared/api/errors';
import { call, observeCalls, onEvent, onEventsReconnected, setTransport } from '../api/client';
import { createApiQueryClient, followChanges } from '../api/queryClient';
import type { Transport } from '../api/transports';
import { apiQueryKey, apiQueryOptions } from './useApiQuery';
import { keysetQueryOptions } from './useKeysetPages';

/**
 * The queries behind useApiQuery / useKeysetPages and the cache's change following, against an in-memory engine:
 * the hooks are thin React wrappers around these options (the renderer tests run without a DOM).
 */

interface Entry {
  id: number;
  accountId: number;
  amount: number;
}

/** An engine with two enterprises, their ledger (latest first, keyset by id) and recharges that announce themselves. */
function memoryEngine() {
  const calls: { method: string; input: Record<string, unknown> }[] = [];
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  const reconnects = new Set<() => void>();
  const balances = new Map([
    [1, 0],
    [2, 0],
  ]);
  const ledger: Entry[] = [];
  for (let id = 1; id <= 7; id++) ledger.push({ id, accountId: 1, amount: id });
  const emit = (event: string, data: unknown) => {
    for (const handler of handlers.get(event) ?? []) handler(data);
  };
  /** Failures to answer before the next successful ones, by method. */
  const failures = new Map<string, ApiError[]>();
  /** When set, a recharge's announcement arrives before its answer (as over SSE on a fast link). */
  const engine = { announceBeforeAnswer: true };

  const answer = (method: string, input: Record<string, unknown>): unknown => {
    const failure = failures.get(method)?.shift();
    if (failure) throw failure;
    switch (method) {
      case 'enterprises.get': {
        const id = Number(input.id);
        if (!balances.has(id)) throw new ApiError('not_found', `enterprise ${id} does not exist`);
        return { id, name: `E${id}`, balance: String(balances.get(id)) };
      }
      case 'enterprises.list':
        return { rows: [...balances].map(([id, balance]) => ({ id, name: `E${id}`, balance: String(balance) })) };
      case 'devices.list':
        return [{ id: 1, name: 'Beijing HQ' }];
      case 'devices.status':
        return { devices: [] };
      case 'accounts.ledger': {
        const limit = Number(input.limit);
        const before = input.cursor === undefined ? Infinity : Number(input.cursor);
        const rows = ledger
          .filter((e) => e.accountId === input.accountId && e.id < before)
          .sort((a, b) => b.id - a.id)
          .slice(0, limit);
        const more = ledger.some((e) => e.accountId === input.accountId && e.id < (rows.at(-1)?.id ?? 0));
        return {
          rows,
          ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}),
          ...(input.count ? { total: ledger.filter((e) => e.accountId === input.accountId).length } : {}),
        };
      }
      case 'accounts.recharge': {
        const accountId = Number(input.accountId);
        balances.set(accountId, (balances.get(accountId) ?? 0) + Number(input.amount));
        const entry = { id: ledger.length + 1, accountId, amount: Number(input.amount) };
        ledger.push(entry);
        return entry;
      }
      default:
        throw new ApiError('method_not_found', method);
    }
  };

  const transport: Transport = {
    kind: 'http',
    async call(method, input) {
      calls.push({ method, input: input as Record<string, unknown> });
      await new Promise((resolve) => setTimeout(resolve, 1));
      const result = answer(method, input as Record<string, unknown>);
      if (method === 'accounts.recharge') {
        const announce = () => emit('data.changed', { domain: 'accounts', ids: [Number((input as { accountId: number }).accountId)] });
        if (engine.announceBeforeAnswer) announce();
        else setTimeout(announce, 5);
      }
      return result;
    },
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    onReconnect(handler) {
      reconnects.add(handler);
      return () => reconnects.delete(handler);
    },
    connectEvents() {},
    disconnectEvents() {},
  };
  const count = (method: string) => calls.filter((c) => c.method === method).length;
  return { transport, calls, count, emit, failures, engine, balances, reconnect: () => reconnects.forEach((h) => h()) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

let engine: ReturnType<typeof memoryEngine>;
let queryClient: QueryClient;
let stopFollowing: () => void;
const unsubscribes: (() => void)[] = [];
/** Timers of the change throttle, fired by the test. */
let timers: (() => void)[];

/** Subscribes like a mounted component does. */
function watch<O extends { subscribe(listener: () => void): () => void }>(observer: O): O {
  unsubscribes.push(observer.subscribe(() => {}));
  return observer;
}

beforeEach(() => {
  engine = memoryEngine();
  setTransport(engine.transport);
  queryClient = createApiQueryClient();
  timers = [];
  stopFollowing = followChanges(queryClient, {
    onEvent,
    observeCalls,
    onEventsReconnected,
    setTimeout: (run) => timers.push(run),
    clearTimeout: () => {},
  });
});

afterEach(() => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  stopFollowing();
  queryClient.clear();
});

describe('useApiQuery', () => {
  it('asks again when the input changes, and keeps the last answer on screen meanwhile', async () => {
    const observer = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 })));
    await vi.waitFor(() => expect(observer.getCurrentResult().data).toMatchObject({ id: 1 }));
    observer.setOptions(apiQueryOptions('enterprises.get', { id: 2 }));
    expect(observer.getCurrentResult()).toMatchObject({ data: { id: 1 }, isPlaceholderData: true, isFetching: true });
    await vi.waitFor(() => expect(observer.getCurrentResult().data).toMatchObject({ id: 2 }));
    expect(engine.calls.map((c) => c.input.id)).toEqual([1, 2]);
  });

  it('shares one answer between views asking the same input by value, key order aside', async () => {
    const a = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.list', { q: 'E', limit: 50 })));
    const b = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.list', { limit: 50, q: 'E' })));
    await vi.waitFor(() => expect(b.getCurrentResult().data?.rows).toHaveLength(2));
    expect(a.getCurrentResult().data).toBe(b.getCurrentResult().data);
    expect(engine.count('enterprises.list')).toBe(1);
    expect(queryClient.getQueryData(apiQueryKey('enterprises.list', { limit: 50, q: 'E' }))).toBe(a.getCurrentResult().data);
  });

  it('reuses announced reference data when a view opens again; balances are asked again', async () => {
    const devices = watch(new QueryObserver(queryClient, apiQueryOptions('devices.list', {})));
    const enterprise = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 })));
    await vi.waitFor(() => expect(devices.getCurrentResult().isSuccess && enterprise.getCurrentResult().isSuccess).toBe(true));
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();

    watch(new QueryObserver(queryClient, apiQueryOptions('devices.list', {})));
    const again = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 })));
    // The cached answer is there at once, while it is asked again.
    expect(again.getCurrentResult()).toMatchObject({ data: { id: 1 }, isFetching: true });
    await settle();
    expect(engine.count('devices.list')).toBe(1);
    expect(engine.count('enterprises.get')).toBe(2);
  });

  it('does not ask while disabled, and then shows no answer', async () => {
    const observer = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 }, { enabled: false })));
    await settle();
    expect(engine.count('enterprises.get')).toBe(0);
    expect(observer.getCurrentResult().data).toBeUndefined();
  });

  it('asks a read again after the engine was unavailable, never after a refusal', async () => {
    engine.failures.set('enterprises.get', [new ApiError('unavailable', 'restarting')]);
    const retried = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 })));
    await vi.waitFor(() => expect(retried.getCurrentResult().data).toMatchObject({ id: 1 }), { timeout: 3000 });
    expect(engine.count('enterprises.get')).toBe(2);

    const refused = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 9 })));
    await vi.waitFor(() => expect(refused.getCurrentResult().error).toBeInstanceOf(ApiError));
    expect(refused.getCurrentResult().error?.code).toBe('not_found');
    await settle();
    expect(engine.count('enterprises.get')).toBe(3);
  });
});

describe('useKeysetPages', () => {
  const ledgerPages = (options = {}) =>
    watch(new InfiniteQueryObserver(queryClient, keysetQueryOptions('accounts.ledger', { accountId: 1, limit: 3 }, options)));
  const ids = (observer: ReturnType<typeof ledgerPages>) => observer.getCurrentResult().data?.pages[0]?.rows.map((r) => r.id);
  const cursors = () => engine.calls.filter((c) => c.method === 'accounts.ledger').map((c) => c.input.cursor ?? null);

  it('pages forward by the next cursor and back by the cursors seen, one page at a time', async () => {
    const pages = ledgerPages();
    await vi.waitFor(() => expect(ids(pages)).toEqual([7, 6, 5]));
    await pages.getCurrentResult().fetchNextPage();
    expect(ids(pages)).toEqual([4, 3, 2]);
    await pages.getCurrentResult().fetchNextPage();
    expect(ids(pages)).toEqual([1]);
    expect(pages.getCurrentResult().hasNextPage).toBe(false);
    await pages.getCurrentResult().fetchPreviousPage();
    expect(ids(pages)).toEqual([4, 3, 2]);
    await pages.getCurrentResult().fetchPreviousPage();
    expect(ids(pages)).toEqual([7, 6, 5]);
    expect(pages.getCurrentResult().hasPreviousPage).toBe(false);
    expect(cursors()).toEqual([null, '5', '2', '5', null]);
    // Only the page being read is held.
    expect(pages.getCurrentResult().data?.pages).toHaveLength(1);
  });

  it('asks again for the page being read only, at its own cursor', async () => {
    const pages = ledgerPages();
    await vi.waitFor(() => expect(ids(pages)).toEqual([7, 6, 5]));
    await pages.getCurrentResult().fetchNextPage();
    await call('accounts.recharge', { accountId: 1, amount: '100', reason: 'March' });
    await settle();
    // The new entry (8) is at the top of page 1: page 2 does not shift under the clerk.
    expect(ids(pages)).toEqual([4, 3, 2]);
    expect(cursors()).toEqual([null, '5', '5']);
  });

  it('adds the first page input to the first page only, and carries its answer to later pages', async () => {
    const pages = ledgerPages({ firstPage: { count: true } });
    await vi.waitFor(() => expect(ids(pages)).toEqual([7, 6, 5]));
    await pages.getCurrentResult().fetchNextPage();
    const ledgerCalls = engine.calls.filter((c) => c.method === 'accounts.ledger');
    expect(ledgerCalls.map((c) => c.input.count ?? false)).toEqual([true, false]);
    expect(pages.getCurrentResult().data?.pageParams[0]).toMatchObject({ cursors: ['5'], first: { total: 7, nextCursor: '5' } });
  });
});

describe('following changes', () => {
  it('refreshes the views of a topic the server announces, not the others', async () => {
    const enterprise = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.get', { id: 1 })));
    const devices = watch(new QueryObserver(queryClient, apiQueryOptions('devices.list', {})));
    await vi.waitFor(() => expect(enterprise.getCurrentResult().isSuccess && devices.getCurrentResult().isSuccess).toBe(true));
    engine.balances.set(1, 42);
    engine.emit('data.changed', { domain: 'accounts', ids: [1] });
    await vi.waitFor(() => expect(enterprise.getCurrentResult().data).toMatchObject({ balance: '42' }));
    expect(engine.count('enterprises.get')).toBe(2);
    expect(engine.count('devices.list')).toBe(1);
  });

  it('after a recharge the enterprise list and the ledger are asked once each, announcement first or answer first', async () => {
    for (const announceBeforeAnswer of [true, false]) {
      engine.engine.announceBeforeAnswer = announceBeforeAnswer;
      const list = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.list', { limit: 50 })));
      const pages = watch(new InfiniteQueryObserver(queryClient, keysetQueryOptions('accounts.ledger', { accountId: 1, limit: 3 })));
      await vi.waitFor(() => expect(list.getCurrentResult().isSuccess && pages.getCurrentResult().isSuccess).toBe(true));
      engine.calls.length = 0;

      await call('accounts.recharge', { accountId: 1, amount: '250', reason: 'Prepayment' });
      await settle();
      expect(list.getCurrentResult().data?.rows[0]).toMatchObject({ id: 1, balance: String(engine.balances.get(1)) });
      expect(pages.getCurrentResult().data?.pages[0]?.rows[0]).toMatchObject({ amount: 250 });
      // The announcement that comes after the answer is a second change as far as this window knows: asked again.
      const expected = announceBeforeAnswer ? 1 : 2;
      expect({ list: engine.count('enterprises.list'), ledger: engine.count('accounts.ledger') }).toEqual({ list: expected, ledger: expected });
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      queryClient.clear();
    }
  });

  it('a failed mutation refreshes only what was announced meanwhile', async () => {
    const list = watch(new QueryObserver(queryClient, apiQueryOptions('enterprises.list', { limit: 50 })));
    await vi.waitFor(() => expect(list.getCurrentResult().isSuccess).toBe(true));
    engine.failures.set('accounts.recharge', [new ApiError('invalid_input', 'amount too large')]);
    await expect(call('accounts.recharge', { accountId: 1, amount: '1', reason: 'x' })).rejects.toThrow('amount too large');
    await settle();
    expect(engine.count('enterprises.list')).toBe(1);
  });

  it('merges a burst of live ingest announcements: the first at once, the rest once the interval is over', async () => {
    const status = watch(new QueryObserver(queryClient, apiQueryOptions('devices.status', {})));
    await vi.waitFor(() => expect(status.getCurrentResult().isSuccess).toBe(true));
    for (let i = 0; i < 5; i++) engine.emit('data.changed', { domain: 'ingest' });
    await settle();
    expect(engine.count('devices.status')).toBe(2);
    expect(timers).toHaveLength(1);
    timers.shift()!();
    await settle();
    expect(engine.count('devices.status')).toBe(3);
    // The window after that saw nothing: it closes without asking.
    timers.shift()!();
    await settle();
    expect(engine.count('devices.status')).toBe(3);
    expect(timers).toHaveLength(0);
  });

  it('asks every open view again when the event stream is back after a break', async () => {
    const devices = watch(new QueryObserver(queryClient, apiQueryOptions('devices.list', {})));
    await vi.waitFor(() => expect(devices.getCurrentResult().isSuccess).toBe(true));
    engine.reconnect();
    await settle();
    expect(engine.count('devices.list')).toBe(2);
  });
});
