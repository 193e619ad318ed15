import path from 'node:path';
import { ApiError } from '../src-shared/api/errors';
import { startEngine, type Engine, type EngineOptions } from './engine';
import { createLogger, type Logger } from './log';
import { RESTART_DELAY_MS, type EngineLifecycle, type RestartSwap } from './system/lifecycle';

/**
 * Runs one engine at a time on fixed options and can replace it: stop (sockets closed, database checkpointed and
 * closed), run the swap, start a new engine on the same options. The headless server and the Electron main process
 * both hold their engine through a host, and follow `onRestart` to re-attach what they wired to the old one (IPC).
 */
export class EngineHost implements EngineLifecycle {
  private current!: Engine;
  private readonly restartListeners = new Set<(engine: Engine) => void>();
  private readonly fatalListeners = new Set<(error: unknown) => void>();
  private restarting = false;
  private pendingRestart?: Promise<void>;
  private stopped = false;
  private readonly log: Logger;

  private constructor(private readonly options: EngineOptions) {
    this.log = createLogger({ dir: path.join(path.resolve(options.dataDir), 'logs'), consoleLevel: options.consoleLogLevel ?? 'info', ...(options.now ? { now: options.now } : {}) });
  }

  static async start(options: EngineOptions): Promise<EngineHost> {
    const host = new EngineHost(options);
    try {
      host.current = await startEngine({ ...options, lifecycle: host });
    } catch (err) {
      host.log.close();
      throw err;
    }
    return host;
  }

  get engine(): Engine {
    return this.current;
  }

  get restartPending(): boolean {
    return this.restarting;
  }

  /** Called with the new engine after each restart. */
  onRestart(listener: (engine: Engine) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Called when no engine could be started again (the process should report it and exit). */
  onFatal(listener: (error: unknown) => void): () => void {
    this.fatalListeners.add(listener);
    return () => this.fatalListeners.delete(listener);
  }

  restartSoon(reason: string, swap?: RestartSwap): void {
    if (this.restarting) throw ApiError.keyed('conflict', 'api.restarting', 'The engine is already restarting.');
    this.restarting = true;
    this.current.services.events.emit('system.restarting', { reason });
    this.pendingRestart = new Promise<void>((resolve) => {
      setTimeout(() => {
        this.restart(reason, swap)
          .catch(() => undefined)
          .finally(resolve);
      }, RESTART_DELAY_MS);
    });
  }

  /** Resolves when the restart asked for with `restartSoon` is over (immediately when none is pending). */
  async settled(): Promise<void> {
    await this.pendingRestart;
  }

  /** Resolves when the restart is over (whether the swap worked or not). */
  async restart(reason: string, swap?: RestartSwap): Promise<void> {
    this.restarting = true;
    try {
      if (this.stopped) return;
      this.log.info('Restarting the engine', { reason });
      await this.current.stop();
      let undo: (() => void) | void = undefined;
      try {
        undo = await swap?.(path.resolve(this.options.dataDir));
      } catch (err) {
        this.log.error('The work between stop and start failed; starting on the previous data', { reason, error: err });
      }
      let next: Engine;
      try {
        next = await startEngine({ ...this.options, lifecycle: this });
      } catch (err) {
        if (!undo) throw err;
        this.log.error('The engine did not start after the swap; undoing it', { reason, error: err });
        undo();
        next = await startEngine({ ...this.options, lifecycle: this });
      }
      this.current = next;
      this.log.info('Engine restarted', { reason });
      for (const listener of this.restartListeners) listener(next);
    } catch (err) {
      this.log.error('No engine could be started again', { reason, error: err });
      for (const listener of this.fatalListeners) listener(err);
      if (!this.fatalListeners.size) throw err;
    } finally {
      this.restarting = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pendingRestart;
    await this.current.stop();
    this.log.close();
  }
}
