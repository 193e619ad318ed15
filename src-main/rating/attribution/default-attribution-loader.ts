import type { AttributionState } from '../../../src-shared/api/attribution';
import type { Sqlite } from '../../db/connection';
import type { Logger } from '../../log';
import type { DefaultAttributionRow } from '../default-attribution';
import { collectGarbage } from './collect-garbage';

export interface GeneratedAttribution {
  countryCode: string;
  rows: DefaultAttributionRow[];
}

export interface DefaultAttributionLoaderOptions {
  db: Sqlite;
  log: Logger;
  now(): number;
  /** Builds the default data (synchronous, about a second for China). */
  generate(): GeneratedAttribution;
  /** Runs once the data is in the table (the rating service drops what it built without it). */
  onLoaded(): void;
}

const BATCH_ROWS = 10_000;

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
  private readonly done: Promise<void>;
  private markDone!: () => void;

  constructor(private readonly o: DefaultAttributionLoaderOptions) {
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
    if (this.o.db.prepare('SELECT 1 FROM attribution_versions LIMIT 1').get()) {
      this.markDone();
      return;
    }
    this.current = 'loading';
    setImmediate(() => void this.load());
  }

  stop(): void {
    this.stopped = true;
    this.markDone();
  }

  private async load(): Promise<void> {
    const { db, log } = this.o;
    const started = performance.now();
    try {
      if (this.stopped) return;
      const generated = this.o.generate();
      if (this.stopped) return;
      // What an interrupted load left behind belongs to no version.
      db.prepare('DELETE FROM attribution').run();
      const versionId = 1;
      const insert = db.prepare(
        `INSERT INTO attribution (country_code, prefix, region, region_en, area_code, carrier, carrier_en, kind, version_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (country_code, prefix) DO NOTHING`,
      );
      let added = 0;
      for (let i = 0; i < generated.rows.length; i += BATCH_ROWS) {
        const batch = generated.rows.slice(i, i + BATCH_ROWS);
        db.transaction(() => {
          for (const r of batch) {
            added += insert.run(generated.countryCode, r.prefix, r.region, r.regionEn, r.areaCode, r.carrier, r.carrierEn, r.kind, versionId).changes;
          }
        })();
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.stopped) return;
      }
      const millis = Math.round(performance.now() - started);
      db.prepare(
        `INSERT INTO attribution_versions (id, at, account_id, username, source, file_name, mode, country_codes, rows_in_file,
           rows_added, rows_changed, rows_removed, rows_unchanged, millis)
         VALUES (?, ?, NULL, '(default data)', 'default', NULL, 'merge', ?, ?, ?, 0, 0, 0, ?)`,
      ).run(versionId, this.o.now(), JSON.stringify([generated.countryCode]), generated.rows.length, added, millis);
      if (added < generated.rows.length) {
        log.warn('Default attribution data repeats prefixes; the first row of each was kept', { repeated: generated.rows.length - added });
      }
      this.current = 'ready';
      // The load read and wrote ~130,000 rows once: give back the page cache it filled and the heap it used.
      db.pragma('shrink_memory');
      // Once this call has returned and its rows are unreachable.
      setImmediate(collectGarbage);
      log.info('Default number attribution loaded', { countryCode: generated.countryCode, rows: added, millis });
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
