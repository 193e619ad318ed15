/**
 * The dashboard: today's calls and amount by call type (whole days of the report zone: rollups when it is the
 * statistics zone), yesterday and this month, the most charged enterprises, and what needs a clerk's attention.
 */
import type { Dashboard, DashboardAccountAlert } from '../../src-shared/api/statistics';
import { STATS_CALL_TYPES } from '../../src-shared/api/statistics';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { IngestStatus } from '../ingest/status';
import type { BackupService } from '../system/backup/backup-service';
import { addFigures, emptyFigures, figuresForApi, totalOf } from './figures';
import { planPeriod } from './period';
import { alertAccounts, countOpenRejects, countUnratedCdrs, enterpriseNames, type AlertAccountRow } from './repository';
import type { StatisticsService } from './service';
import { sumPerAccount } from './tables';
import { calendarOf } from './zone-calendar';

export type { AlertAccountRow } from './repository';

/** What the dashboard reads: the figures, the rollups' state, live ingest status, the backups and the clock. */
export interface DashboardDeps {
  db: Sqlite;
  statistics: StatisticsService;
  ingestStatus: IngestStatus;
  backups: BackupService;
  now(): number;
}

const ALERT_ROWS = 10;
const TOP_ENTERPRISES = 10;
/** A device error this recent is shown as an alert. */
const RECENT_ERROR_MS = 24 * 3_600_000;
/** A backup is overdue this long after the schedule's interval (or a week without schedule). */
const BACKUP_GRACE_MS = 6 * 3_600_000;
const BACKUP_INTERVAL_MS = { daily: 86_400_000, weekly: 7 * 86_400_000, off: 7 * 86_400_000 } as const;

export function dashboard(s: DashboardDeps, timeZone: string): Dashboard {
  const now = s.now();
  const calendar = calendarOf(timeZone);
  const today = calendar.dayOf(now);
  const dayRange = (day: number) => ({ from: calendar.startOfDay(day), to: calendar.startOfDay(day + 1) });
  const state = s.statistics.rollups.current;

  /** All enterprises' figures over [from, to), per enterprise and in all. */
  const figuresOf = (from: number, to: number) => {
    const perAccount = sumPerAccount(s.db, 'enterprise', planPeriod(state, from, to));
    const total = emptyFigures();
    for (const a of perAccount.values()) addFigures(total, totalOf(a.byType));
    return { perAccount, total };
  };

  const todayRange = dayRange(today);
  const todayFigures = figuresOf(todayRange.from, todayRange.to);
  const todayByType = {} as Dashboard['today']['byType'];
  for (const t of STATS_CALL_TYPES) {
    let calls = 0;
    let seconds = 0;
    let amount = 0;
    for (const a of todayFigures.perAccount.values()) {
      calls += a.byType[t].calls;
      seconds += a.byType[t].seconds;
      amount += a.byType[t].amount;
    }
    todayByType[t] = { calls, seconds, amount: formatMoney(amount) };
  }
  const yesterdayRange = dayRange(today - 1);
  const month = calendar.monthOf(now);
  const monthRange = calendar.monthRange(month);
  const monthFigures = figuresOf(monthRange.from, monthRange.to);
  const names = enterpriseNames(s.db);
  const top = (perAccount: typeof todayFigures.perAccount) =>
    [...perAccount]
      .map(([id, a]) => ({ id, name: names.get(id) ?? `#${id}`, total: totalOf(a.byType) }))
      .filter((e) => e.total.calls > 0)
      .sort((x, y) => y.total.amount - x.total.amount || x.name.localeCompare(y.name))
      .slice(0, TOP_ENTERPRISES)
      .map((e) => ({ id: e.id, name: e.name, calls: e.total.calls, amount: formatMoney(e.total.amount) }));

  return {
    at: isoTime(now),
    timeZone,
    today: { date: calendar.isoDate(today), byType: todayByType, total: figuresForApi(todayFigures.total) },
    yesterday: { date: calendar.isoDate(today - 1), total: figuresForApi(figuresOf(yesterdayRange.from, yesterdayRange.to).total) },
    month: { month, total: figuresForApi(monthFigures.total) },
    topEnterprisesToday: top(todayFigures.perAccount),
    topEnterprisesMonth: top(monthFigures.perAccount),
    alerts: alerts(s, now),
    ingest: s.ingestStatus.snapshot(),
  };
}

/** An account row as the alerts of a dashboard show it (the clerks' dashboard and an enterprise's own). */
export function accountAlert(r: AlertAccountRow): DashboardAccountAlert {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    enterpriseId: r.enterprise_id ?? r.id,
    balance: formatMoney(r.balance),
    status: r.status,
    alertState: r.alert_state,
  };
}

function alerts(s: DashboardDeps, now: number): Dashboard['alerts'] {
  const accountsOf = (alert: 'lowBalance' | 'exhausted' | 'frozen') => {
    const { count, rows } = alertAccounts(s.db, alert, ALERT_ROWS);
    return {
      count,
      accounts: rows.map(accountAlert),
    };
  };
  const ingest = s.ingestStatus.snapshot();
  const pollerErrors: Dashboard['alerts']['pollerErrors'] = [];
  for (const d of ingest.devices) {
    const latest = d.errors[0];
    if (latest && now - Date.parse(latest.at) <= RECENT_ERROR_MS) {
      pollerErrors.push({ deviceId: d.deviceId, deviceName: d.name, at: latest.at, message: latest.message });
    }
  }
  const backups = s.backups.list();
  const last = backups.backups.reduce<number | null>((max, b) => Math.max(max ?? 0, Date.parse(b.createdAt)), null);
  const interval = BACKUP_INTERVAL_MS[backups.schedule.schedule];
  const overdue = last === null ? true : now - last > interval + BACKUP_GRACE_MS;
  return {
    lowBalance: accountsOf('lowBalance'),
    exhausted: accountsOf('exhausted'),
    frozen: accountsOf('frozen'),
    unratedCdrs: countUnratedCdrs(s.db),
    openRejects: countOpenRejects(s.db),
    pollerErrors,
    backup: {
      overdue: overdue || backups.lastError !== undefined,
      lastBackupAt: last === null ? null : isoTime(last),
      schedule: backups.schedule.schedule,
      ...(backups.schedule.nextRunAt ? { nextRunAt: backups.schedule.nextRunAt } : {}),
      ...(backups.lastError ? { lastError: backups.lastError } : {}),
    },
  };
}
