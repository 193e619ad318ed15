import type { ChargeAgainResult, UnratedCdr, UnratedGroup } from '../../src-shared/api/charging';
import { isoTime } from '../../src-shared/api/common';
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import type { Handlers } from '../api/call-context';
import { decodeCursor, encodeCursor } from '../db/paging';
import type { Services } from '../services';
import { rerate } from './rerate';
import { unratedProblem } from './unrated-reasons';

interface UnratedFilter {
  deviceId?: number;
  reasonKey?: string;
  from?: number;
  to?: number;
}

function unratedWhere(f: UnratedFilter): { sql: string; params: unknown[] } {
  const where = ["status = 'unrated'"];
  const params: unknown[] = [];
  if (f.deviceId) where.push('device_id = ?'), params.push(f.deviceId);
  if (f.reasonKey) where.push("json_extract(status_reason, '$.key') = ?"), params.push(f.reasonKey);
  if (f.from !== undefined) where.push('start_at >= ?'), params.push(f.from);
  if (f.to !== undefined) where.push('start_at < ?'), params.push(f.to);
  return { sql: where.join(' AND '), params };
}

const CHARGE_AGAIN_CHUNK = 500;

/**
 * Rates and charges again the unrated CDRs of a filter (after a fix), a chunk per transaction; `onChunk` hears what is
 * committed so far.
 */
export async function chargeUnratedAgain(
  s: Services,
  filter: UnratedFilter & { ids?: number[] },
  onChunk: (soFar: { examined: number; rated: number }) => void = () => undefined,
): Promise<ChargeAgainResult> {
  await s.rating.ready();
  const w = unratedWhere(filter);
  if (filter.ids) w.sql += ` AND id IN (${filter.ids.map(() => '?').join(',')})`, w.params.push(...filter.ids);
  const ids = s.db.prepare(`SELECT id FROM cdrs WHERE ${w.sql} ORDER BY id`).pluck().all(...w.params) as number[];
  let rated = 0;
  for (let i = 0; i < ids.length; i += CHARGE_AGAIN_CHUNK) {
    rated += s.charging.chargeAgain(ids.slice(i, i + CHARGE_AGAIN_CHUNK)).rated;
    onChunk({ examined: Math.min(ids.length, i + CHARGE_AGAIN_CHUNK), rated });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { examined: ids.length, rated, stillUnrated: ids.length - rated };
}

export function unratedHandlers(s: Services): Handlers<'cdrs.unrated' | 'cdrs.chargeUnrated' | 'cdrs.rerate'> {
  return {
    'cdrs.unrated': (q) => {
      const groupRows = s.db
        .prepare(
          `SELECT json_extract(status_reason, '$.key') AS key, COUNT(*) AS n, MIN(start_at) AS oldest, MAX(start_at) AS latest,
             MAX(id) AS latest_id
           FROM cdrs WHERE status = 'unrated' GROUP BY key ORDER BY n DESC`,
        )
        .all() as { key: string; n: number; oldest: number; latest: number; latest_id: number }[];
      const example = s.db.prepare('SELECT status_reason FROM cdrs WHERE id = ?').pluck();
      const perDevice = s.db.prepare(
        `SELECT device_id AS deviceId, COUNT(*) AS count FROM cdrs
         WHERE status = 'unrated' AND json_extract(status_reason, '$.key') = ? GROUP BY device_id ORDER BY count DESC`,
      );
      const groups: UnratedGroup[] = groupRows.map((g) => {
        const reason = JSON.parse(String(example.get(g.latest_id))) as ExplainStep;
        return {
          key: g.key,
          example: reason,
          problem: unratedProblem(reason),
          count: g.n,
          devices: perDevice.all(g.key) as { deviceId: number; count: number }[],
          oldest: isoTime(g.oldest),
          latest: isoTime(g.latest),
        };
      });
      const w = unratedWhere(q);
      if (q.cursor) {
        const [at, id] = decodeCursor(q.cursor, 2);
        w.sql += ' AND (start_at < ? OR (start_at = ? AND id < ?))';
        w.params.push(at, at, id);
      }
      const rows = s.db
        .prepare(
          `SELECT id, device_id, start_at, caller, callee, billsec, call_type, normalized, status_reason FROM cdrs
           WHERE ${w.sql} ORDER BY start_at DESC, id DESC LIMIT ?`,
        )
        .all(...w.params, q.limit + 1) as {
        id: number;
        device_id: number;
        start_at: number;
        caller: string;
        callee: string;
        billsec: number;
        call_type: string | null;
        normalized: string | null;
        status_reason: string;
      }[];
      const kept = rows.slice(0, q.limit);
      const last = kept[kept.length - 1];
      return {
        groups,
        rows: kept.map(
          (r): UnratedCdr => ({
            id: r.id,
            deviceId: r.device_id,
            start: isoTime(r.start_at),
            caller: r.caller,
            callee: r.callee,
            billsec: r.billsec,
            callType: r.call_type,
            normalized: r.normalized,
            reason: JSON.parse(r.status_reason) as ExplainStep,
            problem: unratedProblem(JSON.parse(r.status_reason) as ExplainStep),
          }),
        ),
        ...(rows.length > q.limit && last ? { nextCursor: encodeCursor([last.start_at, last.id]) } : {}),
      };
    },
    'cdrs.chargeUnrated': async (q, ctx) => {
      // Each chunk commits on its own: if a later one fails, the operation log tells what was charged.
      const result = await chargeUnratedAgain(s, q, (soFar) => ctx.audit({ target: 'cdrs:unrated', filter: q, committedSoFar: soFar }));
      ctx.audit({ target: 'cdrs:unrated', filter: q, committedSoFar: undefined, ...result });
      ctx.afterCommit(() => s.events.emit('data.changed', { domain: 'cdrs' }));
      return result;
    },
    'cdrs.rerate': async (q, ctx) => {
      await s.rating.ready();
      const audit = { target: 'cdrs:rerate', period: { from: isoTime(q.from), to: isoTime(q.to) }, scope: q };
      const announce = () => {
        s.events.emit('data.changed', { domain: 'cdrs' });
        s.events.emit('data.changed', { domain: 'accounts' });
      };
      let written = false;
      let result: Awaited<ReturnType<typeof rerate>>;
      try {
        result = await rerate(s, q, {
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
    },
  };
}
