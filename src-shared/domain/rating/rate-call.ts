/**
 * Prices one answered call with one tariff (DESIGN §6): per-interval increments, free and minimum seconds, connect
 * fee, and the exact rational total rounded once, half up, to 1/10000. Integer arithmetic throughout; BigInt takes
 * over where a product could leave the range in which doubles hold integers exactly.
 */
import { formatMoney, type Money } from '../money';
import { explainStep, type ExplainStep } from '../numbers/explain-step';
import type { Tariff } from './rate';

export interface IntervalCharge {
  /** 1-based position of the interval in the rate. */
  index: number;
  start: number;
  /** Where the next interval starts; null for the last one. */
  end: number | null;
  /** Seconds of the call that fall in this interval. */
  seconds: number;
  /** Those seconds rounded up to whole increments. */
  billedSeconds: number;
  price: Money;
  unit: number;
  increment: number;
  /** This interval's exact amount rounded half up, for display; `cost` is rounded from the exact sum, not from these. */
  amount: Money;
}

export interface CallCharge {
  /** Billable seconds after free and minimum seconds, before increments. */
  chargedSeconds: number;
  /** Seconds paid for, after increments (sum over the intervals). */
  billedSeconds: number;
  intervals: IntervalCharge[];
  connectFee: Money;
  cost: Money;
  steps: ExplainStep[];
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * `billsec` is the answered duration in seconds; a started second counts (fractions round up). Throws RangeError
 * only for a rate that validation would refuse (unit or increment not positive) or a cost that cannot be represented
 * (above 900 billion currency units).
 */
export function rateCall(tariff: Tariff, billsec: number): CallCharge {
  const steps: ExplainStep[] = [];
  if (!(billsec > 0)) {
    steps.push(explainStep('rating.unanswered'));
    return zeroCharge(steps);
  }
  const seconds = Math.ceil(billsec);
  if (seconds <= tariff.freeSeconds) {
    steps.push(explainStep('rating.free', { billsec: seconds, freeSeconds: tariff.freeSeconds }));
    return zeroCharge(steps);
  }
  let chargedSeconds = seconds;
  if (tariff.minSeconds > seconds) {
    chargedSeconds = tariff.minSeconds;
    steps.push(explainStep('rating.minimum', { billsec: seconds, minSeconds: tariff.minSeconds }));
  }

  const intervals: IntervalCharge[] = [];
  const list = tariff.intervals;
  for (let i = 0; i < list.length; i++) {
    const interval = list[i]!;
    if (!(interval.unit > 0 && interval.increment > 0 && Number.isInteger(interval.unit) && Number.isInteger(interval.increment))) {
      throw new RangeError(`interval ${i + 1} of the rate needs a whole positive unit and increment`);
    }
    const next = list[i + 1];
    const end = next ? next.start : null;
    const upTo = end === null ? chargedSeconds : Math.min(chargedSeconds, end);
    const inInterval = upTo - interval.start;
    if (inInterval <= 0) break;
    const billed = Math.ceil(inInterval / interval.increment) * interval.increment;
    const amount = roundedQuotient(billed, interval.price, interval.unit);
    intervals.push({
      index: i + 1,
      start: interval.start,
      end,
      seconds: inInterval,
      billedSeconds: billed,
      price: interval.price,
      unit: interval.unit,
      increment: interval.increment,
      amount,
    });
  }

  const cost = exactTotal(tariff.connectFee, intervals);
  let billedSeconds = 0;
  for (const charge of intervals) {
    billedSeconds += charge.billedSeconds;
    steps.push(
      explainStep('rating.interval', {
        index: charge.index,
        start: charge.start,
        end: charge.end ?? '',
        seconds: charge.seconds,
        billedSeconds: charge.billedSeconds,
        increment: charge.increment,
        price: formatMoney(charge.price),
        unit: charge.unit,
        amount: formatMoney(charge.amount),
      }),
    );
  }
  if (tariff.connectFee) steps.push(explainStep('rating.connectFee', { amount: formatMoney(tariff.connectFee) }));
  steps.push(explainStep('rating.total', { cost: formatMoney(cost), billedSeconds }));
  return { chargedSeconds, billedSeconds, intervals, connectFee: tariff.connectFee, cost, steps };
}

function zeroCharge(steps: ExplainStep[]): CallCharge {
  return { chargedSeconds: 0, billedSeconds: 0, intervals: [], connectFee: 0, cost: 0, steps };
}

/**
 * connectFee + sum(billed_i * price_i / unit_i), rounded half up once. The fractions are brought to one
 * denominator (the lcm of the units) so the sum stays exact.
 */
function exactTotal(connectFee: Money, intervals: readonly IntervalCharge[]): Money {
  let denominator = 1;
  for (const c of intervals) denominator = lcm(denominator, c.unit);
  if (denominator <= MAX_SAFE) {
    let numerator = connectFee * denominator;
    let exact = Math.abs(numerator) <= MAX_SAFE;
    for (let i = 0; exact && i < intervals.length; i++) {
      const c = intervals[i]!;
      const term = c.billedSeconds * c.price * (denominator / c.unit);
      numerator += term;
      exact = Math.abs(term) <= MAX_SAFE && Math.abs(numerator) <= MAX_SAFE;
    }
    if (exact) return roundHalfUp(numerator, denominator);
  }
  const den = BigInt(denominator);
  let num = BigInt(connectFee) * den;
  for (const c of intervals) num += BigInt(c.billedSeconds) * BigInt(c.price) * (den / BigInt(c.unit));
  return toMoney(roundHalfUpBig(num, den));
}

/** a * b / c rounded half up, exact. */
function roundedQuotient(a: number, b: number, c: number): Money {
  const product = a * b;
  if (Math.abs(product) <= MAX_SAFE) return roundHalfUp(product, c);
  return toMoney(roundHalfUpBig(BigInt(a) * BigInt(b), BigInt(c)));
}

/** Half up (towards +infinity at exactly one half) of numerator / denominator; both safe integers, denominator > 0. */
function roundHalfUp(numerator: number, denominator: number): number {
  let q = Math.floor(numerator / denominator);
  // The float division may be off by one for large operands; the remainder corrects it exactly.
  let r = numerator - q * denominator;
  if (r < 0) {
    q -= 1;
    r += denominator;
  } else if (r >= denominator) {
    q += 1;
    r -= denominator;
  }
  return 2 * r >= denominator ? q + 1 : q;
}

function roundHalfUpBig(numerator: bigint, denominator: bigint): bigint {
  let q = numerator / denominator;
  let r = numerator % denominator;
  if (r < 0n) {
    q -= 1n;
    r += denominator;
  }
  return 2n * r >= denominator ? q + 1n : q;
}

function toMoney(value: bigint): Money {
  if (value > BigInt(MAX_SAFE) || value < -BigInt(MAX_SAFE)) {
    throw new RangeError(`the cost of this call (${value} ten-thousandths) is too large to be an amount`);
  }
  return Number(value);
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}
