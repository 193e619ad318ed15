/** Counters of calls as the statistics add them up (integers; money in 1/10000 units until it leaves the API). */
import type { StatsByType, StatsCallType, StatsFigures } from '../../src-shared/api/statistics';
import { STATS_CALL_TYPES } from '../../src-shared/api/statistics';
import { formatMoney } from '../../src-shared/domain/money';

export interface Figures {
  calls: number;
  answered: number;
  seconds: number;
  billedSeconds: number;
  amount: number;
}

export type FiguresByType = Record<StatsCallType, Figures>;

export const emptyFigures = (): Figures => ({ calls: 0, answered: 0, seconds: 0, billedSeconds: 0, amount: 0 });

export function emptyByType(): FiguresByType {
  const byType = {} as FiguresByType;
  for (const t of STATS_CALL_TYPES) byType[t] = emptyFigures();
  return byType;
}

export function addFigures(into: Figures, more: Figures): void {
  into.calls += more.calls;
  into.answered += more.answered;
  into.seconds += more.seconds;
  into.billedSeconds += more.billedSeconds;
  into.amount += more.amount;
}

export function totalOf(byType: FiguresByType): Figures {
  const total = emptyFigures();
  for (const t of STATS_CALL_TYPES) addFigures(total, byType[t]);
  return total;
}

export function isStatsCallType(t: string): t is StatsCallType {
  return (STATS_CALL_TYPES as readonly string[]).includes(t);
}

export const figuresForApi = (f: Figures): StatsFigures => ({
  calls: f.calls,
  answered: f.answered,
  seconds: f.seconds,
  billedSeconds: f.billedSeconds,
  amount: formatMoney(f.amount),
});

export function byTypeForApi(byType: FiguresByType): StatsByType {
  const out = {} as StatsByType;
  for (const t of STATS_CALL_TYPES) out[t] = figuresForApi(byType[t]);
  return out;
}

/** A grouped row of SQL sums (rollups or CDRs) as Figures. */
export interface SummedRow {
  calls: number;
  answered: number;
  seconds: number;
  billed_seconds: number;
  amount: number;
}

export const figuresOfRow = (r: SummedRow): Figures => ({
  calls: r.calls,
  answered: r.answered,
  seconds: r.seconds,
  billedSeconds: r.billed_seconds ?? 0,
  amount: r.amount ?? 0,
});
