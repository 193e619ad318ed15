import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { InputOf, MethodName, OutputOf } from '../../../src-shared/api';
import type { ApiError } from '../../../src-shared/api/errors';
import { call } from '../api/client';
import { TOPIC_QUERIES } from '../api/invalidation';
import { invalidateTopics } from '../api/queryClient';

export interface ApiMutationOptions {
  /**
   * More to refresh after success than the method's own topics (api/invalidation.ts, always refreshed): topics
   * ('accounts') or read methods and prefixes ('stats.', 'bills.get').
   */
  invalidates?: readonly string[];
}

/**
 * A change through the engine, with its state for the form or button (`isPending`, `error` as an ApiError). What it
 * changes is refreshed on success by itself, so the page does not reload its lists by hand:
 *
 *   const recharge = useApiMutation('accounts.recharge');
 *   await recharge.mutateAsync({ accountId, amount, reason });   // the enterprise list and the ledger follow
 *
 * A failure is not repeated: a change is never sent twice.
 */
export function useApiMutation<M extends MethodName>(
  method: M,
  options: ApiMutationOptions = {},
): UseMutationResult<OutputOf<M>, ApiError, InputOf<M>> {
  const queryClient = useQueryClient();
  const extra = options.invalidates ?? [];
  return useMutation<OutputOf<M>, ApiError, InputOf<M>>({
    mutationKey: [method],
    mutationFn: (input) => call(method, input),
    retry: false,
    onSuccess: async () => {
      const topics = extra.filter((name) => name in TOPIC_QUERIES);
      const methods = extra.filter((name) => !(name in TOPIC_QUERIES));
      await Promise.all([
        invalidateTopics(queryClient, topics),
        methods.length
          ? queryClient.invalidateQueries({
              predicate: ({ queryKey }) =>
                typeof queryKey[0] === 'string' && methods.some((m) => (m.endsWith('.') ? (queryKey[0] as string).startsWith(m) : queryKey[0] === m)),
            })
          : undefined,
      ]);
    },
  });
}
