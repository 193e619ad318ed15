import { periodReversed } from '../../src-shared/api/errors';
import type { StatsKind } from '../../src-shared/api/statistics';
import type { Handlers } from '../api/call-context';
import { dashboard, type DashboardDeps } from './dashboard';
import { exportStats, type StatsExportDeps } from './export';
import { statsSeries } from './series';
import { statsTable, type StatsTableQuery } from './tables';

type StatisticsMethod =
  | 'stats.enterprise'
  | 'stats.user'
  | 'stats.gateway'
  | 'stats.series'
  | 'stats.dashboard'
  | 'stats.verify'
  | 'stats.settings'
  | 'stats.setTimeZone'
  | 'exports.stats';

function checkPeriod(q: { from: number; to: number }): void {
  if (q.to <= q.from) throw periodReversed();
}

/** What the statistics handlers use: the dashboard's and the export's needs (the same database, service and clock). */
export interface StatisticsHandlerDeps extends DashboardDeps, StatsExportDeps {}

export function statisticsHandlers(s: StatisticsHandlerDeps): Handlers<StatisticsMethod> {
  const table = (kind: StatsKind) => (q: Omit<StatsTableQuery, 'timeZone'> & { timeZone?: string | undefined }) => {
    checkPeriod(q);
    return statsTable(s.db, s.statistics.rollups.current, kind, { ...q, timeZone: q.timeZone ?? s.statistics.timeZone }).table;
  };
  return {
    'stats.enterprise': table('enterprise'),
    'stats.user': table('user'),
    'stats.gateway': table('gateway'),
    'stats.series': (q) => {
      checkPeriod(q);
      return statsSeries(s.db, s.statistics.rollups.current, { ...q, timeZone: q.timeZone ?? s.statistics.timeZone });
    },
    'stats.dashboard': (q) => dashboard(s, q.timeZone ?? s.statistics.timeZone),
    'stats.verify': () => s.statistics.verify(),
    'stats.settings': () => s.statistics.settingsView(),
    'stats.setTimeZone': async (q, ctx) => {
      const before = s.statistics.settingsView();
      const after = s.statistics.setTimeZone(q.timeZone);
      ctx.audit({ target: 'settings:statistics', before: { timeZone: before.timeZone }, after: { timeZone: after.timeZone } });
      return after;
    },
    'exports.stats': (q, ctx) => {
      checkPeriod(q);
      return exportStats(s, { ...q, timeZone: q.timeZone ?? s.statistics.timeZone }, ctx);
    },
  };
}
