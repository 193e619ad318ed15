/** The messages between the engine and its CDR writer thread (writer-thread.ts, worker-writer.ts). */
import type { EventMessage } from '../../../src-shared/api/events';
import type { Audience } from '../../events';
import type { LogLevel } from '../../log';
import type { RatingChange } from '../../rating/rating-service';
import type { StoreOutcome, StoreRequest } from './store-requests';

/** What the thread is started with. */
export interface WriterThreadData {
  dbFile: string;
  dataDir: string;
}

export type ToWriter =
  | { type: 'store'; id: number; requests: StoreRequest[]; group: boolean }
  | { type: 'horizon'; startedBefore: number | null }
  | { type: 'ratingChanged'; change: RatingChange }
  /** The engine's rating data is loaded: charge from now on (before, CDRs are stored pending). Answered with `done`. */
  | { type: 'chargingReady'; id: number }
  | { type: 'close' };

export type FromWriter =
  /** The thread has opened its connection and built what it needs: it takes batches from now on. */
  | { type: 'ready' }
  | { type: 'stored'; id: number; outcomes: StoreOutcome[] }
  | { type: 'done'; id: number }
  | { type: 'event'; message: EventMessage; audience: Audience }
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> };
