import type { DomainHandlers } from '../api/call-context';
import { attributionHandlers, type AttributionHandlerDeps } from './attribution/attribution-handlers';
import { specialNumberHandlers, type SpecialNumberHandlerDeps } from './attribution/special-number-handlers';
import { quoteHandlers, type QuoteHandlerDeps } from './quote-handlers';
import { rateHandlers, type RateHandlerDeps } from './rates/rate-handlers';
import { routePrefixHandlers, type RoutePrefixHandlerDeps } from './route-prefixes/route-prefix-handlers';

/** What the rating domain's handlers use, together. */
export type RatingHandlerDeps = RoutePrefixHandlerDeps & RateHandlerDeps & QuoteHandlerDeps & AttributionHandlerDeps & SpecialNumberHandlerDeps;

/** Every method of the rating domain: route prefixes, rate groups and rates, attribution, special numbers, quotes. */
export function ratingHandlers(
  s: RatingHandlerDeps,
): DomainHandlers<'routePrefixes' | 'rateGroups' | 'rates' | 'rating' | 'attribution' | 'specialNumbers'> {
  return {
    ...routePrefixHandlers(s),
    ...rateHandlers(s),
    ...quoteHandlers(s),
    ...attributionHandlers(s),
    ...specialNumberHandlers(s),
  };
}
