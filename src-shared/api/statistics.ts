/**
 * Statistics (DESIGN §4.1, §9): calls, duration and amount per enterprise, user and gateway account and call type for
 * a period, a daily series for charts, the dashboard, and the export of every statistics view. Figures count rated
 * CDRs (the unrated queue is counted on the dashboard). They come from daily rollups kept in the charging
 * transaction; `source` says when part of a period had to be read from the CDRs instead (see docs/statistics.md).
 */
import { z } from 'zod';
import { ADMIN, method, READ, READ_OWN } from './contract';
import { id, instant, timeZone, type IsoTime } from './common';
import type { MoneyText } from './accounts';
import type { DownloadTicket } from './downloads';
import type { IngestStatusSnapshot } from './ingest';
import { RATED_CALL_TYPES, type RatedCallType } from '../domain/numbers/classify-call';

export const STATS_CALL_TYPES = RATED_CALL_TYPES;
export type StatsCallType = RatedCallType;
export type StatsKind = 'enterprise' | 'user' | 'gateway';

export interface StatsFigures {
  calls: number;
  /** Calls with talk time (billsec > 0). */
  answered: number;
  /** Talk time (billsec), seconds. */
  seconds: number;
  /** Seconds the rates billed (minimums, increments). */
  billedSeconds: number;
  amount: MoneyText;
}

export type StatsByType = Record<StatsCallType, StatsFigures>;

export interface StatsRow {
  /** The account: enterprise, user or gateway. */
  id: number;
  name: string;
  enterpriseId: number;
  enterpriseName: string;
  byType: StatsByType;
  total: StatsFigures;
}

/** Where the figures came from: rollups for whole days, CDRs for the rest of the period. */
export interface StatsSource {
  /** `rollups`: whole days only (fast); `mixed`: rollups plus CDRs for part days; `cdrs`: read from the CDRs (slower). */
  kind: 'rollups' | 'mixed' | 'cdrs';
  /** Zone of the rollups' days (the statistics time zone they were counted in). */
  rollupTimeZone: string | null;
  /** Days read from the rollups. */
  rollupDays: number;
  /** Parts of the period read from the CDRs ([from, to) each). */
  scanned: { from: IsoTime; to: IsoTime }[];
  /** Scanned parts that start before the oldest CDR kept (retention): their figures miss the purged calls. */
  incomplete: boolean;
}

export interface StatsPeriod {
  from: IsoTime;
  to: IsoTime;
  timeZone: string;
}

export interface StatsTable {
  kind: StatsKind;
  period: StatsPeriod;
  rows: StatsRow[];
  /** Rows that matched (rows holds the first `limit` in the chosen order). */
  totalRows: number;
  /** Over every matching row, not just those returned. */
  totals: { byType: StatsByType; total: StatsFigures };
  source: StatsSource;
}

export interface StatsSeriesDay {
  /** The day in the report's zone, "2026-03-02". */
  date: string;
  start: IsoTime;
  byType: Record<StatsCallType, { calls: number; amount: MoneyText }>;
  total: { calls: number; amount: MoneyText };
}

export interface StatsSeries {
  kind: StatsKind;
  period: StatsPeriod;
  days: StatsSeriesDay[];
  source: StatsSource;
}

export interface DashboardAccountAlert {
  id: number;
  name: string;
  kind: StatsKind;
  enterpriseId: number;
  balance: MoneyText;
  status: 'active' | 'frozen';
  alertState: 'ok' | 'low' | 'exhausted';
}

export interface Dashboard {
  at: IsoTime;
  timeZone: string;
  today: { date: string; byType: Record<StatsCallType, { calls: number; seconds: number; amount: MoneyText }>; total: StatsFigures };
  yesterday: { date: string; total: StatsFigures };
  month: { month: string; total: StatsFigures };
  /** Most charged enterprises today and this month. */
  topEnterprisesToday: { id: number; name: string; calls: number; amount: MoneyText }[];
  topEnterprisesMonth: { id: number; name: string; calls: number; amount: MoneyText }[];
  alerts: {
    lowBalance: { count: number; accounts: DashboardAccountAlert[] };
    exhausted: { count: number; accounts: DashboardAccountAlert[] };
    frozen: { count: number; accounts: DashboardAccountAlert[] };
    unratedCdrs: number;
    openRejects: number;
    pollerErrors: { deviceId: number; deviceName: string; at: IsoTime; message: string }[];
    backup: {
      overdue: boolean;
      lastBackupAt: IsoTime | null;
      schedule: 'off' | 'daily' | 'weekly';
      nextRunAt?: IsoTime;
      lastError?: { at: IsoTime; message: string };
    };
  };
  ingest: IngestStatusSnapshot;
}

export interface StatsCheckMismatch {
  kind: StatsKind;
  accountId: number;
  enterpriseId: number;
  day: string;
  callType: string;
  rollup: { calls: number; answered: number; seconds: number; billedSeconds: number; amount: MoneyText };
  recount: { calls: number; answered: number; seconds: number; billedSeconds: number; amount: MoneyText };
}

export interface StatsCheck {
  ok: boolean;
  state: 'built' | 'notBuilt' | 'rebuilding';
  timeZone: string;
  /** First day compared (days before a retention purge are kept, not compared). */
  fromDay?: string | null;
  /** Rollup rows compared and rated CDRs recounted. */
  rows: number;
  cdrs: number;
  mismatchCount: number;
  /** The first mismatches. */
  mismatches: StatsCheckMismatch[];
  checkedAt: IsoTime;
}

export interface StatsSettings {
  /** Default zone of reports and the zone of the daily rollups' days. */
  timeZone: string;
  /** Zone the rollups are counted in now (differs from timeZone while a rebuild runs). */
  rollupTimeZone: string | null;
  rebuild?: { timeZone: string; doneUntil: IsoTime | null };
}

export const STATS_SORTS = [
  'name',
  ...(['total', ...RATED_CALL_TYPES] as const).flatMap((t) => [`${t}.calls`, `${t}.seconds`, `${t}.amount`] as const),
] as const;
export type StatsSort = (typeof STATS_SORTS)[number];

const period = {
  /** Calls that started at or after (ISO 8601 with offset, or epoch ms). */
  from: instant,
  /** Calls that started before. */
  to: instant,
  /** Zone of the report's days (default: the statistics time zone setting). */
  timeZone: timeZone.optional(),
};

export const statsTableInput = z.object({
  ...period,
  enterpriseId: id.optional(),
  sort: z.enum(STATS_SORTS).default('total.amount'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(50_000).default(5_000),
});

const kind = z.enum(['enterprise', 'user', 'gateway']);

export const statsSeriesInput = z.object({
  ...period,
  kind: kind.default('enterprise'),
  enterpriseId: id.optional(),
  /** One account of `kind`. */
  accountId: id.optional(),
});

const tableMethod = (who: string) =>
  method<StatsTable>()({
    input: statsTableInput,
    access: READ_OWN,
    mutation: false,
    summary: `Statistics per ${who} for a period: calls, answered calls, duration and amount by call type, with totals.`,
    returns: '{ kind, period, rows: [{ id, name, enterpriseId, enterpriseName, byType: { internal, local, domestic, international, special: { calls, answered, seconds, billedSeconds, amount } }, total }], totalRows, totals, source }',
  });

export const statisticsMethods = {
  'stats.enterprise': tableMethod('enterprise'),
  'stats.user': tableMethod('user account (optionally of one enterprise)'),
  'stats.gateway': tableMethod('gateway account (optionally of one enterprise)'),
  'stats.series': method<StatsSeries>()({
    input: statsSeriesInput,
    access: READ_OWN,
    mutation: false,
    summary: 'Calls and amount per day of a period by call type, for charts: all enterprises, one enterprise, or one account.',
    returns: '{ kind, period, days: [{ date, start, byType: { <callType>: { calls, amount } }, total }], source }',
  }),
  'stats.dashboard': method<Dashboard>()({
    input: z.object({ timeZone: timeZone.optional() }),
    access: READ,
    mutation: false,
    summary:
      "Today's calls and amount by call type, top enterprises, alerts (low / exhausted / frozen accounts, unrated CDRs, " +
      'open rejects, poller errors, backup overdue) and the ingest status per device.',
    returns: '{ at, timeZone, today, yesterday, month, topEnterprisesToday, topEnterprisesMonth, alerts, ingest }',
  }),
  'stats.verify': method<StatsCheck>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'Statistics check: every daily rollup row equals a recount from the CDRs (days whose CDRs were purged excepted).',
    returns: '{ ok, state, timeZone, fromDay, rows, cdrs, mismatchCount, mismatches, checkedAt }',
  }),
  'stats.settings': method<StatsSettings>()({
    input: z.object({}),
    access: READ_OWN,
    mutation: false,
    summary: 'The statistics time zone (default zone of reports and bills) and the zone the rollups are counted in.',
    returns: '{ timeZone, rollupTimeZone, rebuild? }',
  }),
  'stats.setTimeZone': method<StatsSettings>()({
    input: z.object({ timeZone }),
    access: ADMIN,
    mutation: true,
    async: true,
    summary:
      'Change the statistics time zone. The daily rollups are counted again in the new zone in the background, oldest ' +
      'days first; until that ends, statistics are read from the CDRs (exact, slower).',
    returns: '{ timeZone, rollupTimeZone, rebuild? }',
  }),
  'exports.stats': method<DownloadTicket>()({
    input: statsTableInput.omit({ limit: true }).extend({
      kind,
      format: z.enum(['xlsx', 'csv']).default('xlsx'),
      /** Language of the file's headings. */
      language: z.enum(['en', 'zh-CN']).default('en'),
    }),
    access: READ_OWN,
    mutation: false,
    async: true,
    summary:
      'A statistics view (enterprises, users or gateways) as .xlsx or .csv: header block (period, zone, filters, who ' +
      'and when), one row per account with calls, duration (h:mm:ss) and amount per call type, and a totals row.',
    returns: 'DownloadTicket',
  }),
} as const;
