/**
 * Rerating (DESIGN §8): price the rated CDRs of a period again with the current configuration and write each
 * difference as a `rerate` ledger entry on the balance the call was charged to. Past entries are never edited; the CDR
 * takes its new price, so statistics and the ledger check (charge + rerates = -cost) keep agreeing: the statistics
 * rollups move the CDR from what it counted for (amount, billed seconds, call type) to what it counts for now.
 */
import type { RerateResult } from '../../src-shared/api/charging';
import { ApiError, periodReversed } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import type { CallQuote, QuotedRate } from '../../src-shared/domain/rating/quote';
import type { BalanceAlerts } from '../accounts/alerts';
import type { Ledger } from '../accounts/ledger';
import type { Sqlite } from '../db/connection';
import type { RatingService } from '../rating/rating-service';
import type { StatsRollups } from '../statistics/rollups';
import { rerateStatements, type RatedCdr, type RerateScope, type RerateStatements } from './repository';

export type { RerateScope } from './repository';

/** What rerating uses (the engine's service names). */
export interface RerateDeps {
  db: Sqlite;
  rating: RatingService;
  /** Writes each difference as a `rerate` entry; past entries are never edited. */
  ledger: Ledger;
  balanceAlerts: BalanceAlerts;
  /** The rollups a rerated CDR moves in. */
  statistics: { readonly rollups: StatsRollups };
  now(): number;
}

export interface RerateOptions {
  apply: boolean;
  operator: { id: number; username: string };
  reason: string;
  /** Called after each chunk that was written (apply), with what is committed so far. */
  onApplied?: (soFar: { examined: number; changed: number; difference: string }) => void;
}

const CHUNK = 500;
const MAX_UNPRICEABLE_IDS = 1000;

/** What a rerate has found so far; money in 1/10000 units until the result is formatted. */
interface Tally {
  result: RerateResult;
  byAccount: Map<number, { cdrs: number; difference: number }>;
  total: number;
}

/** A current price of a CDR: a quote that found a rate, and the rate group it was priced with. */
interface Repricing {
  quote: CallQuote & { rate: QuotedRate };
  groupId: number;
  /** The account the call was charged to (user, gateway or enterprise). */
  chargedId: number;
  /** New cost minus the cost charged. */
  delta: number;
}

/**
 * Prices the scope's rated CDRs again, a chunk per transaction (a consistent read for a preview) with a turn of the
 * event loop between chunks; with `apply`, writes the differences as it goes.
 */
export async function rerate(deps: RerateDeps, scope: RerateScope, opts: RerateOptions): Promise<RerateResult> {
  if (scope.to <= scope.from) {
    throw periodReversed();
  }
  const stmts = rerateStatements(deps.db, scope);
  const tally: Tally = {
    result: { applied: opts.apply, examined: 0, changed: 0, unpriceable: 0, unpriceableIds: [], difference: '0', byAccount: [] },
    byAccount: new Map(),
    total: 0,
  };
  let position: [number, number] = [scope.from, -1];

  for (;;) {
    const announce: (() => void)[] = [];
    const chunk = (): number => {
      const rows = stmts.ratedAfter(position, CHUNK);
      announce.push(...rerateChunk(deps, stmts, rows, tally, opts));
      const last = rows[rows.length - 1];
      if (last) position = [last.start_at, last.id];
      return rows.length;
    };
    const n = opts.apply ? deps.db.transaction(() => deps.statistics.rollups.batch(chunk))() : deps.db.transaction(chunk).deferred();
    announce.forEach((a) => a());
    if (opts.apply && opts.onApplied) {
      opts.onApplied({ examined: tally.result.examined, changed: tally.result.changed, difference: formatMoney(tally.total) });
    }
    if (n < CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }

  const { result } = tally;
  result.difference = formatMoney(tally.total);
  result.byAccount = [...tally.byAccount.entries()]
    .sort((a, b) => Math.abs(b[1].difference) - Math.abs(a[1].difference))
    .map(([accountId, v]) => ({ accountId, name: stmts.accountName(accountId), cdrs: v.cdrs, difference: formatMoney(v.difference) }));
  return result;
}

/** Rerates one chunk (caller's transaction); returns the balance alerts to announce once it has committed. */
function rerateChunk(deps: RerateDeps, stmts: RerateStatements, rows: RatedCdr[], tally: Tally, opts: RerateOptions): (() => void)[] {
  const t = deps.now();
  const touched = new Set<number>();
  for (const cdr of rows) {
    tally.result.examined++;
    const repricing = priceNow(deps.rating, stmts, cdr);
    if (!repricing) {
      tally.result.unpriceable++;
      if (tally.result.unpriceableIds.length < MAX_UNPRICEABLE_IDS) tally.result.unpriceableIds.push(cdr.id);
      continue;
    }
    const { quote, groupId, chargedId, delta } = repricing;
    const sameRating = quote.rate.id === cdr.rate_id && quote.billedSeconds === cdr.billed_seconds && groupId === cdr.rate_group_id;
    if (delta === 0 && sameRating) continue;
    if (delta !== 0) {
      tally.result.changed++;
      tally.total += delta;
      const acc = tally.byAccount.get(chargedId) ?? { cdrs: 0, difference: 0 };
      acc.cdrs++;
      acc.difference += delta;
      tally.byAccount.set(chargedId, acc);
    }
    if (!opts.apply) continue;
    const holder = writeRepricing(deps, stmts, cdr, repricing, opts, t);
    if (holder !== null) touched.add(holder);
  }
  return touched.size ? deps.balanceAlerts.evaluate(touched, t) : [];
}

/** The CDR's price with the current configuration, or null when no rate prices it any more. */
function priceNow(rating: RatingService, stmts: RerateStatements, cdr: RatedCdr): Repricing | null {
  const chargedId = cdr.user_account_id ?? cdr.gateway_id ?? cdr.enterprise_id;
  const groupId = stmts.currentRateGroup(chargedId, cdr.enterprise_id) ?? cdr.rate_group_id;
  let quote: CallQuote;
  try {
    quote = rating.quote(cdr.device_id, groupId, { callee: cdr.callee, start: cdr.start_at, billsec: cdr.billsec });
  } catch (err) {
    // A rate group or device that vanished leaves the call as it was, listed as unpriceable.
    if (!(err instanceof ApiError) || err.code !== 'not_found') throw err;
    return null;
  }
  if (!quote.rated || !quote.rate) return null;
  return { quote: quote as CallQuote & { rate: QuotedRate }, groupId, chargedId, delta: quote.cost - cdr.cost };
}

/**
 * Writes a CDR's new price (caller's transaction): the CDR, its move in the statistics rollups and, when the cost
 * changed, a `rerate` ledger entry. Returns the account whose balance took the difference, or null.
 */
function writeRepricing(deps: RerateDeps, stmts: RerateStatements, cdr: RatedCdr, r: Repricing, opts: RerateOptions, t: number): number | null {
  const { quote, groupId, chargedId, delta } = r;
  const written = stmts.reprice(
    cdr.id,
    cdr.cost,
    {
      callType: quote.callType,
      normalized: quote.normalized,
      ratingNumber: quote.ratingNumber,
      area: quote.area ?? null,
      region: quote.region ?? null,
      country: quote.country ?? null,
      rateId: quote.rate.id,
      rateGroupId: groupId,
      billedSeconds: quote.billedSeconds,
      cost: quote.cost,
    },
    t,
  );
  if (!written) throw new Error(`CDR ${cdr.id} changed while it was rerated`);
  const counted = { startAt: cdr.start_at, enterpriseId: cdr.enterprise_id, userAccountId: cdr.user_account_id, gatewayId: cdr.gateway_id, billsec: cdr.billsec };
  deps.statistics.rollups.move(
    { ...counted, callType: cdr.call_type, billedSeconds: cdr.billed_seconds, cost: cdr.cost },
    { ...counted, callType: quote.callType, billedSeconds: quote.billedSeconds, cost: quote.cost },
  );
  if (delta === 0) return null;
  // Who takes a difference: the balance the call was charged to, unless that was a user's or gateway's own balance
  // and it no longer holds one (it draws on its enterprise now): then the enterprise that made the call.
  const holder = stmts.holdsOwnBalance(cdr.account_id) ? cdr.account_id : cdr.enterprise_id;
  deps.ledger.post({
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
  return holder;
}
