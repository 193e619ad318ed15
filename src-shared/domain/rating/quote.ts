/**
 * The one path from a dialled number to a price: normalize -> classify -> select rate -> rate. `rating.quote`, the
 * charging pipeline and the rating-tester page all call `quoteCall`, so "why this price" is the same everywhere.
 */
import type { Money } from '../money';
import { classifyCall, type CallType, type ClassifyContext } from '../numbers/classify-call';
import { explainStep, type ExplainStep } from '../numbers/explain-step';
import type { Rate } from './rate';
import { rateCall, type IntervalCharge } from './rate-call';
import type { RateSnapshot } from './rate-snapshot';

export interface QuoteRequest {
  /** The called number as the device reported it. */
  callee: string;
  /** Start of the call, UTC epoch ms (time bands and effective dates are judged by it). */
  start: number;
  /** Answered seconds; 0 for unanswered calls. */
  billsec: number;
}

/** Everything the quote depends on, prepared once per device and rate group and reused for every call. */
export interface QuoteContext extends ClassifyContext {
  rates: RateSnapshot;
  /** The device's IANA time zone. */
  timeZone: string;
}

export interface QuotedRate {
  id: number;
  name: string;
  callType: Rate['callType'];
  prefix: string;
}

export interface CallQuote {
  callType: CallType;
  normalized: string;
  /** The number rate prefixes were matched against (national or international form). */
  ratingNumber: string;
  numberKind?: 'mobile' | 'fixed';
  /** Area code of the called number. */
  area?: string;
  region?: string;
  carrier?: string;
  /** ISO country of an international destination. */
  country?: string;
  rate?: QuotedRate;
  /** Whether a rate was applied; false sends the call to the unrated queue with `reason`. */
  rated: boolean;
  reason?: ExplainStep;
  intervals: IntervalCharge[];
  chargedSeconds: number;
  billedSeconds: number;
  connectFee: Money;
  cost: Money;
  /** The explanation, in order. Some step objects are shared between quotes (frozen): copy before changing any. */
  steps: ExplainStep[];
}

export function quoteCall(request: QuoteRequest, ctx: QuoteContext): CallQuote {
  const classification = classifyCall(request.callee, ctx);
  const steps = classification.steps;
  // All fields present from the start (absent ones undefined): one object shape for every quote.
  const quote: CallQuote = {
    callType: classification.callType,
    normalized: classification.normalized,
    ratingNumber: classification.ratingNumber,
    numberKind: classification.numberKind,
    area: classification.areaCode || undefined,
    region: classification.region,
    carrier: classification.carrier,
    country: classification.country,
    rate: undefined,
    rated: false,
    reason: undefined,
    intervals: [],
    chargedSeconds: 0,
    billedSeconds: 0,
    connectFee: 0,
    cost: 0,
    steps,
  };

  if (classification.callType === 'unknown') {
    quote.reason = classification.reason ?? explainStep('quote.unknownCallType');
    return quote;
  }
  const selection = ctx.rates.select(classification.callType, classification.ratingNumber, request.start, ctx.timeZone);
  for (const s of selection.steps) steps.push(s);
  const rate = selection.rate;
  if (!rate) {
    quote.reason = selection.reason;
    return quote;
  }
  quote.rate = { id: rate.id, name: rate.name, callType: rate.callType, prefix: rate.prefix };
  try {
    const charge = rateCall(rate, request.billsec);
    for (const s of charge.steps) steps.push(s);
    quote.rated = true;
    quote.intervals = charge.intervals;
    quote.chargedSeconds = charge.chargedSeconds;
    quote.billedSeconds = charge.billedSeconds;
    quote.connectFee = charge.connectFee;
    quote.cost = charge.cost;
  } catch (e) {
    quote.reason = explainStep('rating.failed', { message: (e as Error).message });
    steps.push(quote.reason);
  }
  return quote;
}
