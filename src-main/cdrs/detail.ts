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
import type { ChargeableCdr, Payer } from '../accounts/charging';
import { classificationView, quoteView } from '../rating/quote-handlers';
import type { Services } from '../services';
import { CDR_RECORD_SELECT, cdrRow, parseReason, type CdrRecord } from './cdr-rows';
import { directionReasonOf } from './direction-reason';
import { directionProblems } from './direction-reasons';

interface DetailRecord extends CdrRecord {
  format: string;
  native_id: string | null;
  dedup_key: string;
  original_callee: string | null;
  final_callee: string | null;
  trunk_in: string | null;
  trunk_out: string | null;
  cause: string | null;
  account_code: string | null;
  pin: string | null;
  raw: string;
  joined_records: number;
  source_kind: CdrDetail['source']['kind'];
  source_name: string;
  source_line: number | null;
  source_offset: number | null;
  source_index: number | null;
  received_at: number;
  rated_at: number | null;
  rate_group_id: number | null;
  account_id: number | null;
  leg_role: CdrLegView['role'];
  leg_call_id: string | null;
  leg_billed: number | null;
}

const DETAIL_SELECT = CDR_RECORD_SELECT.replace(
  'FROM cdrs c',
  `, c.format, c.native_id, c.dedup_key, c.original_callee, c.final_callee, c.trunk_in, c.trunk_out, c.cause, c.account_code,
  c.pin, c.raw, c.joined_records, c.source_kind, c.source_name, c.source_line, c.source_offset, c.source_index, c.received_at,
  c.rated_at, c.rate_group_id, c.account_id, c.leg_role, c.leg_call_id, c.leg_billed
FROM cdrs c`,
);

function payerView(s: Services, payer: Payer): CdrPayerView {
  const name = s.db.prepare('SELECT name FROM accounts WHERE id = ?').pluck();
  return {
    accountId: payer.chargedAccountId,
    accountName: String(name.get(payer.chargedAccountId) ?? ''),
    kind: payer.kind,
    enterpriseId: payer.enterpriseId,
    enterpriseName: String(name.get(payer.enterpriseId) ?? ''),
    rateGroupId: payer.rateGroupId,
    rateGroupName: String(s.db.prepare('SELECT name FROM rate_groups WHERE id = ?').pluck().get(payer.rateGroupId) ?? ''),
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
function explainNow(s: Services, r: DetailRecord): Omit<CdrExplanation, 'matchesStored' | 'differences'> & { quote: CallQuote | null; payerRaw: Payer | null } {
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
  const payerInfo = payerView(s, payer);
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

function ledgerOf(s: Services, cdrId: number): CdrLedgerEntry[] {
  const rows = s.db
    .prepare(
      `SELECT l.id, l.at, l.kind, l.amount, l.account_id, a.name, l.charged_account_id, l.operator, l.reason
       FROM ledger l JOIN accounts a ON a.id = l.account_id
       WHERE l.cdr_id = ? AND l.kind IN ('charge', 'rerate') ORDER BY l.id`,
    )
    .all(cdrId) as {
    id: number;
    at: number;
    kind: 'charge' | 'rerate';
    amount: number;
    account_id: number;
    name: string;
    charged_account_id: number | null;
    operator: string;
    reason: string;
  }[];
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
function legOf(s: Services, r: DetailRecord): CdrLegView | null {
  if (r.leg_call_id === null || r.leg_billed === null) return null;
  const others = s.db
    .prepare(
      `SELECT id, leg_role, leg_billed, start_at, caller, callee, billsec, status FROM cdrs
       WHERE device_id = ? AND leg_call_id = ? AND id <> ? ORDER BY leg_billed DESC, start_at, id LIMIT 100`,
    )
    .all(r.device_id, r.leg_call_id, r.id) as {
    id: number;
    leg_role: CdrLegView['role'];
    leg_billed: number;
    start_at: number;
    caller: string;
    callee: string;
    billsec: number;
    status: CdrLegView['others'][number]['status'];
  }[];
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

export async function cdrDetail(s: Services, id: number): Promise<CdrDetail> {
  await s.rating.ready();
  const r = s.db.prepare(`${DETAIL_SELECT} WHERE c.id = ?`).get(id) as DetailRecord | undefined;
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
    ledger: ledgerOf(s, r.id),
    leg: legOf(s, r),
  };
}
