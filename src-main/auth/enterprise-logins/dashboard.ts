/** The page an enterprise login starts on: today's and this month's calls of the enterprise, and its accounts in trouble. */
import type { EnterpriseDashboard } from '../../../src-shared/api/enterprise-logins';
import { isoTime } from '../../../src-shared/api/common';
import type { AccountRepository } from '../../accounts/repository';
import type { Sqlite } from '../../db/connection';
import { accountAlert } from '../../statistics/dashboard';
import type { StatisticsService } from '../../statistics/service';
import { statsTable } from '../../statistics/tables';
import { calendarOf } from '../../statistics/zone-calendar';
import { enterpriseAlertAccounts } from './repository';

/** What the enterprise dashboard reads. */
export interface EnterpriseDashboardDeps {
  db: Sqlite;
  accountRepo: AccountRepository;
  statistics: StatisticsService;
  now(): number;
}

const ALERT_ROWS = 20;

/** The dashboard of an enterprise (404 when there is none), in `timeZone` or else the statistics zone. */
export function enterpriseDashboard(s: EnterpriseDashboardDeps, enterpriseId: number, timeZone: string | undefined): EnterpriseDashboard {
  const e = s.accountRepo.enterprise(s.accountRepo.row(enterpriseId, 'enterprise'));
  const zone = timeZone ?? s.statistics.timeZone;
  const now = s.now();
  const calendar = calendarOf(zone);
  const today = calendar.dayOf(now);
  const month = calendar.monthOf(now);
  const range = calendar.monthRange(month);
  const state = s.statistics.rollups.current;
  const totalsOf = (from: number, to: number) =>
    statsTable(s.db, state, 'enterprise', { from, to, timeZone: zone, enterpriseId, sort: 'name', order: 'asc', limit: 1 }).table.totals;
  const monthTotals = totalsOf(range.from, range.to);
  const alertRows = enterpriseAlertAccounts(s.db, enterpriseId, ALERT_ROWS);
  return {
    at: isoTime(now),
    timeZone: zone,
    enterprise: e,
    today: { date: calendar.isoDate(today), total: totalsOf(calendar.startOfDay(today), calendar.startOfDay(today + 1)).total },
    month: { month, byType: monthTotals.byType, total: monthTotals.total },
    alerts: alertRows.map(accountAlert),
  };
}
