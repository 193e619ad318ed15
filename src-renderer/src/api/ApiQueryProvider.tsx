import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../session/SessionProvider';
import { observeCalls, onEvent, onEventsReconnected } from './client';
import { createApiQueryClient, followChanges } from './queryClient';

/**
 * The cache of engine answers for the pages below (inside the session: it belongs to the person logged in). Changes
 * made in this window or announced by the engine refresh what they affect (api/queryClient.ts).
 */
export function ApiQueryProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createApiQueryClient);
  useEffect(
    () =>
      followChanges(queryClient, {
        onEvent,
        observeCalls,
        onEventsReconnected,
        setTimeout: (run, ms) => window.setTimeout(run, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
      }),
    [queryClient],
  );

  // Another person (or nobody) must never see the last one's answers: the cache is emptied when the user changes,
  // during this render, before the next person's pages mount and ask.
  const { user } = useSession();
  const who = user ? `${user.id}:${user.role}` : '';
  const cachedFor = useRef(who);
  if (cachedFor.current !== who) {
    cachedFor.current = who;
    queryClient.clear();
  }

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
