/**
 * `cdrs.get`: one CDR with its raw record, where it came from, its ledger entries, and "why this price". The price
 * explanation is not stored: it is computed now by the same pipeline that charged the call (payer, then
 * normalize -> classify -> rate), and compared with what was stored, so a clerk sees when the configuration has
 * changed since (a rate edited without a rerate, an extension given to another user...).
 */
import type { CdrDetail, CdrExplanation, CdrLedgerEntry, CdrLegView, CdrPayerView } from '../../src-shared/api/cdrs';
import { isoTime } from '../../src-shared/api/common';
import { ApiError, notFound } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import { explainStep } from '../../src-shared/domain/numbers/explain-step';
import type { CallQuote } from '../../src-shared/domain/rating/quote';
import type { ChargeableCdr, ChargingPipeline, Payer } from '../charging/charging';
import type { Sqlite } from '../db/connection';
import { classificationView, quoteView } from '../rating/quote-handlers';
import type { RatingService } from '../rating/rating-service';
import { cdrRow, parseReason } from './cdr-rows';
import { directionReasonOf, type DirectionReasonDeps } from './direction-reason';
import { directionProblems } from './direction-reasons';
import { accountNameOf, findCdrDetail, ledgerEntriesOfCdr, otherLegsOf, rateGroupNameOf, type DetailRecord } from './repository';

/** What `cdrs.get` uses: the stored CDR, and the pipeline that charged it to explain the price now. */
export interface CdrDetailDeps extends DirectionReasonDeps {
  db: Sqlite;
  rating: RatingService;
  charging: ChargingPipeline;
  now(): number;
}

function payerView(db: Sqlite, payer: Payer): CdrPayerView {
  return {
    accountId: payer.chargedAccountId,
    accountName: accountNameOf(db, payer.chargedAccountId),
    kind: payer.kind,
    enterpriseId: payer.enterpriseId,
    enterpriseName: accountNameOf(db, payer.enterpriseId),
    rateGroupId: payer.rateGroupId,
    rateGroupName: rateGroupNameOf(db, payer.rateGroupId),
    why: payer.why,
  };
}

function emptyExplanation(at: number): Omit<CdrExplanation, 'matchesStored' | 'differences'> {
  return {
    computedAt: isoTime(at),
    payer: null,
    reason: null,
    classification: null,
    rate: null,
    rated: false,
    intervals: [],
    chargedSeconds: 0,
    billedSeconds: 0,
    connectFee: '0.0000',
    cost: '0.0000',
    currency: null,
  };
}

/** The explanation as the configuration gives it now. */
function explainNow(s: CdrDetailDeps, r: DetailRecord): Omit<CdrExplanation, 'matchesStored' | 'differences'> & { quote: CallQuote | null; payerRaw: Payer | null } {
  const base = emptyExplanation(s.now());
  const attribution = s.rating.deviceContext(r.device_id).attribution;
  const cdr: ChargeableCdr = { ...r, account_code: r.account_code, pin: r.pin };
  const payer = s.charging.resolvePayer(cdr);
  if (!payer) {
    const c = s.rating.classify(r.device_id, r.callee);
    return {
      ...base,
      reason: explainStep('charging.noPayer', {}),
      classification: classificationView({ ...c, area: c.areaCode }, attribution),
      quote: null,
      payerRaw: null,
    };
  }
  const payerInfo = payerView(s.db, payer);
  let quote: CallQuote;
  try {
    quote = s.charging.quote(cdr, payer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'not_found') throw err;
    return { ...base, payer: payerInfo, reason: explainStep('charging.configurationMissing', { message: err.message }), quote: null, payerRaw: payer };
  }
  const view = quoteView(quote, attribution);
  const { rate, rated, intervals, chargedSeconds, billedSeconds, connectFee, cost, ...classification } = view;
  return {
    ...base,
    payer: payerInfo,
    reason: quote.rated ? null : (quote.reason ?? explainStep('charging.noRate', { callType: quote.callType })),
    classification,
    rate: rate ?? null,
    rated,
    intervals,
    chargedSeconds,
    billedSeconds,
    connectFee,
    cost,
    currency: s.rating.rateGroup(payer.rateGroupId).group.currency,
    quote,
    payerRaw: payer,
  };
}

/** What differs between the stored result and the one computed now (pending CDRs were never charged: nothing). */
function differencesOf(r: DetailRecord, quote: CallQuote | null, payer: Payer | null): CdrExplanation['differences'] {
  if (r.status === 'pending') return [];
  const out: CdrExplanation['differences'] = [];
  const ratedNow = Boolean(payer && quote?.rated && quote.rate);
  if ((r.status === 'rated') !== ratedNow) out.push('status');
  if (quote && r.call_type !== null && r.call_type !== quote.callType) out.push('callType');
  if (quote && r.normalized !== null && r.normalized !== quote.normalized) out.push('normalized');
  if (r.status === 'rated' && ratedNow && quote) {
    if (r.rate_id !== quote.rate!.id) out.push('rate');
    if (r.cost !== quote.cost) out.push('cost');
    if (r.billed_seconds !== quote.billedSeconds) out.push('billedSeconds');
  }
  if (payer && r.enterprise_id !== null) {
    const same = r.enterprise_id === payer.enterpriseId && r.user_account_id === payer.userAccountId && r.gateway_id === payer.gatewayId;
    if (!same) out.push('account');
  }
  return out;
}

function ledgerOf(db: Sqlite, cdrId: number): CdrLedgerEntry[] {
  const rows = ledgerEntriesOfCdr(db, cdrId);
  return rows.map((l) => ({
    id: l.id,
    at: isoTime(l.at),
    kind: l.kind,
    amount: formatMoney(l.amount),
    accountId: l.account_id,
    accountName: l.name,
    chargedAccountId: l.charged_account_id,
    operator: l.operator,
    reason: l.reason,
  }));
}

/** The call's other records, when this one is a leg of a call reported in several (migration 0012_cdr_legs). */
function legOf(db: Sqlite, r: DetailRecord): CdrLegView | null {
  if (r.leg_call_id === null || r.leg_billed === null) return null;
  const others = otherLegsOf(db, { id: r.id, device_id: r.device_id, leg_call_id: r.leg_call_id });
  if (r.leg_role === null && others.length === 0) return null;
  return {
    role: r.leg_role,
    callId: r.leg_call_id,
    billed: r.leg_billed === 1,
    others: others.map((o) => ({
      id: o.id,
      role: o.leg_role,
      billed: o.leg_billed === 1,
      start: isoTime(o.start_at),
      caller: o.caller,
      callee: o.callee,
      billsec: o.billsec,
      status: o.status,
    })),
  };
}

export async function cdrDetail(s: CdrDetailDeps, id: number): Promise<CdrDetail> {
  await s.rating.ready();
  const r = findCdrDetail(s.db, id);
  if (!r) throw notFound('cdr', id);
  const { quote, payerRaw, ...now } = explainNow(s, r);
  const differences = differencesOf(r, quote, payerRaw);
  const directionReason = directionReasonOf(s, r);
  return {
    ...cdrRow(r),
    format: r.format,
    nativeId: r.native_id,
    dedupKey: r.dedup_key,
    originalCallee: r.original_callee,
    finalCallee: r.final_callee,
    trunkIn: r.trunk_in,
    trunkOut: r.trunk_out,
    directionReason,
    directionProblems: directionReason === null ? [] : directionProblems(directionReason),
    cause: r.cause,
    accountCode: r.account_code,
    raw: r.raw,
    joinedRecords: r.joined_records,
    source: { kind: r.source_kind, name: r.source_name, line: r.source_line, offset: r.source_offset, index: r.source_index },
    receivedAt: isoTime(r.received_at),
    ratedAt: r.rated_at === null ? null : isoTime(r.rated_at),
    ratedRateGroupId: r.rate_group_id,
    stored: {
      status: r.status,
      reason: parseReason(r.status_reason),
      cost: r.status === 'rated' && r.cost !== null ? formatMoney(r.cost) : null,
      callType: r.call_type,
    },
    explanation: { ...now, matchesStored: r.status !== 'pending' && differences.length === 0, differences },
    ledger: ledgerOf(s.db, r.id),
    leg: legOf(s.db, r),
  };
}
