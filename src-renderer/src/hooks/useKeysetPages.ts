import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../../src-shared/api/common';
import { ApiError } from '../../../src-shared/api/errors';

interface Position {
  filterKey: string;
  cursors: (string | undefined)[];
  index: number;
}

const firstPage = (filterKey: string): Position => ({ filterKey, cursors: [undefined], index: 0 });

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
  /** Fetches the current page again (after a change, or when a data.changed event arrives). */
  reload(): void;
}

/**
 * Server-side keyset paging over a `{ rows, nextCursor }` method. The cursors seen so far are kept in a stack so
 * "previous" goes back without the server supporting backwards cursors. A change of `filterKey` (the filters as a
 * string) starts again at the first page.
 *
 *   const pages = useKeysetPages((cursor) => call('logs.login', { ...query, cursor, limit: 50 }), JSON.stringify(query));
 */
export function useKeysetPages<Row>(
  fetchPage: (cursor: string | undefined) => Promise<Page<Row>>,
  filterKey: string,
): KeysetPages<Row> {
  // The cursor stack belongs to one set of filters; other filters start again at the first page.
  const [position, setPosition] = useState<Position>(() => firstPage(filterKey));
  const current = position.filterKey === filterKey ? position : firstPage(filterKey);
  const [page, setPage] = useState<Page<Row> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloads, setReloads] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const requestSeq = useRef(0);

  const cursor = current.cursors[current.index];
  useEffect(() => {
    const seq = ++requestSeq.current;
    setLoading(true);
    fetchRef.current(cursor).then(
      (result) => {
        if (seq !== requestSeq.current) return; // an answer to a request that is no longer wanted
        setPage(result);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (seq !== requestSeq.current) return;
        setError(err instanceof ApiError ? err : new ApiError('internal', String(err)));
        setLoading(false);
      },
    );
  }, [cursor, filterKey, reloads]);

  const nextCursor = page?.nextCursor;
  const next = useCallback(() => {
    if (!nextCursor) return;
    setPosition({
      filterKey: current.filterKey,
      cursors: [...current.cursors.slice(0, current.index + 1), nextCursor],
      index: current.index + 1,
    });
  }, [nextCursor, current]);

  const previous = useCallback(() => {
    setPosition({ ...current, index: Math.max(0, current.index - 1) });
  }, [current]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  return {
    rows: page?.rows ?? [],
    loading,
    error,
    loaded: page !== null,
    pageNumber: current.index + 1,
    hasNext: Boolean(page?.nextCursor) && !loading,
    hasPrevious: current.index > 0 && !loading,
    next,
    previous,
    reload,
  };
}
