import { ApiError, fieldDetails } from '../../../src-shared/api/errors';
import { problem, type Problem } from '../../../src-shared/api/messages';
import { validateSpecialNumberList } from '../../../src-shared/domain/numbers/special-numbers';
import type { DomainHandlers } from '../../api/call-context';
import type { EventBus } from '../../events';
import type { RatingService } from '../rating-service';

/** What the special number handlers use. */
export interface SpecialNumberHandlerDeps {
  /** The lists, and the indexes a change makes stale. */
  rating: Pick<RatingService, 'specialNumberRepo' | 'specialNumbersChanged'>;
  events: EventBus;
  now(): number;
}

export function specialNumberHandlers(s: SpecialNumberHandlerDeps): DomainHandlers<'specialNumbers'> {
  const repo = s.rating.specialNumberRepo;
  return {
    'specialNumbers.list': ({ countryCode }) => repo.record(countryCode),
    'specialNumbers.update': (input, ctx) => {
      const fields: Record<string, Problem[]> = {};
      for (const { path, message, key, params } of validateSpecialNumberList(input)) (fields[path] ??= []).push(problem(key, message, params));
      const first = Object.entries(fields)[0];
      if (first) {
        throw ApiError.keyed('invalid_input', 'api.invalidField', `Invalid special numbers: ${first[0]} ${first[1][0]!.text}`, { field: first[0] }, fieldDetails(fields));
      }
      const before = repo.record(input.countryCode);
      repo.replace(input, 'edited', ctx.user?.username ?? '(unknown)', s.now());
      const after = repo.record(input.countryCode);
      ctx.audit({ target: `specialNumbers:${input.countryCode}`, before, after });
      ctx.afterCommit(() => {
        s.rating.specialNumbersChanged();
        s.events.emit('data.changed', { domain: 'specialNumbers' });
      });
      return after;
    },
  };
}
