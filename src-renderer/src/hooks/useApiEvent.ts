import { useEffect, useRef } from 'react';
import type { EventMap, EventName } from '../../../src-shared/api/events';
import { onEvent } from '../api/client';

/** Runs `handler` for each engine event of that name while the component is mounted. */
export function useApiEvent<E extends EventName>(name: E, handler: (data: EventMap[E]) => void): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => onEvent(name, (data) => handlerRef.current(data)), [name]);
}

/** Calls `refetch` when the engine says data of `domain` changed (another window, an import, a colleague). */
export function useRefetchOnChange(domain: string, refetch: () => void): void {
  useApiEvent('data.changed', (data) => {
    if (data.domain === domain) refetch();
  });
}
