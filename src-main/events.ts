import type { EventMap, EventMessage, EventName } from '../src-shared/api/events';
import type { Role } from '../src-shared/api/contract';

/** Who may receive an event: everyone logged in (default), some roles, or one account's sessions. */
export interface Audience {
  roles?: readonly Role[];
  accountId?: number;
  sessionId?: number;
}

export type EventListener = (message: EventMessage, audience: Audience) => void;

/** In-process fan-out of engine events to the transports (IPC windows, SSE streams). */
export class EventBus {
  private listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, data: EventMap[E], audience: Audience = {}): void {
    const message = { event, data } as EventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message, audience);
      } catch {
        // A broken listener (closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

export function audienceIncludes(a: Audience, who: { role: Role; accountId: number; sessionId: number }): boolean {
  if (a.roles && !a.roles.includes(who.role)) return false;
  if (a.accountId !== undefined && a.accountId !== who.accountId) return false;
  if (a.sessionId !== undefined && a.sessionId !== who.sessionId) return false;
  return true;
}
