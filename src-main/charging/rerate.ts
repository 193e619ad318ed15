/**
 * Rerating (DESIGN §8): price the rated CDRs of a period again with the current configuration and write each
 * difference as a `rerate` ledger entry on the balance the call was charged to. Past entries are never edited; the CDR
 * takes its new price, so statistics and the ledger check (charge + rerates = -cost) keep agreeing: the statistics
 * rollups move the CDR from what it counted for (amount, billed seconds, call type) to what it counts for now.
 */
import type { RerateResult } from '../../src-shared/api/charging';
import { ApiError, periodReversed } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import type { CallQuote } from '../../src-shared/domain/rating/quote';
import type { Services } from '../services';
import type { ChargeableCdr } from './charging';

export interface RerateScope {
  from: number;
  to: number;
  enterpriseId?: number;
  deviceId?: number;
  rateGroupId?: number;
}

interface RatedCdr extends ChargeableCdr {
  cost: number;
  rate_id: number;
  billed_seconds: number;
  call_type: string;
  account_id: number;
  enterprise_id: number;
  user_account_id: number | null;
  gateway_id: number | null;
  rate_group_id: number;
}

const CHUNK = 500;
const MAX_UNPRICEABLE_IDS = 1000;

export async function rerate(
  s: Services,
  scope: RerateScope,
  opts: {
    apply: boolean;
    operator: { id: number; username: string };
    reason: string;
    /** Called after each chunk that was written (apply), with what is committed so far. */
    onApplied?: (soFar: { examined: number; changed: number; difference: string }) => void;
  },
): Promise<RerateResult> {
  if (scope.to <= scope.from) {
    throw periodReversed();
  }
  // The period's start is the first position: a separate `start_at >= ?` would make SQLite walk the index from the
  // period's start again for every chunk.
  const where = ["status = 'rated'", 'start_at < ?'];
  const params: unknown[] = [scope.to];
  if (scope.enterpriseId) where.push('enterprise_id = ?'), params.push(scope.enterpriseId);
  if (scope.deviceId) where.push('device_id = ?'), params.push(scope.deviceId);
  if (scope.rateGroupId) where.push('rate_group_id = ?'), params.push(scope.rateGroupId);
  const chunkQuery = s.db.prepare(
    `SELECT id, device_id, start_at, billsec, caller, callee, account_code, pin, trunk_in, trunk_out, cost, rate_id,
       billed_seconds, call_type, account_id, enterprise_id, user_account_id, gateway_id, rate_group_id
     FROM cdrs WHERE ${where.join(' AND ')} AND (start_at, id) > (?, ?)
     ORDER BY start_at, id LIMIT ?`,
  );
  // The rate group a call is priced with now: the charged account's own, else that of the enterprise that made the
  // call (the CDR's, not the one a user or gateway belongs to today: an account moved to another enterprise does not
  // take its past calls to the other enterprise's rates).
  const currentGroup = s.db
    .prepare('SELECT IFNULL((SELECT rate_group_id FROM accounts WHERE id = ?), (SELECT rate_group_id FROM accounts WHERE id = ?))')
    .pluck();
  // Who takes a difference: the balance the call was charged to, unless that was a user's or gateway's own balance
  // and it no longer holds one (it draws on its enterprise now): then the enterprise that made the call.
  const holdsOwnBalance = s.db.prepare("SELECT kind = 'enterprise' OR own_balance = 1 FROM accounts WHERE id = ?").pluck();
  const updateCdr = s.db.prepare(
    `UPDATE cdrs SET call_type = ?, normalized = ?, rating_number = ?, area_code = ?, region = ?, country = ?, rate_id = ?,
       rate_group_id = ?, billed_seconds = ?, cost = ?, rated_at = ? WHERE id = ? AND status = 'rated' AND cost = ?`,
  );

  const result: RerateResult = { applied: opts.apply, examined: 0, changed: 0, unpriceable: 0, unpriceableIds: [], difference: '0', byAccount: [] };
  const byAccount = new Map<number, { cdrs: number; difference: number }>();
  let total = 0;
  let position: [number, number] = [scope.from, -1];

  for (;;) {
    const announce: (() => void)[] = [];
    const chunk = (): number => {
      const rows = chunkQuery.all(...params, position[0], position[1], CHUNK) as RatedCdr[];
      const t = s.now();
      const touched = new Set<number>();
      for (const cdr of rows) {
        result.examined++;
        const chargedId = cdr.user_account_id ?? cdr.gateway_id ?? cdr.enterprise_id;
        const groupId = (currentGroup.get(chargedId, cdr.enterprise_id) as number | null) ?? cdr.rate_group_id;
        let quote: CallQuote;
        try {
          quote = s.rating.quote(cdr.device_id, groupId, { callee: cdr.callee, start: cdr.start_at, billsec: cdr.billsec });
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'not_found') throw err;
          quote = { rated: false } as CallQuote;
        }
        if (!quote.rated || !quote.rate) {
          result.unpriceable++;
          if (result.unpriceableIds.length < MAX_UNPRICEABLE_IDS) result.unpriceableIds.push(cdr.id);
          continue;
        }
        const delta = quote.cost - cdr.cost;
        const sameRating = quote.rate.id === cdr.rate_id && quote.billedSeconds === cdr.billed_seconds && groupId === cdr.rate_group_id;
        if (delta === 0 && sameRating) continue;
        if (delta !== 0) {
          result.changed++;
          total += delta;
          const acc = byAccount.get(chargedId) ?? { cdrs: 0, difference: 0 };
          acc.cdrs++;
          acc.difference += delta;
          byAccount.set(chargedId, acc);
        }
        if (!opts.apply) continue;
        const r = updateCdr.run(
          quote.callType, quote.normalized, quote.ratingNumber, quote.area ?? null, quote.region ?? null,
          quote.country ?? null, quote.rate.id, groupId, quote.billedSeconds, quote.cost, t, cdr.id, cdr.cost,
        );
        if (r.changes !== 1) throw new Error(`CDR ${cdr.id} changed while it was rerated`);
        const counted = { startAt: cdr.start_at, enterpriseId: cdr.enterprise_id, userAccountId: cdr.user_account_id, gatewayId: cdr.gateway_id, billsec: cdr.billsec };
        s.statistics.rollups.move(
          { ...counted, callType: cdr.call_type, billedSeconds: cdr.billed_seconds, cost: cdr.cost },
          { ...counted, callType: quote.callType, billedSeconds: quote.billedSeconds, cost: quote.cost },
        );
        if (delta !== 0) {
          const holder = holdsOwnBalance.get(cdr.account_id) === 1 ? cdr.account_id : cdr.enterprise_id;
          s.ledger.post({
            accountId: holder,
            kind: 'rerate',
            amount: -delta,
            cdrId: cdr.id,
            chargedAccountId: chargedId,
            operatorId: opts.operator.id,
            operator: opts.operator.username,
            reason: opts.reason,
            at: t,
          });
          touched.add(holder);
        }
      }
      if (touched.size) announce.push(...s.balanceAlerts.evaluate(touched, t));
      const last = rows[rows.length - 1];
      if (last) position = [last.start_at, last.id];
      return rows.length;
    };
    // Each chunk is one transaction (a consistent read for a preview); the event loop runs between chunks.
    const n = opts.apply ? s.db.transaction(() => s.statistics.rollups.batch(chunk))() : s.db.transaction(chunk).deferred();
    announce.forEach((a) => a());
    if (opts.apply && opts.onApplied) opts.onApplied({ examined: result.examined, changed: result.changed, difference: formatMoney(total) });
    if (n < CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }

  const names = s.db.prepare('SELECT name FROM accounts WHERE id = ?').pluck();
  result.difference = formatMoney(total);
  result.byAccount = [...byAccount.entries()]
    .sort((a, b) => Math.abs(b[1].difference) - Math.abs(a[1].difference))
    .map(([accountId, v]) => ({ accountId, name: String(names.get(accountId)), cdrs: v.cdrs, difference: formatMoney(v.difference) }));
  return result;
}
