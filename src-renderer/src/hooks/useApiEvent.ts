import { useEffect, useRef } from 'react';
import type { EventMap, EventName } from '../../../src-shared/api/events';
import { onEvent } from '../api/client';

/**
 * Runs `handler` for each engine event of that name while the component is mounted. Cached answers follow
 * `data.changed` by themselves (api/queryClient.ts): this is for what a page does besides showing them.
 */
export function useApiEvent<E extends EventName>(name: E, handler: (data: EventMap[E]) => void): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => onEvent(name, (data) => handlerRef.current(data)), [name]);
}
