import fs from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import type { AttributionState } from '../../../src-shared/api/attribution';
import type { Logger } from '../../log';
import type { DefaultAttributionRow } from '../default-attribution';
import type { AttributionRepository } from './attribution-repository';
import { collectGarbage } from './collect-garbage';

export interface GeneratedAttribution {
  countryCode: string;
  rows: DefaultAttributionRow[];
}

/** What a load wrote: the rows generated and the rows added (a repeated prefix is added once). */
export interface WrittenAttribution {
  countryCode: string;
  rows: number;
  added: number;
}

/** What the loader uses, and what it is told to do. */
export interface DefaultAttributionLoaderDeps {
  attributionRepo: AttributionRepository;
  log: Logger;
  now(): number;
  /** Builds the default data (synchronous, about a second for China). */
  generate(): GeneratedAttribution;
  /**
   * Generate in a child process instead (the bundled engine): the generation reads 20 MB of BSON and peaks near 100 MB
   * of heap, which a process gives back to the system when it ends, where the engine's heap (or a worker thread's
   * malloc arena) would keep it as idle memory. `script` is the bundled default-attribution-worker.ts, `dbFile` the
   * database (the rows are staged in a file beside it).
   */
  worker?: { script: string; dbFile: string };
  /** Runs once the data is in the table (the rating service drops what it built without it). */
  onLoaded(): void;
}

const BATCH_ROWS = 10_000;

/** The attribution version of the default data. */
const DEFAULT_VERSION_ID = 1;

/**
 * Writes the default rows (after clearing what an interrupted load left, which belongs to no version), a batch per
 * transaction; `between` runs between batches and returns false to stop.
 */
async function writeDefaultRows(
  attribution: AttributionRepository,
  generated: GeneratedAttribution,
  between: () => Promise<boolean>,
): Promise<WrittenAttribution | null> {
  attribution.clearRows();
  let added = 0;
  for (let i = 0; i < generated.rows.length; i += BATCH_ROWS) {
    added += attribution.addRows(generated.countryCode, generated.rows.slice(i, i + BATCH_ROWS), DEFAULT_VERSION_ID);
    if (!(await between())) return null;
  }
  return { countryCode: generated.countryCode, rows: generated.rows.length, added };
}

/**
 * Loads the default attribution data on the first start, after the web server is up: generating and writing ~130,000
 * rows takes about two seconds, which must not delay the start. Rows go in in batches (the event loop breathes
 * between them); the version row comes last and marks the load complete. A start that finds no version row (a first
 * start, or one whose load was interrupted) clears the table and loads again. Rating waits on `ready()` meanwhile.
 */
export class DefaultAttributionLoader {
  private current: AttributionState = 'ready';
  private failure: string | undefined;
  private stopped = false;
  private worker: ChildProcess | null = null;
  private readonly done: Promise<void>;
  private markDone!: () => void;

  constructor(private readonly o: DefaultAttributionLoaderDeps) {
    this.done = new Promise((resolve) => (this.markDone = resolve));
  }

  get state(): AttributionState {
    return this.current;
  }

  get message(): string | undefined {
    return this.failure;
  }

  /** Resolves when no load is running (loaded, failed, or nothing to load). */
  ready(): Promise<void> {
    return this.done;
  }

  start(): void {
    if (this.o.attributionRepo.hasVersions()) {
      this.markDone();
      return;
    }
    this.current = 'loading';
    setImmediate(() => void this.load());
  }

  stop(): void {
    this.stopped = true;
    // A load cut short leaves no version row (and on this thread, rows without one): the next start loads again.
    this.worker?.kill();
    this.markDone();
  }

  /** Generates and writes on this thread, letting the event loop run between batches. */
  private async loadHere(): Promise<WrittenAttribution | null> {
    const generated = this.o.generate();
    if (this.stopped) return null;
    return writeDefaultRows(this.o.attributionRepo, generated, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return !this.stopped;
    });
  }

  /**
   * Generates in a child process, which writes the rows into a database file of its own (no write lock shared with
   * the engine, whose calls go on meanwhile), then copies them in with one statement and removes that file.
   */
  private async loadInWorker(o: { script: string; dbFile: string }): Promise<WrittenAttribution | null> {
    const staged = `${o.dbFile}.default-attribution-${process.pid}.db`;
    fs.rmSync(staged, { force: true });
    try {
      const made = await new Promise<{ countryCode: string; rows: number } | null>((resolve, reject) => {
        // In Electron, fork runs the script with Electron's own Node (the better-sqlite3 it was rebuilt for).
        const child = fork(o.script, [staged], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
        this.worker = child;
        let result: { countryCode: string; rows: number } | null = null;
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
        child.on('message', (m: { countryCode: string; rows: number }) => (result = m));
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          if (result || this.stopped) resolve(result);
          else reject(new Error(`the attribution process ended (${signal ?? `code ${code}`}) before it finished: ${stderr.trim().split('\n').at(-1) ?? ''}`));
        });
      });
      if (!made || this.stopped) return null;
      const added = this.o.attributionRepo.copyStagedDefaultRows(staged, made.countryCode, DEFAULT_VERSION_ID);
      return { countryCode: made.countryCode, rows: made.rows, added };
    } finally {
      fs.rmSync(staged, { force: true });
    }
  }

  private async load(): Promise<void> {
    const { attributionRepo, log } = this.o;
    const started = performance.now();
    try {
      if (this.stopped) return;
      let written: WrittenAttribution | null = null;
      let inWorker = false;
      if (this.o.worker && fs.existsSync(this.o.worker.script)) {
        try {
          written = await this.loadInWorker(this.o.worker);
          inWorker = true;
        } catch (err) {
          if (this.stopped) return;
          log.warn('The attribution process failed; loading the default attribution on the engine instead', { error: err });
        }
      }
      if (!inWorker) written = await this.loadHere();
      this.worker = null;
      if (!written || this.stopped) return;
      const { added } = written;
      const millis = Math.round(performance.now() - started);
      attributionRepo.insertDefaultVersion({ id: DEFAULT_VERSION_ID, at: this.o.now(), countryCode: written.countryCode, rowsInFile: written.rows, rowsAdded: added, millis });
      if (added < written.rows) {
        log.warn('Default attribution data repeats prefixes; the first row of each was kept', { repeated: written.rows - added });
      }
      this.current = 'ready';
      // The load read and wrote ~130,000 rows once: give back the page cache it filled and the heap it used.
      attributionRepo.shrinkMemory();
      // Once this call has returned and its rows are unreachable.
      setImmediate(collectGarbage);
      log.info('Default number attribution loaded', { countryCode: written.countryCode, rows: added, millis, inWorker });
      this.o.onLoaded();
    } catch (err) {
      if (this.stopped) return;
      this.current = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
      log.error('Loading the default number attribution failed; import attribution data instead', { error: err });
      this.o.onLoaded();
    } finally {
      this.markDone();
    }
  }
}
