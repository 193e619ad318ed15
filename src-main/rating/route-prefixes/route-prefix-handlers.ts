import type { CallContext, DomainHandlers } from '../../api/call-context';
import type { DeviceRepository } from '../../devices/repository';
import type { EventBus } from '../../events';
import type { RatingService } from '../rating-service';

/** What the route prefix handlers use. */
export interface RoutePrefixHandlerDeps {
  /** The rules, and the device contexts a change makes stale. */
  rating: Pick<RatingService, 'routePrefixRepo' | 'routePrefixesChanged'>;
  /** A rule's device must exist. */
  devices: Pick<DeviceRepository, 'row'>;
  events: EventBus;
  now(): number;
}

export function routePrefixHandlers(s: RoutePrefixHandlerDeps): DomainHandlers<'routePrefixes'> {
  const repo = s.rating.routePrefixRepo;
  const changed = (ctx: CallContext, deviceId: number, id: number) =>
    ctx.afterCommit(() => {
      s.rating.routePrefixesChanged(deviceId);
      s.events.emit('data.changed', { domain: 'routePrefixes', ids: [id] });
    });

  return {
    'routePrefixes.list': ({ deviceId }) => {
      s.devices.row(deviceId);
      return repo.list(deviceId);
    },
    'routePrefixes.create': (input, ctx) => {
      s.devices.row(input.deviceId);
      const { deviceId, position, ...fields } = input;
      const id = repo.insert(deviceId, fields, position, s.now());
      const after = repo.get(id);
      ctx.audit({ target: `routePrefix:${id}`, after, rules: repo.list(deviceId).map((r) => `${r.position}:${r.prefix}`) });
      changed(ctx, deviceId, id);
      return after;
    },
    'routePrefixes.update': (input, ctx) => {
      const before = repo.get(input.id);
      repo.update(
        input.id,
        {
          prefix: input.prefix ?? before.prefix,
          minRemainingLength: input.minRemainingLength ?? before.minRemainingLength,
          replacement: input.replacement ?? before.replacement,
          notes: input.notes ?? before.notes,
        },
        input.position,
        s.now(),
      );
      const after = repo.get(input.id);
      ctx.audit({ target: `routePrefix:${input.id}`, before, after });
      changed(ctx, before.deviceId, input.id);
      return after;
    },
    'routePrefixes.delete': ({ id }, ctx) => {
      const before = repo.delete(id);
      ctx.audit({ target: `routePrefix:${id}`, before });
      changed(ctx, before.deviceId, id);
      return { ok: true };
    },
  };
}
