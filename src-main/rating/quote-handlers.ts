import { isoTime } from '../../src-shared/api/common';
import type { NumberClassification, RatingQuote } from '../../src-shared/api/rating';
import { formatMoney } from '../../src-shared/domain/money';
import type { AttributionIndex } from '../../src-shared/domain/numbers/attribution-index';
import type { CallClassification } from '../../src-shared/domain/numbers/classify-call';
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import type { CallQuote } from '../../src-shared/domain/rating/quote';
import type { DomainHandlers } from '../api/call-context';
import type { NamedAttributionRow } from './attribution/attribution-repository';
import type { RatingService } from './rating-service';

type Classified = Pick<CallClassification, 'callType' | 'normalized' | 'ratingNumber' | 'numberKind' | 'region' | 'carrier' | 'country' | 'reason' | 'steps'> & {
  area?: string;
};

/** The English name of the called area, from the same attribution rows classification used. */
function regionEnOf(c: Classified, attribution: AttributionIndex): string | undefined {
  if (!c.area) return undefined;
  const row = (c.numberKind === 'mobile' ? attribution.findMobile(c.ratingNumber) : attribution.areaByCode(c.area)) as NamedAttributionRow | null;
  return row?.regionEn || undefined;
}

/**
 * A step as plain data, with the English region and carrier names beside the stored (Chinese) ones where the step
 * names a region, so the English screens need not show Chinese place names (the step texts pick `regionEn`).
 */
function stepView(step: ExplainStep, attribution: AttributionIndex): ExplainStep {
  const params = { ...step.params };
  let row: NamedAttributionRow | null = null;
  if (step.key === 'mobile.attribution') row = attribution.findMobile(String(params.prefix)) as NamedAttributionRow | null;
  else if (step.key === 'fixed.areaCode') row = attribution.areaByCode(String(params.areaCode)) as NamedAttributionRow | null;
  if (row?.regionEn) params.regionEn = row.regionEn;
  if (row?.carrierEn) params.carrierEn = row.carrierEn;
  return { key: step.key, params };
}

/** The API form of a classification: absent fields left out, steps as plain objects. */
export function classificationView(c: Classified, attribution: AttributionIndex): NumberClassification {
  const view: NumberClassification = {
    callType: c.callType,
    normalized: c.normalized,
    ratingNumber: c.ratingNumber,
    steps: c.steps.map((step) => stepView(step, attribution)),
  };
  if (c.numberKind) view.numberKind = c.numberKind;
  if (c.area) view.area = c.area;
  if (c.region) view.region = c.region;
  const regionEn = regionEnOf(c, attribution);
  if (regionEn) view.regionEn = regionEn;
  if (c.carrier) view.carrier = c.carrier;
  if (c.country) view.country = c.country;
  if (c.reason) view.reason = { key: c.reason.key, params: { ...c.reason.params } };
  return view;
}

export function quoteView(q: CallQuote, attribution: AttributionIndex): Omit<RatingQuote, 'deviceId' | 'rateGroupId' | 'caller' | 'callee' | 'start' | 'billsec' | 'currency'> {
  return {
    ...classificationView({ ...q, area: q.area }, attribution),
    ...(q.rate ? { rate: { ...q.rate } } : {}),
    rated: q.rated,
    intervals: q.intervals.map((i) => ({ ...i, price: formatMoney(i.price), amount: formatMoney(i.amount) })),
    chargedSeconds: q.chargedSeconds,
    billedSeconds: q.billedSeconds,
    connectFee: formatMoney(q.connectFee),
    cost: formatMoney(q.cost),
  };
}

/** What the quote handlers use: the rating service alone. */
export interface QuoteHandlerDeps {
  rating: Pick<RatingService, 'ready' | 'quote' | 'classify' | 'deviceContext' | 'rateGroup'>;
}

export function quoteHandlers(s: QuoteHandlerDeps): DomainHandlers<'rating'> {
  return {
    'rating.quote': async (input) => {
      await s.rating.ready();
      const quote = s.rating.quote(input.deviceId, input.rateGroupId, { callee: input.callee, start: input.start, billsec: input.billsec });
      const device = s.rating.deviceContext(input.deviceId);
      const group = s.rating.rateGroup(input.rateGroupId);
      return {
        deviceId: input.deviceId,
        rateGroupId: input.rateGroupId,
        caller: input.caller,
        callee: input.callee,
        start: isoTime(input.start),
        billsec: input.billsec,
        ...quoteView(quote, device.attribution),
        currency: group.group.currency,
      };
    },
    'rating.classify': async ({ deviceId, number }) => {
      await s.rating.ready();
      const classification = s.rating.classify(deviceId, number);
      return classificationView({ ...classification, area: classification.areaCode }, s.rating.deviceContext(deviceId).attribution);
    },
  };
}
