/**
 * Rate selection (DESIGN §6) over a snapshot of one rate group, built once and reused for every call rated with
 * that group. Per call type, rates are grouped by prefix in a prefix table (one Map per prefix length), each prefix's
 * rates pre-sorted in the order of preference, and each rate's explanation steps prepared, so choosing a rate is a
 * few Map probes and a short walk.
 */
import { explainStep, type ExplainStep } from '../numbers/explain-step';
import type { RatedCallType } from '../numbers/classify-call';
import { PrefixTable } from '../numbers/prefix-table';
import { bandContains, compileTimeBand, localTimeOf, type CompiledTimeBand, type LocalTime } from './local-time';
import type { Rate } from './rate';

interface IndexedRate {
  rate: Rate;
  band: CompiledTimeBand | null;
  /** -Infinity for "always". */
  effectiveFrom: number;
  /** Why this rate, prepared once: shared (frozen) by every selection of it. */
  steps: readonly ExplainStep[];
}

export interface RateSelection {
  rate: Rate | null;
  /** Steps of the selection; treat them as read-only (they are shared between calls). */
  steps: ExplainStep[];
  /** Why no rate was found. */
  reason?: ExplainStep;
}

export interface RateSnapshot {
  readonly rateCount: number;
  /** Rates whose prefix is not digits (at most 15): never selectable; validation refuses them. */
  readonly skipped: readonly Rate[];
  /**
   * The rate for a call of `callType` to `ratingNumber` (the classification's national or international form)
   * starting at `start` (UTC epoch ms), with time bands read in the device's `timeZone`.
   */
  select(callType: RatedCallType, ratingNumber: string, start: number, timeZone: string): RateSelection;
}

/**
 * Preference among rates of the same prefix: a time band over none, then the latest effective date; the rate id
 * breaks remaining ties (overlapping bands) so the choice never depends on input order.
 */
function preference(a: IndexedRate, b: IndexedRate): number {
  if (!a.band !== !b.band) return a.band ? -1 : 1;
  if (a.effectiveFrom !== b.effectiveFrom) return b.effectiveFrom - a.effectiveFrom;
  return a.rate.id - b.rate.id;
}

function frozenStep(key: string, params: Record<string, string | number>): ExplainStep {
  return Object.freeze({ key, params: Object.freeze(params) }) as ExplainStep;
}

function selectionSteps(rate: Rate): readonly ExplainStep[] {
  const steps = [
    rate.prefix
      ? frozenStep('rate.selected', { name: rate.name, id: rate.id, callType: rate.callType, prefix: rate.prefix })
      : frozenStep('rate.selectedDefault', { name: rate.name, id: rate.id, callType: rate.callType }),
  ];
  if (rate.timeBand) steps.push(frozenStep('rate.timeBand', { days: rate.timeBand.days.join(','), from: rate.timeBand.from, to: rate.timeBand.to }));
  if (rate.effectiveFrom !== null) steps.push(frozenStep('rate.effectiveFrom', { effectiveFrom: new Date(rate.effectiveFrom).toISOString() }));
  return Object.freeze(steps);
}

export function buildRateSnapshot(rates: Iterable<Rate>): RateSnapshot {
  const byType = new Map<RatedCallType, PrefixTable<IndexedRate[]>>();
  const lists: IndexedRate[][] = [];
  const skipped: Rate[] = [];
  let rateCount = 0;
  for (const rate of rates) {
    let table = byType.get(rate.callType);
    if (!table) byType.set(rate.callType, (table = new PrefixTable()));
    const indexed: IndexedRate = {
      rate,
      band: rate.timeBand ? compileTimeBand(rate.timeBand) : null,
      effectiveFrom: rate.effectiveFrom ?? Number.NEGATIVE_INFINITY,
      steps: selectionSteps(rate),
    };
    const same = table.get(rate.prefix);
    if (same) same.push(indexed);
    else if (table.set(rate.prefix, [indexed])) lists.push(table.get(rate.prefix)!);
    else {
      skipped.push(rate);
      continue;
    }
    rateCount++;
  }
  for (const list of lists) list.sort(preference);

  return {
    rateCount,
    skipped,
    select(callType, ratingNumber, start, timeZone) {
      const table = byType.get(callType);
      let steps = null as ExplainStep[] | null;
      // Local time is needed only when a banded rate is a candidate; compute it at most once per call.
      let local: LocalTime | null | undefined;
      const localTime = (): LocalTime | null => {
        if (local === undefined) {
          try {
            local = localTimeOf(start, timeZone);
          } catch {
            local = null;
            (steps ??= []).push(explainStep('rate.badTimeZone', { timeZone }));
          }
        }
        return local;
      };
      const chosen = table?.find(ratingNumber, (candidates, prefixLength) => {
        const applicable = firstApplicable(candidates, start, localTime);
        if (!applicable) {
          (steps ??= []).push(
            prefixLength
              ? explainStep('rate.prefixNotApplicable', { prefix: ratingNumber.slice(0, prefixLength), count: candidates.length })
              : explainStep('rate.defaultNotApplicable', { count: candidates.length }),
          );
        }
        return applicable;
      });
      if (chosen) {
        if (!steps) return { rate: chosen.rate, steps: chosen.steps as ExplainStep[] };
        for (const s of chosen.steps) steps.push(s);
        return { rate: chosen.rate, steps };
      }
      const reason = explainStep('rate.none', { callType, number: ratingNumber });
      (steps ??= []).push(reason);
      return { rate: null, steps, reason };
    },
  };
}

/** The most preferred rate that is already effective at `start` and whose band (if any) contains it. */
function firstApplicable(candidates: readonly IndexedRate[], start: number, localTime: () => LocalTime | null): IndexedRate | undefined {
  for (const c of candidates) {
    if (c.effectiveFrom > start) continue;
    if (c.band) {
      const local = localTime();
      if (!local || !bandContains(c.band, local)) continue;
    }
    return c;
  }
  return undefined;
}
