/**
 * Usage by call date, read the way the statistics read it (statistics/period.ts: whole rollup days from
 * `stats_daily`, part days and unusable rollups from the CDRs), so a month's bill and its statistics are one count.
 * Money in 1/10000 units; amounts are what the calls cost (positive).
 */
import type { BillChargeLine, BillStatement, BillUsageLine } from '../../src-shared/api/bills';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import { STATS_CALL_TYPES } from '../../src-shared/api/statistics';
import { planPeriod, usableRollupZone } from '../statistics/period';
import { readRollupState } from '../statistics/rollup-repository';
import { calendarOf, previousMonth } from '../statistics/zone-calendar';
import { sumPerAccount } from '../statistics/tables';
import { isStatsCallType, type FiguresByType } from '../statistics/figures';
import { enterpriseRollupDays } from './repository';

export interface UsageFigures {
  calls: number;
  seconds: number;
  amount: number;
}

export type UsageByType = Map<string, UsageFigures>;

export const noUsage = (): UsageFigures => ({ calls: 0, seconds: 0, amount: 0 });

export function addUsage(into: UsageFigures, more: UsageFigures, sign: 1 | -1 = 1): void {
  into.calls += sign * more.calls;
  into.seconds += sign * more.seconds;
  into.amount += sign * more.amount;
}

export function totalUsage(byType: UsageByType): UsageFigures {
  const total = noUsage();
  for (const f of byType.values()) addUsage(total, f);
  return total;
}

const isEmpty = (f: UsageFigures) => f.calls === 0 && f.seconds === 0 && f.amount === 0;

function usageOfFigures(byType: FiguresByType): UsageByType {
  const out: UsageByType = new Map();
  for (const t of STATS_CALL_TYPES) {
    const f = byType[t];
    if (f.calls !== 0 || f.seconds !== 0 || f.amount !== 0) out.set(t, { calls: f.calls, seconds: f.seconds, amount: f.amount });
  }
  return out;
}

export interface PeriodUsage {
  byType: UsageByType;
  /** Per user account / gateway account the calls were charged to (all of the enterprise's calls of the period). */
  byUser: Map<number, UsageFigures>;
  byGateway: Map<number, UsageFigures>;
}

/** The enterprise's calls that started at >= from and < to, as the statistics count them now. */
export function periodUsage(db: Sqlite, enterpriseId: number, from: number, to: number, withAccounts = true): PeriodUsage {
  const plan = planPeriod(readRollupState(db), from, to);
  const enterprise = sumPerAccount(db, 'enterprise', plan, enterpriseId).get(enterpriseId);
  const byType = enterprise ? usageOfFigures(enterprise.byType) : new Map();
  const perAccount = (kind: 'user' | 'gateway') => {
    const out = new Map<number, UsageFigures>();
    if (!withAccounts) return out;
    for (const [id, a] of sumPerAccount(db, kind, plan, enterpriseId)) {
      const total = totalUsage(usageOfFigures(a.byType));
      if (!isEmpty(total)) out.set(id, total);
    }
    return out;
  };
  return { byType, byUser: perAccount('user'), byGateway: perAccount('gateway') };
}

/** Amount (1/10000) of the enterprise's calls that started before `to`: the usage side of a first opening balance. */
export function usageBefore(db: Sqlite, enterpriseId: number, to: number): UsageByType {
  return periodUsage(db, enterpriseId, 0, to, false).byType;
}

export const chargeLine = (f: UsageFigures): BillChargeLine => ({ calls: f.calls, seconds: f.seconds, amount: formatMoney(f.amount) });

export function usageLines(byType: UsageByType): BillUsageLine[] {
  return [...byType]
    .map(([callType, f]) => ({ callType, ...chargeLine(f) }))
    .sort((x, y) => parseMoney(y.amount) - parseMoney(x.amount) || x.callType.localeCompare(y.callType));
}

export function usageOfLines(lines: readonly BillUsageLine[]): UsageByType {
  const out: UsageByType = new Map();
  for (const l of lines) {
    const f = out.get(l.callType) ?? noUsage();
    addUsage(f, { calls: l.calls, seconds: l.seconds, amount: parseMoney(l.amount) });
    out.set(l.callType, f);
  }
  return out;
}

/** A closed statement as the late-usage reckoning reads it. */
export interface ClosedBill {
  month: string;
  periodFrom: number;
  periodTo: number;
  statement: BillStatement;
}

/** A bucket of calls that a closed statement billed: a closed month, or the calls before the first statement. */
export interface LateBucket {
  month: string;
  from: number;
  to: number;
  byType: UsageByType;
}

/**
 * What each closed month has been billed for so far (by call type): its own statement's usage plus the late usage
 * from it on the statements closed after it. Only statements billed by call date take part; a statement stored before
 * (posting date) billed its calls by when they were charged, so its month is left as it was billed. The first
 * call-date statement's `priorUsage` (calls before its period, counted in its opening) is one more bucket, named by the
 * month before it and reaching back to 1970.
 */
export function billedBuckets(closed: readonly ClosedBill[]): LateBucket[] {
  const buckets = new Map<string, LateBucket>();
  for (const c of closed) {
    if (c.statement.basis !== 'callDate') continue;
    if (c.statement.priorUsage && buckets.size === 0) {
      const month = previousMonth(c.month);
      buckets.set(month, { month, from: 0, to: c.periodFrom, byType: usageOfLines(c.statement.priorUsage) });
    }
    buckets.set(c.month, { month: c.month, from: c.periodFrom, to: c.periodTo, byType: usageOfLines(c.statement.chargesByType) });
  }
  for (const c of closed) {
    if (c.statement.basis !== 'callDate') continue;
    for (const late of c.statement.lateUsage.months) {
      const bucket = buckets.get(late.month);
      if (!bucket) continue;
      for (const [type, f] of usageOfLines(late.byType)) {
        const into = bucket.byType.get(type) ?? noUsage();
        addUsage(into, f);
        bucket.byType.set(type, into);
      }
    }
  }
  return [...buckets.values()].sort((a, b) => a.from - b.from);
}

/**
 * Late usage: per bucket, what the statistics count now minus what was billed, by call type (non-zero lines only).
 * Buckets that reach before the retention cut (CDRs purged) are final: while the rollups are recounted for another
 * zone the statistics read those periods from the CDRs, which are gone, and would take back what was billed.
 */
export function lateUsageOf(db: Sqlite, enterpriseId: number, closed: readonly ClosedBill[]): LateBucket[] {
  const out: LateBucket[] = [];
  const countedFrom = readRollupState(db).countedFrom;
  const buckets = billedBuckets(closed).filter((b) => countedFrom === null || b.from >= countedFrom);
  const counted = usageOfBuckets(db, enterpriseId, buckets);
  buckets.forEach((bucket, i) => {
    const now = counted[i]!;
    const diff: UsageByType = new Map();
    for (const type of new Set([...now.keys(), ...bucket.byType.keys()])) {
      const f = { ...(now.get(type) ?? noUsage()) };
      addUsage(f, bucket.byType.get(type) ?? noUsage(), -1);
      if (!isEmpty(f)) diff.set(type, f);
    }
    if (diff.size > 0) out.push({ ...bucket, byType: diff });
  });
  return out;
}

/**
 * The statistics of each bucket now. When the rollups can be read and every bucket is made of whole rollup days (the
 * usual case: closed in the zone the rollups are counted in), one query reads the enterprise's days and adds them up
 * per bucket; otherwise each bucket is read as any period is (periodUsage). Both give the same figures.
 */
function usageOfBuckets(db: Sqlite, enterpriseId: number, buckets: readonly LateBucket[]): UsageByType[] {
  const zone = usableRollupZone(readRollupState(db));
  const calendar = zone ? calendarOf(zone) : null;
  const wholeDay = (at: number) => calendar!.startOfDay(calendar!.dayOf(at)) === at;
  if (!calendar || buckets.length < 2 || !buckets.every((b) => (b.from === 0 || wholeDay(b.from)) && wholeDay(b.to))) {
    return buckets.map((b) => periodUsage(db, enterpriseId, b.from, b.to, false).byType);
  }
  const ranges = buckets.map((b) => ({ first: b.from === 0 ? -Infinity : calendar.dayOf(b.from), end: calendar.dayOf(b.to) }));
  const out = buckets.map((): UsageByType => new Map());
  const rows = enterpriseRollupDays(db, enterpriseId, Math.max(...ranges.map((r) => r.end)));
  for (const r of rows) {
    if (!isStatsCallType(r.call_type)) continue;
    ranges.forEach((range, i) => {
      if (r.day < range.first || r.day >= range.end) return;
      const f = out[i]!.get(r.call_type) ?? noUsage();
      addUsage(f, { calls: r.calls, seconds: r.seconds, amount: r.amount });
      out[i]!.set(r.call_type, f);
    });
  }
  // Days whose figures add up to nothing are not usage (as the statistics leave them out).
  for (const byType of out) for (const [type, f] of byType) if (isEmpty(f)) byType.delete(type);
  return out;
}
