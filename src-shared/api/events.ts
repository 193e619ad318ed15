import type { ExportProgress } from './cdrs';

/**
 * Events the engine pushes to clients (Electron IPC `webContents.send`, HTTP server-sent events at /api/events).
 * Each domain adds its events here; the payloads are small and say what to refetch, never hold the data itself.
 */
export interface EventMap {
  /** Sent to a session's listeners when it ends (logout, expiry, account disabled). */
  'session.ended': { reason: string };
  /** Something changed that list views may want to refetch. */
  'data.changed': { domain: string; ids?: number[] };
  /** A backup runs (progress), finished or failed (admins only). */
  'system.backup': {
    state: 'running' | 'done' | 'failed';
    fileName: string;
    kind: 'manual' | 'scheduled';
    copiedPages?: number;
    totalPages?: number;
    message?: string;
  };
  /** The engine is about to restart (restore): the connection drops for a moment and every session ends. */
  'system.restarting': { reason: string };
  /** A prepaid balance crossed its low-balance threshold or was exhausted (beyond the credit limit), or recovered. */
  'accounts.alert': {
    accountId: number;
    name: string;
    state: 'ok' | 'low' | 'exhausted';
    balance: string;
    /** The account was frozen (exhausted with freeze-when-exhausted) or unfrozen (recharged after that). */
    frozen?: boolean;
    unfrozen?: boolean;
  };
  /** A CDR file import runs (progress after each batch, at most a few a second), finished or failed (the importing session). */
  'cdrs.importProgress': {
    importId: string;
    deviceId: number;
    fileName: string;
    state: 'running' | 'done' | 'failed';
    totalBytes: number;
    bytesRead: number;
    received: number;
    stored: number;
    duplicates: number;
    rejected: number;
    message?: string;
  };
  /** An export runs (progress a few times a second), finished, failed or was cancelled (the exporting session). */
  'exports.progress': ExportProgress;
  /** Settings changed; `httpUrl` when the web server moved (the browser must go there). */
  'settings.changed': { sections: string[]; httpUrl?: string };
}

export type EventName = keyof EventMap;

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  data: EventMap[E];
}
