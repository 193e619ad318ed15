/**
 * Rate selection (DESIGN §6) over a snapshot of one rate group, built once and reused for every call rated with
 * that group. Per call type, rates are grouped by prefix in one Map per prefix length, and each prefix's rates are
 * pre-sorted in the order of preference, so choosing a rate is a few Map probes and a short walk.
 */
import { explainStep, type ExplainStep } from '../numbers/explain-step';
import type { RatedCallType } from '../numbers/classify-call';
import { bandContains, compileTimeBand, localTimeOf, type CompiledTimeBand, type LocalTime } from './local-time';
import type { Rate } from './rate';

interface IndexedRate {
  rate: Rate;
  band: CompiledTimeBand | null;
  /** -Infinity for "always". */
  effectiveFrom: number;
}

interface CallTypeRates {
  byLength: Map<string, IndexedRate[]>[];
  /** Prefix lengths present, longest first. */
  lengths: number[];
}

export interface RateSelection {
  rate: Rate | null;
  steps: ExplainStep[];
  /** Why no rate was found. */
  reason?: ExplainStep;
}

export interface RateSnapshot {
  readonly rateCount: number;
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

export function buildRateSnapshot(rates: Iterable<Rate>): RateSnapshot {
  const byType = new Map<RatedCallType, CallTypeRates>();
  let rateCount = 0;
  for (const rate of rates) {
    let typeRates = byType.get(rate.callType);
    if (!typeRates) byType.set(rate.callType, (typeRates = { byLength: [], lengths: [] }));
    const len = rate.prefix.length;
    let table = typeRates.byLength[len];
    if (!table) {
      table = typeRates.byLength[len] = new Map();
      typeRates.lengths.push(len);
    }
    const indexed: IndexedRate = {
      rate,
      band: rate.timeBand ? compileTimeBand(rate.timeBand) : null,
      effectiveFrom: rate.effectiveFrom ?? Number.NEGATIVE_INFINITY,
    };
    const same = table.get(rate.prefix);
    if (same) same.push(indexed);
    else table.set(rate.prefix, [indexed]);
    rateCount++;
  }
  for (const typeRates of byType.values()) {
    typeRates.lengths.sort((a, b) => b - a);
    for (const table of typeRates.byLength) if (table) for (const list of table.values()) list.sort(preference);
  }

  return {
    rateCount,
    select(callType, ratingNumber, start, timeZone) {
      const steps: ExplainStep[] = [];
      const typeRates = byType.get(callType);
      if (typeRates) {
        // Local time is needed only when a banded rate is a candidate; compute it at most once per call.
        let local: LocalTime | null | undefined;
        const localTime = (): LocalTime | null => {
          if (local === undefined) {
            try {
              local = localTimeOf(start, timeZone);
            } catch {
              local = null;
              steps.push(explainStep('rate.badTimeZone', { timeZone }));
            }
          }
          return local;
        };
        for (const len of typeRates.lengths) {
          if (len > ratingNumber.length) continue;
          const prefix = len === ratingNumber.length ? ratingNumber : ratingNumber.slice(0, len);
          const candidates = typeRates.byLength[len]!.get(prefix);
          if (!candidates) continue;
          const chosen = firstApplicable(candidates, start, localTime);
          if (chosen) {
            steps.push(selectedStep(chosen.rate));
            if (chosen.rate.timeBand) steps.push(bandStep(chosen.rate));
            if (chosen.rate.effectiveFrom !== null) {
              steps.push(explainStep('rate.effectiveFrom', { effectiveFrom: new Date(chosen.rate.effectiveFrom).toISOString() }));
            }
            return { rate: chosen.rate, steps };
          }
          steps.push(
            prefix
              ? explainStep('rate.prefixNotApplicable', { prefix, count: candidates.length })
              : explainStep('rate.defaultNotApplicable', { count: candidates.length }),
          );
        }
      }
      const reason = explainStep('rate.none', { callType, number: ratingNumber });
      steps.push(reason);
      return { rate: null, steps, reason };
    },
  };
}

/** The most preferred rate that is already effective at `start` and whose band (if any) contains it. */
function firstApplicable(candidates: readonly IndexedRate[], start: number, localTime: () => LocalTime | null): IndexedRate | null {
  for (const c of candidates) {
    if (c.effectiveFrom > start) continue;
    if (c.band) {
      const local = localTime();
      if (!local || !bandContains(c.band, local)) continue;
    }
    return c;
  }
  return null;
}

function selectedStep(rate: Rate): ExplainStep {
  return rate.prefix
    ? explainStep('rate.selected', { name: rate.name, id: rate.id, callType: rate.callType, prefix: rate.prefix })
    : explainStep('rate.selectedDefault', { name: rate.name, id: rate.id, callType: rate.callType });
}

function bandStep(rate: Rate): ExplainStep {
  const band = rate.timeBand!;
  return explainStep('rate.timeBand', { days: band.days.join(','), from: band.from, to: band.to });
}
