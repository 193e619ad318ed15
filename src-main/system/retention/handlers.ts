import type { Handlers } from '../../api/dispatcher';
import type { Services } from '../../services';

export function retentionHandlers(s: Services): Handlers<'system.purge' | 'system.archives'> {
  return {
    'system.purge': (_input, ctx) =>
      s.retention.purge({ username: ctx.user!.username, accountId: ctx.user!.id, address: ctx.caller.address }),
    'system.archives': () => s.retention.archives(),
  };
}
