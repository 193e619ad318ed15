import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { InputOf, MethodName, OutputOf } from '../../../src-shared/api';
import { ApiError } from '../../../src-shared/api/errors';
import { call } from '../api/client';
import { staleTimeOf } from '../api/invalidation';
import { shouldRetry } from '../api/queryClient';

export interface ApiQuery<T> {
  data: T | undefined;
  /** True while an answer is on the way (the first, or a refetch: the last data stays on screen meanwhile). */
  loading: boolean;
  error: ApiError | null;
  /** Asks again now (joins a fetch already on the way instead of starting a second one). */
  reload(): void;
}

export interface ApiQueryOptions {
  /** False: do not ask (yet), e.g. until the input is complete; `data` is then undefined. */
  enabled?: boolean;
  /**
   * How long an answer is good without asking again when a view opens (default by method, api/invalidation.ts).
   * Pickers that show only names use ANNOUNCED_STALE_MS: a rename is always announced.
   */
  staleTime?: number;
}

/** The cache key of a method's answer to an input: the input is compared by value (key order aside). */
export const apiQueryKey = <M extends MethodName>(method: M, input: InputOf<M>) => [method, input] as const;

/** The query behind `useApiQuery` (also for `queryClient.fetchQuery` / `prefetchQuery`). */
export function apiQueryOptions<M extends MethodName>(method: M, input: InputOf<M>, options: ApiQueryOptions = {}) {
  const enabled = options.enabled ?? true;
  return queryOptions({
    queryKey: apiQueryKey(method, input),
    queryFn: () => call(method, input),
    enabled,
    staleTime: options.staleTime ?? staleTimeOf(method),
    retry: (failureCount: number, error: ApiError) => shouldRetry(method, failureCount, error),
    // The last answer stays on screen while another input's answer loads (no flashing of an empty table).
    placeholderData: enabled ? keepPreviousData : undefined,
  });
}

/**
 * Loads one method's result for a view (short lists, a record, a summary), cached by `[method, input]`: views that
 * ask the same share one answer, a view opened again shows the last answer at once while asking again, and the
 * changes this window makes or the server announces refresh it (api/invalidation.ts). The input is compared by
 * value, so an object literal is fine.
 *
 *   const accounts = useApiQuery('systemAccounts.list', {});
 */
export function useApiQuery<M extends MethodName>(method: M, input: InputOf<M>, options: ApiQueryOptions = {}): ApiQuery<OutputOf<M>> {
  const enabled = options.enabled ?? true;
  const { data, isFetching, error, refetch } = useQuery(apiQueryOptions(method, input, options));
  const reload = useCallback(() => void refetch({ cancelRefetch: false }), [refetch]);
  // A new object only when what the view shows changes, so it can be an effect's dependency.
  return useMemo(
    () => ({ data: enabled ? data : undefined, loading: isFetching, error, reload }),
    [data, isFetching, error, reload, enabled],
  );
}
