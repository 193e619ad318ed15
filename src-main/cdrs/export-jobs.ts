/**
 * Exports that are running, so their progress reaches the session that started them (`exports.progress` events) and
 * `exports.cancel` can stop them. Any export method can use it: `start()` when it begins, `progress()` between
 * chunks (events are spaced out), `throwIfCancelled()` between chunks, `finish()` at the end whatever happened.
 */
import type { ExportProgress } from '../../src-shared/api/cdrs';
import { ApiError } from '../../src-shared/api/errors';
import type { CallContext } from '../api/call-context';
import type { EventBus } from '../events';

const PROGRESS_INTERVAL_MS = 250;

export class ExportCancelled extends ApiError {
  constructor() {
    super('conflict', 'The export was cancelled.', { cancelled: true });
  }
}

export interface ExportJob {
  readonly exportId: string;
  readonly kind: string;
  progress(rows: number, fraction: number): void;
  throwIfCancelled(): void;
  finish(outcome: { state: 'done' | 'failed' | 'cancelled'; rows: number; message?: string }): void;
}

interface Running {
  accountId: number;
  cancelled: boolean;
}

export class ExportJobs {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {}

  /** Registers an export of `ctx`'s account; without an exportId it can be neither followed nor cancelled. */
  start(kind: string, exportId: string | undefined, ctx: Pick<CallContext, 'user' | 'session'>): ExportJob {
    const accountId = ctx.user?.id ?? 0;
    const audience = ctx.session ? { sessionId: ctx.session.sessionId } : { accountId };
    const id = exportId ?? '';
    if (id && this.running.has(id)) throw ApiError.keyed('conflict', 'api.exportRunning', `An export with id ${id} is already running.`);
    const state: Running = { accountId, cancelled: false };
    if (id) this.running.set(id, state);
    let lastEventAt = 0;
    const emit = (p: Omit<ExportProgress, 'exportId' | 'kind'>) => {
      if (id) this.events.emit('exports.progress', { exportId: id, kind, ...p }, audience);
    };
    emit({ state: 'running', rows: 0, fraction: 0 });
    return {
      exportId: id,
      kind,
      progress: (rows, fraction) => {
        const t = this.now();
        if (t - lastEventAt < PROGRESS_INTERVAL_MS) return;
        lastEventAt = t;
        emit({ state: 'running', rows, fraction: Math.max(0, Math.min(1, fraction)) });
      },
      throwIfCancelled: () => {
        if (state.cancelled) throw new ExportCancelled();
      },
      finish: ({ state: end, rows, message }) => {
        if (id) this.running.delete(id);
        emit({ state: end, rows, fraction: end === 'done' ? 1 : 0, ...(message ? { message } : {}) });
      },
    };
  }

  /** Marks an export of this account to stop at its next chunk; false when there is none running. */
  cancel(exportId: string, accountId: number): boolean {
    const job = this.running.get(exportId);
    if (!job || job.accountId !== accountId) return false;
    job.cancelled = true;
    return true;
  }
}
