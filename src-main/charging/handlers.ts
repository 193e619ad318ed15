/**
 * The charging contract's handlers (src-shared/api/charging.ts): the unrated queue, charging it again after a fix,
 * and rerating a period.
 */
import type { ChargeAgainResult, UnratedCdr, UnratedGroup, UnratedQueue } from '../../src-shared/api/charging';
import { isoTime } from '../../src-shared/api/common';
import type { Handler, Handlers } from '../api/call-context';
import type { Sqlite } from '../db/connection';
import { decodeCursor, encodeCursor } from '../db/paging';
import type { EventBus } from '../events';
import type { RatingService } from '../rating/rating-service';
import type { ChargingPipeline } from './charging';
import { listUnrated, unratedGroups, unratedIds, type UnratedFilter } from './repository';
import { rerate, type RerateDeps } from './rerate';
import { unratedProblem } from './unrated-reasons';

/** What charging the unrated queue again uses (ingestion's reprocessing uses it too). */
export interface ChargeAgainDeps {
  db: Sqlite;
  rating: RatingService;
  charging: ChargingPipeline;
}

/** What the charging handlers use (the engine's service names). */
export interface ChargingHandlerDeps extends ChargeAgainDeps, RerateDeps {
  events: EventBus;
}

const CHARGE_AGAIN_CHUNK = 500;

/**
 * Rates and charges again the unrated CDRs of a filter (after a fix), a chunk per transaction; `onChunk` hears what is
 * committed so far.
 */
export async function chargeUnratedAgain(
  deps: ChargeAgainDeps,
  filter: UnratedFilter & { ids?: number[] },
  onChunk: (soFar: { examined: number; rated: number }) => void = () => undefined,
): Promise<ChargeAgainResult> {
  await deps.rating.ready();
  const ids = unratedIds(deps.db, filter);
  let rated = 0;
  for (let i = 0; i < ids.length; i += CHARGE_AGAIN_CHUNK) {
    rated += deps.charging.chargeAgain(ids.slice(i, i + CHARGE_AGAIN_CHUNK)).rated;
    onChunk({ examined: Math.min(ids.length, i + CHARGE_AGAIN_CHUNK), rated });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { examined: ids.length, rated, stillUnrated: ids.length - rated };
}

export function unratedHandlers(deps: ChargingHandlerDeps): Handlers<'cdrs.unrated' | 'cdrs.chargeUnrated' | 'cdrs.rerate'> {
  return {
    'cdrs.unrated': (q) => unratedQueue(deps.db, q),
    'cdrs.chargeUnrated': chargeUnratedHandler(deps),
    'cdrs.rerate': rerateHandler(deps),
  };
}

/** The queue's reasons (over all of it) and one page of the CDRs of a filter, latest first. */
function unratedQueue(db: Sqlite, q: Parameters<Handler<'cdrs.unrated'>>[0]): UnratedQueue {
  const groups = unratedGroups(db).map(
    (g): UnratedGroup => ({
      key: g.key,
      example: g.example,
      problem: unratedProblem(g.example),
      count: g.count,
      devices: g.devices,
      oldest: isoTime(g.oldest),
      latest: isoTime(g.latest),
    }),
  );
  const before = q.cursor ? (decodeCursor(q.cursor, 2) as [number, number]) : undefined;
  const rows = listUnrated(db, q, before, q.limit + 1);
  const kept = rows.slice(0, q.limit);
  const last = kept[kept.length - 1];
  return {
    groups,
    rows: kept.map(
      (r): UnratedCdr => ({
        id: r.id,
        deviceId: r.deviceId,
        start: isoTime(r.startAt),
        caller: r.caller,
        callee: r.callee,
        billsec: r.billsec,
        callType: r.callType,
        normalized: r.normalized,
        reason: r.reason,
        problem: unratedProblem(r.reason),
      }),
    ),
    ...(rows.length > q.limit && last ? { nextCursor: encodeCursor([last.startAt, last.id]) } : {}),
  };
}

function chargeUnratedHandler(deps: ChargingHandlerDeps): Handler<'cdrs.chargeUnrated'> {
  return async (q, ctx) => {
    // Each chunk commits on its own: if a later one fails, the operation log tells what was charged.
    const result = await chargeUnratedAgain(deps, q, (soFar) => ctx.audit({ target: 'cdrs:unrated', filter: q, committedSoFar: soFar }));
    ctx.audit({ target: 'cdrs:unrated', filter: q, committedSoFar: undefined, ...result });
    ctx.afterCommit(() => deps.events.emit('data.changed', { domain: 'cdrs' }));
    return result;
  };
}

function rerateHandler(deps: ChargingHandlerDeps): Handler<'cdrs.rerate'> {
  return async (q, ctx) => {
    await deps.rating.ready();
    const audit = { target: 'cdrs:rerate', period: { from: isoTime(q.from), to: isoTime(q.to) }, scope: q };
    const announce = () => {
      deps.events.emit('data.changed', { domain: 'cdrs' });
      deps.events.emit('data.changed', { domain: 'accounts' });
    };
    let written = false;
    let result: Awaited<ReturnType<typeof rerate>>;
    try {
      result = await rerate(deps, q, {
        apply: !q.preview,
        operator: { id: ctx.user!.id, username: ctx.user!.username },
        reason: q.reason,
        // Each chunk commits on its own: if a later one fails, the operation log still tells what was written.
        onApplied: (soFar) => {
          written = true;
          ctx.audit({ ...audit, committedSoFar: soFar });
        },
      });
    } catch (err) {
      if (written) announce();
      throw err;
    }
    if (result.applied) {
      ctx.audit({ ...audit, committedSoFar: undefined, changed: result.changed, difference: result.difference });
      ctx.afterCommit(announce);
    }
    return result;
  };
}
