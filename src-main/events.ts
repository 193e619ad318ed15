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

export interface Recipient {
  role: Role;
  accountId: number;
  sessionId: number;
  /** The enterprise role's enterprise (null for staff). */
  enterpriseId: number | null;
}

/** Domains whose bare "something changed" (no ids) an enterprise session may hear: its views refetch, scoped. */
const ENTERPRISE_DATA_DOMAINS = new Set(['cdrs', 'accounts', 'bills']);

/**
 * Whether a session gets an event. Staff get what their audience allows. An enterprise session gets only what is
 * addressed to its own account or session, the engine restarting or moving, and data changes that name no ids: an
 * event about accounts, devices, imports or alerts would name other enterprises (or their accounts) and their activity.
 */
export function deliverable(message: EventMessage, audience: Audience, who: Recipient): boolean {
  if (!audienceIncludes(audience, who)) return false;
  if (who.role !== 'enterprise') return true;
  if (audience.accountId !== undefined || audience.sessionId !== undefined) return true;
  switch (message.event) {
    case 'system.restarting':
    case 'settings.changed':
      return true;
    case 'data.changed': {
      const data = message.data as EventMap['data.changed'];
      return !data.ids?.length && ENTERPRISE_DATA_DOMAINS.has(data.domain);
    }
    default:
      return false;
  }
}
