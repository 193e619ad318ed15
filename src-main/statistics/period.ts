/**
 * How a period is read: the whole rollup days inside it from `stats_daily`, the rest (a part day at either end, a
 * period shorter than a day, or all of it while the rollups are not usable) from the CDRs. Any period in any zone is
 * exact this way: the rollup days are just a partition of time, and what they do not cover is counted from the CDRs.
 */
import type { StatsSource } from '../../src-shared/api/statistics';
import { isoTime } from '../../src-shared/api/common';
import type { RollupState } from './rollup-repository';
import { calendarOf } from './zone-calendar';

export interface PeriodPlan {
  /** Rollup days [first, end) that lie wholly inside the period; null when none do (or rollups are unusable). */
  days: { first: number; end: number } | null;
  /** Parts of the period to count from the CDRs, [from, to) each. */
  scans: { from: number; to: number }[];
  rollupZone: string | null;
  countedFrom: number | null;
}

/** Rollups can be read when they were counted and no rebuild for another zone runs. */
export function usableRollupZone(state: RollupState): string | null {
  return state.timeZone && !state.rebuildZone ? state.timeZone : null;
}

export function planPeriod(state: RollupState, from: number, to: number): PeriodPlan {
  const zone = usableRollupZone(state);
  const base = { rollupZone: state.timeZone, countedFrom: state.countedFrom };
  if (to <= from) return { ...base, days: null, scans: [] };
  if (!zone) return { ...base, days: null, scans: [{ from, to }] };
  const calendar = calendarOf(zone);
  let first = calendar.dayOf(from);
  if (calendar.startOfDay(first) < from) first++;
  const end = calendar.dayOf(to);
  if (first >= end) return { ...base, days: null, scans: [{ from, to }] };
  const wholeFrom = calendar.startOfDay(first);
  const wholeTo = calendar.startOfDay(end);
  const scans: PeriodPlan['scans'] = [];
  if (from < wholeFrom) scans.push({ from, to: wholeFrom });
  if (wholeTo < to) scans.push({ from: wholeTo, to });
  return { ...base, days: { first, end }, scans };
}

export function sourceOf(plan: PeriodPlan): StatsSource {
  const rollupDays = plan.days ? plan.days.end - plan.days.first : 0;
  return {
    kind: plan.scans.length === 0 ? 'rollups' : rollupDays === 0 ? 'cdrs' : 'mixed',
    rollupTimeZone: plan.rollupZone,
    rollupDays,
    scanned: plan.scans.map((s) => ({ from: isoTime(s.from), to: isoTime(s.to) })),
    incomplete: plan.countedFrom !== null && plan.scans.some((s) => s.from < plan.countedFrom!),
  };
}
