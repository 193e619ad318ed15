import { hashKey, infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useMemo, useRef } from 'react';
import type { InputOf, MethodName, OutputOf } from '../../../src-shared/api';
import type { ApiError } from '../../../src-shared/api/errors';
import { call } from '../api/client';
import { staleTimeOf } from '../api/invalidation';
import { shouldRetry } from '../api/queryClient';

export interface KeysetPages<Row> {
  rows: Row[];
  /** True while a page is being fetched; the previous rows stay on screen meanwhile (no jumping). */
  loading: boolean;
  /** The last load's error, or null. */
  error: ApiError | null;
  /** False until the first page arrived: distinguishes "nothing yet" from "nothing found". */
  loaded: boolean;
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
  /** Fetches the current page again (a fetch already on the way is joined, not repeated). */
  reload(): void;
}

/** Methods paged by keyset: `{ rows, nextCursor? }` answers to an input with a `cursor`. */
export type KeysetMethod = {
  [M in MethodName]: OutputOf<M> extends { rows: readonly unknown[]; nextCursor?: string }
    ? 'cursor' extends keyof InputOf<M>
      ? M
      : never
    : never;
}[MethodName];

export type RowOf<M extends KeysetMethod> = OutputOf<M> extends { rows: readonly (infer R)[] } ? R : never;
/** A page's answer, as the generic code sees it. */
export type PageAnswer<M extends KeysetMethod> = OutputOf<M> & { rows: RowOf<M>[]; nextCursor?: string };
/** The filters of a paged method: its input without the cursor, which the hook keeps. */
export type KeysetInput<M extends KeysetMethod> = Omit<InputOf<M>, 'cursor'>;

/**
 * Where a page is: the cursors that led to it from the first page (none for the first), and what the first page
 * said besides its rows (e.g. its count of matches), carried along so later pages can still show it.
 */
export interface PagePosition<M extends KeysetMethod> {
  cursors: string[];
  first?: Omit<PageAnswer<M>, 'rows'>;
}

export interface KeysetOptions<M extends KeysetMethod> {
  /** False: nothing to ask yet (e.g. no device chosen); the table then shows its empty state. */
  enabled?: boolean;
  /** Added to the first page's input only (`{ count: true }`: count the matches once, not on every page). */
  firstPage?: Partial<InputOf<M>>;
}

export interface KeysetQuery<M extends KeysetMethod> extends KeysetPages<RowOf<M>> {
  /** The current page's whole answer (rows and what comes with them, e.g. groups). */
  page: PageAnswer<M> | undefined;
  /** What the first page of these filters said besides its rows, also on later pages. */
  first: Omit<PageAnswer<M>, 'rows'> | undefined;
  /** Back to the first page (the latest entries), with the same filters. */
  toFirst(): void;
}

export const keysetQueryKey = <M extends KeysetMethod>(method: M, input: KeysetInput<M>) => [method, input, 'pages'] as const;
type KeysetKey<M extends KeysetMethod> = ReturnType<typeof keysetQueryKey<M>>;

const withoutRows = <T extends { rows: unknown }>(answer: T): Omit<T, 'rows'> => {
  const { rows: _rows, ...rest } = answer;
  return rest;
};

/**
 * The infinite query behind `useKeysetPages`. It holds one page at a time (`maxPages: 1`): next and previous replace
 * it, and a refetch (a change announced, a reload) asks for the page being read at its own cursor — one request,
 * and the rows the clerk reads do not shift under new entries. The cursor stack in the page position gives
 * "previous" without the server going backwards.
 */
export function keysetQueryOptions<M extends KeysetMethod>(method: M, input: KeysetInput<M>, options: KeysetOptions<M> = {}) {
  const enabled = options.enabled ?? true;
  return infiniteQueryOptions<PageAnswer<M>, ApiError, InfiniteData<PageAnswer<M>, PagePosition<M>>, KeysetKey<M>, PagePosition<M>>({
    queryKey: keysetQueryKey(method, input),
    queryFn: ({ pageParam }) => {
      const cursor = pageParam.cursors.at(-1);
      const pageInput = cursor ? { ...input, cursor } : { ...input, ...options.firstPage };
      return call(method, pageInput as InputOf<M>) as Promise<PageAnswer<M>>;
    },
    initialPageParam: { cursors: [] },
    getNextPageParam: (last, _pages, position) =>
      last.nextCursor
        ? { cursors: [...position.cursors, last.nextCursor], first: position.cursors.length ? position.first : withoutRows(last) }
        : undefined,
    getPreviousPageParam: (_first, _pages, position) =>
      position.cursors.length ? { cursors: position.cursors.slice(0, -1), first: position.first } : undefined,
    maxPages: 1,
    enabled,
    staleTime: staleTimeOf(method),
    retry: (failureCount, error) => shouldRetry(method, failureCount, error),
    placeholderData: enabled ? keepPreviousData : undefined,
  });
}

/**
 * Server-side keyset paging over a `{ rows, nextCursor }` method, cached by `[method, filters]`: a change of the
 * filters starts at their first page (the previous rows stay on screen until it arrives); coming back to a list
 * shows the page last read at once while asking for it again; changes refresh the page being read.
 *
 *   const pages = useKeysetPages('logs.login', { ...query, limit: 50 });
 */
export function useKeysetPages<M extends KeysetMethod>(method: M, input: KeysetInput<M>, options: KeysetOptions<M> = {}): KeysetQuery<M> {
  const enabled = options.enabled ?? true;
  const queryClient = useQueryClient();
  const queryKey = keysetQueryKey(method, input);
  const key = useRef(queryKey);
  key.current = queryKey;
  const hash = hashKey(queryKey);
  const shownHash = useRef(hash);
  if (shownHash.current !== hash) {
    // Other filters start at their first page, even when their cache still holds a later one (coming back to a list
    // keeps its page; changing its filters does not bring back the page those filters were left at).
    shownHash.current = hash;
    const cached = queryClient.getQueryData<InfiniteData<PageAnswer<M>, PagePosition<M>>>(queryKey);
    if (cached?.pageParams[0]?.cursors.length) queryClient.removeQueries({ queryKey, exact: true });
  }
  const query = useInfiniteQuery(keysetQueryOptions(method, input, options));
  const { data, isFetching, isPlaceholderData, error, hasNextPage, hasPreviousPage, fetchNextPage, fetchPreviousPage, refetch } = query;

  const next = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const previous = useCallback(() => void fetchPreviousPage(), [fetchPreviousPage]);
  const reload = useCallback(() => void refetch({ cancelRefetch: false }), [refetch]);
  const toFirst = useCallback(() => {
    queryClient.setQueryData<InfiniteData<PageAnswer<M>, PagePosition<M>>>(key.current, (old) =>
      old ? { pages: old.pages, pageParams: [{ cursors: [] }] } : old,
    );
    void refetch();
  }, [queryClient, refetch]);

  return useMemo(() => {
    const page = enabled ? data?.pages[0] : undefined;
    const position = data?.pageParams[0];
    return {
      rows: page?.rows ?? [],
      page,
      first: !enabled || !page ? undefined : position?.cursors.length ? position.first : withoutRows(page),
      loading: isFetching,
      error,
      loaded: !enabled || data !== undefined,
      // Other filters' rows, shown until the new first page arrives, are not a page of these filters.
      pageNumber: isPlaceholderData || !position ? 1 : position.cursors.length + 1,
      hasNext: enabled && hasNextPage && !isFetching,
      hasPrevious: enabled && !isPlaceholderData && hasPreviousPage && !isFetching,
      next,
      previous,
      reload,
      toFirst,
    };
  }, [enabled, data, isFetching, isPlaceholderData, error, hasNextPage, hasPreviousPage, next, previous, reload, toFirst]);
}
