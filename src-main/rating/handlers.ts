import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import { attributionHandlers } from './attribution/attribution-handlers';
import { quoteHandlers } from './quote-handlers';
import { rateHandlers } from './rates/rate-handlers';
import { routePrefixHandlers } from './route-prefixes/route-prefix-handlers';
import { specialNumberHandlers } from './attribution/special-number-handlers';

/** Every method of the rating domain: route prefixes, rate groups and rates, attribution, special numbers, quotes. */
export function ratingHandlers(
  s: Services,
): DomainHandlers<'routePrefixes' | 'rateGroups' | 'rates' | 'rating' | 'attribution' | 'specialNumbers'> {
  return {
    ...routePrefixHandlers(s),
    ...rateHandlers(s),
    ...quoteHandlers(s),
    ...attributionHandlers(s),
    ...specialNumberHandlers(s),
  };
}
