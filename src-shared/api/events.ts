/**
 * Events the engine pushes to clients (Electron IPC `webContents.send`, HTTP server-sent events at /api/events).
 * Each domain adds its events here; the payloads are small and say what to refetch, never hold the data itself.
 */
export interface EventMap {
  /** Sent to a session's listeners when it ends (logout, expiry, account disabled). */
  'session.ended': { reason: string };
  /** Something changed that list views may want to refetch. */
  'data.changed': { domain: string; ids?: number[] };
}

export type EventName = keyof EventMap;

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  data: EventMap[E];
}
