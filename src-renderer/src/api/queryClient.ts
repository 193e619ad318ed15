/**
 * The renderer's cache of engine answers (TanStack Query). Queries are keyed `[method, input]`; what a change makes
 * old is refetched when this window's mutation succeeds or the server announces the change (`data.changed`), by the
 * topics of api/invalidation.ts.
 */
import { QueryClient, type Query } from '@tanstack/react-query';
import type { EventMap, MethodName } from '../../../src-shared/api';
import { ApiError } from '../../../src-shared/api/errors';
import { ALL_TOPICS, isMutation, methodFollows, topicsOfMutation } from './invalidation';
import type { CallPhase } from './client';

declare module '@tanstack/react-query' {
  interface Register {
    // `call` turns every failure into an ApiError (network problems included), so that is what queries hold.
    defaultError: ApiError;
  }
}

const MAX_RETRIES = 2;

/**
 * A read may be asked again when the engine was briefly away (restarting, a proxy's 503) or asked us to slow down;
 * a refusal (invalid input, forbidden, not found) would only be refused again.
 */
export function shouldRetry(method: string, failureCount: number, error: unknown): boolean {
  if (isMutation(method) || failureCount >= MAX_RETRIES) return false;
  return error instanceof ApiError && (error.code === 'unavailable' || error.code === 'throttled');
}

export function retryDelayOf(attempt: number, error: unknown): number {
  const seconds = (error as ApiError | undefined)?.details as { retryAfterSeconds?: unknown } | undefined;
  if (typeof seconds?.retryAfterSeconds === 'number') return Math.min(seconds.retryAfterSeconds, 30) * 1000;
  return Math.min(500 * 2 ** attempt, 4000);
}

export function createApiQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Lists of calls and balances are heavy and the server announces changes: switching windows is no reason to
        // fetch every open list again. Announced reference data is fresher still (staleTimeOf).
        refetchOnWindowFocus: false,
        refetchOnReconnect: true,
        gcTime: 5 * 60_000,
        retryDelay: retryDelayOf,
      },
      mutations: { retry: false },
    },
  });
}

/** The method a cached query asks (its key's first part). */
const methodOf = (query: Query): string => (typeof query.queryKey[0] === 'string' ? query.queryKey[0] : '');

/** Refetches the open views (and marks the others old) that any of these topics can change. */
export function invalidateTopics(queryClient: QueryClient, topics: readonly string[]): Promise<void> {
  if (!topics.length) return Promise.resolve();
  if (topics.includes(ALL_TOPICS)) return queryClient.invalidateQueries();
  return queryClient.invalidateQueries({ predicate: (query) => methodFollows(methodOf(query), topics) });
}

/** Topics announced at most once per this many milliseconds (trailing announcements are not lost, only merged). */
const TOPIC_MIN_INTERVAL_MS: Record<string, number> = {
  // An import or busy trunks announce new CDRs every second; the dashboard's aggregates are heavier than that.
  ingest: 3000,
};

/** Server events that mean a topic changed, besides `data.changed`. */
const EVENT_TOPICS: { [E in keyof EventMap]?: (data: EventMap[E]) => string | null } = {
  // A balance crossed its threshold or an account was frozen by the charging of calls.
  'accounts.alert': () => 'accounts',
  'settings.changed': () => 'settings',
  // The list of backups changes when one is written, not at each progress report.
  'system.backup': (data) => (data.state === 'running' ? null : 'system'),
};

export interface ChangeSources {
  onEvent<E extends keyof EventMap>(name: E, handler: (data: EventMap[E]) => void): () => void;
  observeCalls(listener: (method: MethodName, phase: CallPhase) => void): () => void;
  onEventsReconnected(handler: () => void): () => void;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Connects the cache to what changes the data: this window's mutations and the server's announcements.
 *
 * A mutation's own announcement usually arrives while its answer is on the way; refetching for both would ask twice.
 * So an announcement of a topic that a mutation of this window is still changing is held, and refetched together with
 * the mutation's topics once it is answered (a fetch that starts then sees both changes). A failed mutation refetches
 * only what was announced meanwhile.
 */
export function followChanges(queryClient: QueryClient, sources: ChangeSources): () => void {
  const changing = new Map<string, number>();
  const held = new Set<string>();
  const throttles = new Map<string, { timer: unknown; again: boolean }>();

  const invalidateNow = (topics: readonly string[]) => {
    void invalidateTopics(queryClient, topics);
  };

  const announced = (topic: string) => {
    if ((changing.get(topic) ?? 0) > 0) {
      held.add(topic);
      return;
    }
    const interval = TOPIC_MIN_INTERVAL_MS[topic];
    if (!interval) return invalidateNow([topic]);
    const throttle = throttles.get(topic);
    if (throttle) {
      throttle.again = true;
      return;
    }
    invalidateNow([topic]);
    const open = { timer: null as unknown, again: false };
    const close = () => {
      if (open.again) {
        open.again = false;
        invalidateNow([topic]);
        open.timer = sources.setTimeout(close, interval);
      } else {
        throttles.delete(topic);
      }
    };
    open.timer = sources.setTimeout(close, interval);
    throttles.set(topic, open);
  };

  const onCall = (method: MethodName, phase: CallPhase) => {
    const topics = topicsOfMutation(method);
    if (!topics.length) return;
    if (phase === 'start') {
      for (const topic of topics) changing.set(topic, (changing.get(topic) ?? 0) + 1);
      return;
    }
    const due = new Set(phase === 'success' ? topics : []);
    for (const topic of topics) {
      const left = (changing.get(topic) ?? 1) - 1;
      if (left > 0) {
        changing.set(topic, left);
        continue;
      }
      changing.delete(topic);
      if (held.delete(topic)) due.add(topic);
    }
    invalidateNow([...due]);
  };

  const stops = [
    sources.observeCalls(onCall),
    sources.onEvent('data.changed', ({ domain }) => announced(domain)),
    ...(Object.keys(EVENT_TOPICS) as (keyof EventMap)[]).map((event) =>
      sources.onEvent(event, (data) => {
        const topic = (EVENT_TOPICS[event] as ((data: unknown) => string | null) | undefined)?.(data);
        if (topic) announced(topic);
      }),
    ),
    // Whatever changed while the stream was down was not announced: every open view asks again.
    sources.onEventsReconnected(() => void queryClient.invalidateQueries()),
  ];
  return () => {
    for (const stop of stops) stop();
    for (const throttle of throttles.values()) sources.clearTimeout(throttle.timer);
    throttles.clear();
  };
}
