/**
 * Call classification (DESIGN §5): internal, local, domestic, international, special, or unknown with a reason.
 * Total by construction: every input yields a classification, never an exception, because an unknown call still has
 * to land in the unrated queue with something a clerk can act on.
 */
import type { AttributionIndex, AttributionRow } from './attribution-index';
import { destinationCountry } from './destination-country';
import { explainStep, type ExplainStep } from './explain-step';
import type { CompiledNumberingPlan } from './numbering-plan';
import { normalizeNumber } from './route-prefix';
import type { SpecialNumberIndex } from './special-numbers';

export const CALL_TYPES = ['internal', 'local', 'domestic', 'international', 'special', 'unknown'] as const;
export type CallType = (typeof CALL_TYPES)[number];
/** Call types a rate can be defined for. */
export type RatedCallType = Exclude<CallType, 'unknown'>;
export const RATED_CALL_TYPES: readonly RatedCallType[] = ['internal', 'local', 'domestic', 'international', 'special'];

/** Shortest number accepted after the international prefix (calling code + national number); shorter is a typo. */
export const MIN_INTERNATIONAL_LENGTH = 5;
/** Shortest subscriber part accepted after an area code (5-6 digit local service numbers exist, e.g. 96xxx). */
export const MIN_SUBSCRIBER_LENGTH = 5;

export interface ClassifyContext {
  plan: CompiledNumberingPlan;
  /** Attribution rows of the plan's country. */
  attribution: AttributionIndex;
  specialNumbers: SpecialNumberIndex;
  /** Extension numbers known for the device (or its enterprise). */
  knownExtensions?: ReadonlySet<string>;
}

export interface CallClassification {
  callType: CallType;
  /** The called number after cleaning and route prefix rules. */
  normalized: string;
  /**
   * The number rate prefixes are matched against: the national number without trunk prefix for local and domestic
   * calls ("2150001234", "13800138000"; a local subscriber number gets the device's area code in front), the number
   * after the international prefix for international calls ("44207946000"), the number itself otherwise.
   */
  ratingNumber: string;
  numberKind?: 'mobile' | 'fixed';
  areaCode?: string;
  region?: string;
  carrier?: string;
  /** ISO country of an international destination, for reports. */
  country?: string;
  countryCallingCode?: string;
  /** Why the call is `unknown`. */
  reason?: ExplainStep;
  steps: ExplainStep[];
}

/** Normalizes the dialled number with the plan's route prefix rules, then classifies it. */
export function classifyCall(dialled: string, ctx: ClassifyContext): CallClassification {
  let normalized: ReturnType<typeof normalizeNumber>;
  try {
    normalized = normalizeNumber(dialled, ctx.plan.routePrefixRules);
  } catch (e) {
    const number = typeof dialled === 'string' ? dialled : '';
    return unknown(number, [], explainStep('number.classifyFailed', { number, message: String((e as Error)?.message ?? e) }));
  }
  return classifyNumber(normalized.number, ctx, normalized.steps);
}

/** Classifies an already normalized number; `steps` (the normalization steps) are continued. */
export function classifyNumber(normalized: string, ctx: ClassifyContext, steps: ExplainStep[] = []): CallClassification {
  try {
    return classify(normalized, ctx, steps);
  } catch (e) {
    // Defensive: a bug or a broken configuration object must still leave a reason, not stop an import.
    return unknown(normalized, steps, explainStep('number.classifyFailed', { number: normalized, message: String((e as Error)?.message ?? e) }));
  }
}

function classify(n: string, ctx: ClassifyContext, steps: ExplainStep[]): CallClassification {
  const { plan } = ctx;
  if (n === '' || n === '+') return unknown(n, steps, explainStep('number.empty'));

  if (ctx.knownExtensions?.has(n)) {
    steps.push(explainStep('internal.knownExtension', { number: n }), explainStep('callType.internal'));
    return typed('internal', n, n, steps);
  }
  if (plan.extensionPattern?.test(n)) {
    steps.push(explainStep('internal.pattern', { number: n, pattern: plan.extensionPatternSource ?? '' }), explainStep('callType.internal'));
    return typed('internal', n, n, steps);
  }

  let international: string | null = null;
  if (n.charCodeAt(0) === 43 /* + */) {
    international = n.slice(1);
    steps.push(explainStep('international.plus', { number: international }));
  } else if (plan.internationalPrefix && n.startsWith(plan.internationalPrefix)) {
    international = n.slice(plan.internationalPrefix.length);
    steps.push(explainStep('international.prefix', { prefix: plan.internationalPrefix, number: international }));
  }
  if (international !== null) return classifyInternational(n, international, ctx, steps);

  if (plan.nationalPrefix && n.startsWith(plan.nationalPrefix)) {
    const national = n.slice(plan.nationalPrefix.length);
    steps.push(explainStep('national.trunkPrefix', { prefix: plan.nationalPrefix, number: national }));
    return classifyNational(n, national, ctx, steps);
  }
  return classifyWithoutPrefix(n, ctx, steps);
}

function classifyInternational(n: string, international: string, ctx: ClassifyContext, steps: ExplainStep[]): CallClassification {
  const { plan } = ctx;
  if (plan.countryCode && international.startsWith(plan.countryCode)) {
    let national = international.slice(plan.countryCode.length);
    steps.push(explainStep('international.ownCountry', { countryCode: plan.countryCode, number: national }));
    // "+86 010 ..." is a common way of writing numbers; the trunk prefix does not belong after the country code.
    if (plan.nationalPrefix && national.startsWith(plan.nationalPrefix)) {
      national = national.slice(plan.nationalPrefix.length);
      steps.push(explainStep('national.trunkPrefixAfterCountryCode', { prefix: plan.nationalPrefix, number: national }));
    }
    return classifyNational(n, national, ctx, steps);
  }
  if (international.length < MIN_INTERNATIONAL_LENGTH) {
    return unknown(n, steps, explainStep('international.tooShort', { number: international, length: international.length, min: MIN_INTERNATIONAL_LENGTH }));
  }
  const destination = destinationCountry(international);
  if (!destination) {
    steps.push(explainStep('international.unknownCallingCode', { number: international }));
  } else if (destination.country) {
    steps.push(explainStep('international.country', { callingCode: destination.callingCode, country: destination.country }));
  } else {
    steps.push(explainStep('international.noCountry', { callingCode: destination.callingCode }));
  }
  steps.push(explainStep('callType.international'));
  return typed('international', n, international, steps, {
    country: destination?.country ?? undefined,
    countryCallingCode: destination?.callingCode,
  });
}

/** A national (significant) number: area code + subscriber, or a mobile number. */
function classifyNational(n: string, national: string, ctx: ClassifyContext, steps: ExplainStep[]): CallClassification {
  const { plan, attribution } = ctx;
  if (national === '') return unknown(n, steps, explainStep('national.empty'));
  const mobile = attribution.findMobile(national);
  const fixed = attribution.findAreaCode(national);
  // Longest prefix wins between a mobile range and an area code.
  if (mobile && (!fixed || mobile.prefix.length >= fixed.prefix.length)) {
    if (plan.mobileNumberLengths.has(national.length)) return mobileCall(n, national, mobile, ctx, steps);
    if (!fixed) return unknown(n, steps, mobileLengthReason(national, plan));
  }
  if (fixed) {
    const areaCode = fixed.areaCode || fixed.prefix;
    const subscriberLength = national.length - fixed.prefix.length;
    if (subscriberLength < MIN_SUBSCRIBER_LENGTH || subscriberLength > plan.maxLocalLength) {
      return unknown(
        n,
        steps,
        explainStep('fixed.subscriberLength', { number: national, areaCode, length: subscriberLength, min: MIN_SUBSCRIBER_LENGTH, max: plan.maxLocalLength }),
      );
    }
    steps.push(explainStep('fixed.areaCode', { areaCode, region: fixed.region }));
    return byArea(n, national, 'fixed', fixed, ctx, steps);
  }
  // Without attribution data for its own area, a device still knows its own area code.
  if (plan.areaCode && national.startsWith(plan.areaCode) && plan.localNumberLengths.has(national.length - plan.areaCode.length)) {
    steps.push(explainStep('fixed.ownAreaCode', { areaCode: plan.areaCode }));
    return byArea(n, national, 'fixed', { areaCode: plan.areaCode, region: '', carrier: '' }, ctx, steps);
  }
  return unknown(n, steps, explainStep('national.noArea', { number: national }));
}

function classifyWithoutPrefix(n: string, ctx: ClassifyContext, steps: ExplainStep[]): CallClassification {
  const { plan, attribution } = ctx;
  const special = ctx.specialNumbers.match(n);
  if (special) {
    const { entry } = special;
    steps.push(
      special.kind === 'exact'
        ? explainStep('special.exact', { number: n, name: entry.en, nameZh: entry.zh, category: entry.category })
        : explainStep('special.pattern', { number: n, prefix: special.entry.prefix, name: entry.en, nameZh: entry.zh, category: entry.category }),
    );
    steps.push(explainStep('callType.special'));
    return typed('special', n, n, steps);
  }
  const mobile = attribution.findMobile(n);
  if (mobile && plan.mobileNumberLengths.has(n.length)) return mobileCall(n, n, mobile, ctx, steps);
  if (plan.localNumberLengths.has(n.length)) {
    steps.push(explainStep('local.subscriber', { number: n, areaCode: plan.areaCode }));
    steps.push(explainStep('callType.local'));
    const own = attribution.areaByCode(plan.areaCode);
    return typed('local', n, plan.areaCode + n, steps, { numberKind: 'fixed', areaCode: plan.areaCode, region: own?.region });
  }
  if (mobile) return unknown(n, steps, mobileLengthReason(n, plan));
  return unknown(n, steps, explainStep('number.unrecognized', { number: n, length: n.length, localLengths: [...plan.localNumberLengths].join(', ') }));
}

function mobileCall(n: string, national: string, row: AttributionRow, ctx: ClassifyContext, steps: ExplainStep[]): CallClassification {
  steps.push(explainStep('mobile.attribution', { prefix: row.prefix, region: row.region, areaCode: row.areaCode, carrier: row.carrier }));
  if (!row.areaCode) return unknown(n, steps, explainStep('mobile.noArea', { number: national, prefix: row.prefix }));
  return byArea(n, national, 'mobile', row, ctx, steps);
}

function byArea(
  n: string,
  national: string,
  numberKind: 'mobile' | 'fixed',
  area: Pick<AttributionRow, 'areaCode' | 'region' | 'carrier'>,
  ctx: ClassifyContext,
  steps: ExplainStep[],
): CallClassification {
  const local = area.areaCode === ctx.plan.areaCode;
  steps.push(
    local
      ? explainStep('area.same', { areaCode: area.areaCode })
      : explainStep('area.other', { areaCode: area.areaCode, deviceAreaCode: ctx.plan.areaCode }),
  );
  const callType = local ? 'local' : 'domestic';
  steps.push(explainStep(`callType.${callType}`));
  return typed(callType, n, national, steps, { numberKind, areaCode: area.areaCode, region: area.region, carrier: area.carrier });
}

function mobileLengthReason(national: string, plan: CompiledNumberingPlan): ExplainStep {
  return explainStep('mobile.length', { number: national, length: national.length, expected: [...plan.mobileNumberLengths].join(', ') });
}

type Details = Pick<CallClassification, 'numberKind' | 'areaCode' | 'region' | 'carrier' | 'country' | 'countryCallingCode'>;

/** Every classification has the same fields (absent ones undefined): one object shape keeps the hot path fast. */
function typed(callType: CallType, normalized: string, ratingNumber: string, steps: ExplainStep[], d: Details = {}): CallClassification {
  return {
    callType,
    normalized,
    ratingNumber,
    numberKind: d.numberKind,
    areaCode: d.areaCode,
    region: d.region || undefined,
    carrier: d.carrier || undefined,
    country: d.country,
    countryCallingCode: d.countryCallingCode,
    reason: undefined,
    steps,
  };
}

function unknown(normalized: string, steps: ExplainStep[], reason: ExplainStep): CallClassification {
  steps.push(reason);
  const result = typed('unknown', normalized, normalized, steps);
  result.reason = reason;
  return result;
}
