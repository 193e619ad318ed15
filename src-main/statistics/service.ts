/**
 * The statistics domain's state: the rollup writer the charging pipeline and rerating use, the statistics time zone
 * (settings section `statistics`, default the workstation's zone, stored on first start so it does not move with the
 * computer), the first count of a database that had CDRs before statistics existed, and the rebuild for a new zone.
 */
import type { StatsCheck, StatsSettings } from '../../src-shared/api/statistics';
import { isoTime } from '../../src-shared/api/common';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/service';
import { buildRollups, registerStatsFunctions, verifyRollups } from './recount';
import { RollupRebuild } from './rebuild';
import { statisticsSettingsStored } from './repository';
import { markCdrsPurgedBefore } from './rollup-repository';
import { StatsRollups } from './rollups';

export interface StatisticsDeps {
  db: Sqlite;
  settings: SettingsService;
  log: Logger;
  now: () => number;
}

export class StatisticsService {
  readonly rollups: StatsRollups;
  private readonly rebuild: RollupRebuild;

  constructor(private readonly deps: StatisticsDeps) {
    registerStatsFunctions(deps.db);
    this.rollups = new StatsRollups(deps.db);
    this.rebuild = new RollupRebuild({ db: deps.db, rollups: this.rollups, log: deps.log, now: deps.now });
  }

  /** Default zone of reports and bills. */
  get timeZone(): string {
    return this.deps.settings.get('statistics').timeZone;
  }

  /**
   * At engine start, before anything charges: stores the statistics zone if it was never stored, counts the rollups
   * if they never were (a database from before statistics), and resumes a rebuild that a stop interrupted.
   */
  start(): void {
    const { db, settings, log, now } = this.deps;
    if (!statisticsSettingsStored(db)) {
      db.transaction(() => settings.put('statistics', settings.get('statistics')))();
      settings.notify('statistics');
    }
    if (!this.rollups.current.timeZone) {
      const started = performance.now();
      const counted = buildRollups(db, this.timeZone, now());
      this.rollups.reload();
      if (counted > 0) log.info('Statistics rollups counted from the CDRs', { cdrs: counted, ms: Math.round(performance.now() - started) });
    }
    if (this.rollups.current.rebuildZone) this.rebuild.resume();
  }

  stop(): Promise<void> {
    return this.rebuild.stop();
  }

  settingsView(): StatsSettings {
    const state = this.rollups.current;
    return {
      timeZone: this.timeZone,
      rollupTimeZone: state.timeZone,
      ...(state.rebuildZone
        ? { rebuild: { timeZone: state.rebuildZone, doneUntil: state.rebuildUntil === null ? null : isoTime(state.rebuildUntil) } }
        : {}),
    };
  }

  /** Stores a new statistics zone and starts counting the rollups again in it (in the background). */
  setTimeZone(timeZone: string): StatsSettings {
    const { db, settings } = this.deps;
    if (timeZone !== this.timeZone) {
      db.transaction(() => settings.put('statistics', { ...settings.get('statistics'), timeZone }))();
      settings.notify('statistics');
    }
    if (timeZone !== (this.rollups.current.rebuildZone ?? this.rollups.current.timeZone)) this.rebuild.begin(timeZone);
    return this.settingsView();
  }

  /** Resolves when a running rebuild has finished (tests, benches). */
  rebuilt(): Promise<void> {
    return this.rebuild.done();
  }

  verify(): Promise<StatsCheck> {
    return verifyRollups(this.deps.db, this.deps.now());
  }

  /**
   * For the retention purge: call in the transaction that deletes the CDRs that started before `before`. The rollups
   * keep those days (past statistics stay); the check compares from the first whole day after it.
   */
  markCdrsPurgedBefore(before: number): void {
    markCdrsPurgedBefore(this.deps.db, before);
    this.rollups.reload();
  }
}
