import { useCallback, useEffect, useRef, useState } from 'react';
import type { InputOf, MethodName, OutputOf } from '../../../src-shared/api';
import { ApiError } from '../../../src-shared/api/errors';
import { call } from '../api/client';

export interface ApiQuery<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  reload(): void;
}

/**
 * Loads one method's result for a view (short lists, a record, a summary); keeps the last data on screen while
 * reloading. The input is compared by value, so an object literal is fine.
 *
 *   const accounts = useApiQuery('systemAccounts.list', {});
 */
export function useApiQuery<M extends MethodName>(method: M, input: InputOf<M>): ApiQuery<OutputOf<M>> {
  const [data, setData] = useState<OutputOf<M> | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloads, setReloads] = useState(0);
  const inputKey = JSON.stringify(input);
  const inputRef = useRef(input);
  inputRef.current = input;
  const requestSeq = useRef(0);

  useEffect(() => {
    const seq = ++requestSeq.current;
    setLoading(true);
    call(method, inputRef.current).then(
      (result) => {
        if (seq !== requestSeq.current) return;
        setData(result);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (seq !== requestSeq.current) return;
        setError(err instanceof ApiError ? err : new ApiError('internal', String(err)));
        setLoading(false);
      },
    );
  }, [method, inputKey, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data, loading, error, reload };
}
