/**
 * Counts the rollups again in a new statistics zone, oldest day first, one day per transaction with a pause between
 * them, so ingestion and charging go on meanwhile. stats_state.rebuild_until says how far it got: calls that started
 * before it are counted in the new zone's days (new charges and rerates of those calls too); later calls are left
 * for the rebuild to count when it gets there. While it runs, statistics are read from the CDRs (period.ts), so they
 * stay exact. Days before a retention purge (no CDRs left to count) keep the rows they had.
 */
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import {
  advanceRollupRebuild,
  beginRollupRebuild,
  countRange,
  deleteRollupDays,
  deleteRollupsBefore,
  lastEnterpriseRollupDay,
  markRollupsBuilt,
  ratedSpan,
} from './rollup-repository';
import type { StatsRollups } from './rollups';
import { calendarOf } from './zone-calendar';

const DAYS_PER_STEP = 1;
const PAUSE_MS = 5;

/** What the rebuild uses: the database, the rollup writer it moves to the new zone, the log and the clock. */
export interface RollupRebuildDeps {
  db: Sqlite;
  rollups: StatsRollups;
  log: Logger;
  now(): number;
}

export class RollupRebuild {
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly db: Sqlite;
  private readonly rollups: StatsRollups;
  private readonly log: Logger;

  constructor(private readonly deps: RollupRebuildDeps) {
    this.db = deps.db;
    this.rollups = deps.rollups;
    this.log = deps.log;
  }

  /** Starts counting in `zone` from the first day that still has CDRs. */
  begin(zone: string): void {
    const state = this.rollups.current;
    const calendar = calendarOf(zone);
    const span = ratedSpan(this.db);
    let firstDay = span ? calendar.dayOf(span.first) : calendar.dayOf(this.deps.now());
    if (state.countedFrom !== null) firstDay = Math.max(firstDay, calendar.dayOf(state.countedFrom) + 1);
    this.db.transaction(() => {
      // Rows of the old zone before the first day of the new one still count calls the rebuild will count again
      // (a zone further east puts the first calls a day later). With nothing purged every call is recounted: drop them.
      if (state.countedFrom === null) deleteRollupsBefore(this.db, firstDay);
      beginRollupRebuild(this.db, zone, calendar.startOfDay(firstDay));
    })();
    this.rollups.reload();
    this.resume();
  }

  resume(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop()
      .catch((err: unknown) => this.log.error('Counting the statistics again in the new zone failed; it resumes at the next start', { error: err }))
      .finally(() => {
        this.running = null;
      });
  }

  done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.done();
  }

  private async loop(): Promise<void> {
    const started = performance.now();
    while (!this.stopping && this.step()) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    if (!this.rollups.current.rebuildZone) {
      this.log.info('Statistics counted in the new zone', { timeZone: this.rollups.current.timeZone, ms: Math.round(performance.now() - started) });
    }
  }

  /** Counts the next day(s); returns false when the rebuild has finished. */
  private step(): boolean {
    try {
      return this.db.transaction(() => {
        const state = this.rollups.current;
        if (!state.rebuildZone || state.rebuildUntil === null) return false;
        const zone = state.rebuildZone;
        const calendar = calendarOf(zone);
        const first = calendar.dayOf(state.rebuildUntil);
        const end = first + DAYS_PER_STEP;
        deleteRollupDays(this.db, first, end);
        const until = calendar.startOfDay(end);
        countRange(this.db, zone, calendar.startOfDay(first), until);
        const span = ratedSpan(this.db);
        // Every counted call has an enterprise row: the enterprises' last day is the last day of all.
        const lastRollupDay = lastEnterpriseRollupDay(this.db);
        const finished = (!span || until > span.last) && (lastRollupDay === null || lastRollupDay < end);
        if (finished) markRollupsBuilt(this.db, zone, this.deps.now());
        else advanceRollupRebuild(this.db, until);
        return !finished;
      })();
    } finally {
      this.rollups.reload();
    }
  }
}
