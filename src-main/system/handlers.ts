import { isoTime } from '../../src-shared/api/common';
import type { DomainHandlers } from '../api/dispatcher';
import type { Services } from '../services';

export function systemHandlers(s: Services): DomainHandlers<'system'> {
  return {
    'system.ping': () => ({ now: isoTime(s.now()), version: s.config.version }),
  };
}
