/**
 * Calls and amount per day and call type, for the charts. Days are the report zone's. When that zone is the rollups'
 * zone, whole days come from the rollups; otherwise (or for part days) the CDRs are grouped by quarter hour in SQL
 * and each quarter is given to its day in JS: every zone's offset is a whole number of quarter hours, so a quarter
 * never straddles two days of any zone.
 */
import type { StatsCallType, StatsKind, StatsSeries, StatsSeriesDay } from '../../src-shared/api/statistics';
import { STATS_CALL_TYPES } from '../../src-shared/api/statistics';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import { isStatsCallType } from './figures';
import { planPeriod, sourceOf, type PeriodPlan } from './period';
import { cdrQuartersReader, sumRollupDays, type SeriesFilter } from './repository';
import type { RollupState } from './rollup-repository';
import { calendarOf } from './zone-calendar';
import { problem } from '../../src-shared/api/messages';

export const MAX_SERIES_DAYS = 1000;
const QUARTER_MS = 900_000;

export interface StatsSeriesQuery {
  from: number;
  to: number;
  timeZone: string;
  kind: StatsKind;
  enterpriseId?: number;
  accountId?: number;
}

interface DayCounts {
  calls: number;
  amount: number;
}

export function statsSeries(db: Sqlite, state: RollupState, q: StatsSeriesQuery): StatsSeries {
  const calendar = calendarOf(q.timeZone);
  const firstDay = calendar.dayOf(q.from);
  const lastDay = q.to > q.from ? calendar.dayOf(q.to - 1) : firstDay - 1;
  if (lastDay - firstDay + 1 > MAX_SERIES_DAYS) {
    throw ApiError.keyed('invalid_input', 'api.chartTooLong', `A chart covers at most ${MAX_SERIES_DAYS} days.`, { max: MAX_SERIES_DAYS }, fieldDetails({ to: problem('field.chartTooLong', `at most ${MAX_SERIES_DAYS} days after from`, { max: MAX_SERIES_DAYS }) }));
  }
  const counts = new Map<number, Record<StatsCallType, DayCounts>>();
  const add = (day: number, type: string, calls: number, amount: number) => {
    if (!isStatsCallType(type)) return;
    let d = counts.get(day);
    if (!d) {
      d = {} as Record<StatsCallType, DayCounts>;
      for (const t of STATS_CALL_TYPES) d[t] = { calls: 0, amount: 0 };
      counts.set(day, d);
    }
    d[type].calls += calls;
    d[type].amount += amount;
  };

  // Rollup days are the report's days only when both are counted in the same zone.
  let plan: PeriodPlan = planPeriod(state, q.from, q.to);
  if (plan.days && plan.rollupZone !== q.timeZone) plan = { ...plan, days: null, scans: [{ from: q.from, to: q.to }] };
  const filter: SeriesFilter = {
    kind: q.kind,
    ...(q.enterpriseId !== undefined ? { enterpriseId: q.enterpriseId } : {}),
    ...(q.accountId !== undefined ? { accountId: q.accountId } : {}),
  };
  if (plan.days) for (const r of sumRollupDays(db, filter, plan.days)) add(r.day, r.call_type, r.calls, r.amount);
  const quarters = cdrQuartersReader(db, filter, QUARTER_MS);
  for (const s of plan.scans) {
    for (const r of quarters(s.from, s.to)) add(calendar.dayOf(r.quarter * QUARTER_MS), r.call_type, r.calls, r.amount);
  }

  const days: StatsSeriesDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const d = counts.get(day);
    const byType = {} as StatsSeriesDay['byType'];
    let calls = 0;
    let amount = 0;
    for (const t of STATS_CALL_TYPES) {
      const c = d?.[t] ?? { calls: 0, amount: 0 };
      byType[t] = { calls: c.calls, amount: formatMoney(c.amount) };
      calls += c.calls;
      amount += c.amount;
    }
    days.push({ date: calendar.isoDate(day), start: isoTime(Math.max(q.from, calendar.startOfDay(day))), byType, total: { calls, amount: formatMoney(amount) } });
  }
  return { kind: q.kind, period: { from: isoTime(q.from), to: isoTime(q.to), timeZone: q.timeZone }, days, source: sourceOf(plan) };
}
