// What the engine and its handlers know of the host that runs them (a leaf: the host itself sits above the engine).

/**
 * Work done between stopping an engine and starting the next one, while the database is closed (restore swaps the
 * file here). It may return an `undo` that puts things back if the next engine cannot start.
 */
export type RestartSwap = (dataDir: string) => Promise<(() => void) | void> | (() => void) | void;

/** What handlers see of the host: a restart that happens after the current reply has gone out. */
export interface EngineLifecycle {
  /** True from `restartSoon` until the new engine runs. */
  readonly restartPending: boolean;
  restartSoon(reason: string, swap?: RestartSwap): void;
}

/** Time between the reply of the method that asked for a restart and the restart itself. */
export const RESTART_DELAY_MS = 300;
