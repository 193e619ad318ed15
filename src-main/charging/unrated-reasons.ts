/**
 * The catalogue of unrated reasons: the explanation steps that can leave a call unrated, as keys of the `engine` i18n
 * namespace (`unrated.<step key>`) with the step's parameters and its English sentence for support. The step itself
 * (the `explain` namespace) stays what the "why this price" view shows.
 */
import type { ReasonProblem } from '../../src-shared/api/reasons';
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import { explainText } from '../../src-shared/domain/rating/explain';

/** Every key an unrated reason can carry: the i18n catalogue (both engine.json files) must hold each. */
export const UNRATED_REASON_KEYS = [
  // charging: who pays, and with which rate group
  'unrated.charging.noPayer',
  'unrated.charging.noRate',
  'unrated.charging.configurationMissing',
  // rating
  'unrated.quote.unknownCallType',
  'unrated.rate.none',
  'unrated.rating.failed',
  // number classification (numbering plan, route prefixes, attribution)
  'unrated.number.empty',
  'unrated.number.unrecognized',
  'unrated.number.classifyFailed',
  'unrated.international.tooShort',
  'unrated.national.empty',
  'unrated.national.noArea',
  'unrated.fixed.subscriberLength',
  'unrated.mobile.noArea',
  'unrated.mobile.length',
  // a reason stored by an older version, or one this list does not know yet
  'unrated.other',
] as const;

const KNOWN = new Set<string>(UNRATED_REASON_KEYS);

/** The reason a call is unrated, in the catalogue's terms. */
export function unratedProblem(step: ExplainStep): ReasonProblem {
  const key = `unrated.${step.key}`;
  return { key: KNOWN.has(key) ? key : 'unrated.other', params: { ...step.params }, text: explainText(step) };
}
