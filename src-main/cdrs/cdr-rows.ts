/** A stored CDR with the names the records table shows (device, accounts, rate), and its API form (read in repository.ts). */
import type { CdrRow, CdrStatus } from '../../src-shared/api/cdrs';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { CallType } from '../../src-shared/domain/numbers/classify-call';
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';

/** The stored columns a CDR row needs, with names joined. */
export interface CdrRecord {
  id: number;
  device_id: number;
  device_name: string;
  start_at: number;
  answer_at: number | null;
  end_at: number;
  duration: number;
  billsec: number;
  caller: string;
  caller_name: string;
  callee: string;
  normalized: string | null;
  direction: CdrRow['direction'];
  disposition: CdrRow['disposition'];
  call_type: CallType | null;
  region: string | null;
  country: string | null;
  status: CdrStatus;
  status_reason: string | null;
  cost: number | null;
  billed_seconds: number | null;
  rate_id: number | null;
  rate_name: string | null;
  enterprise_id: number | null;
  enterprise_name: string | null;
  user_account_id: number | null;
  user_account_name: string | null;
  gateway_id: number | null;
  gateway_name: string | null;
}

export function parseReason(text: string | null): ExplainStep | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as ExplainStep;
  } catch {
    // Written by the charging pipeline as JSON; anything else is shown as it is.
    return { key: text, params: {} };
  }
}

export function cdrRow(r: CdrRecord): CdrRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    start: isoTime(r.start_at),
    answer: r.answer_at === null ? null : isoTime(r.answer_at),
    end: isoTime(r.end_at),
    duration: r.duration,
    billsec: r.billsec,
    caller: r.caller,
    callerName: r.caller_name,
    callee: r.callee,
    normalized: r.normalized,
    direction: r.direction,
    disposition: r.disposition,
    callType: r.call_type,
    region: r.region,
    country: r.country,
    status: r.status,
    statusReason: parseReason(r.status_reason),
    cost: r.status === 'rated' && r.cost !== null ? formatMoney(r.cost) : null,
    billedSeconds: r.billed_seconds,
    rateId: r.rate_id,
    rateName: r.rate_name,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    userAccountId: r.user_account_id,
    userAccountName: r.user_account_name,
    gatewayId: r.gateway_id,
    gatewayName: r.gateway_name,
  };
}
