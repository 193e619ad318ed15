/** A stored CDR with the names the records table shows (device, accounts, rate), and its API form (read in repository.ts). */
import type { CdrRow, CdrStatus } from '../../src-shared/api/cdrs';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { CallType } from '../../src-shared/domain/numbers/classify-call';
import type { ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import type { CdrsRow } from '../db/rows';

/** The cdrs columns a CDR row needs (CDR_RECORD_SELECT in repository.ts). */
type CdrRecordColumns = Pick<
  CdrsRow,
  'id' | 'device_id' | 'start_at' | 'answer_at' | 'end_at' | 'duration' | 'billsec' | 'caller' | 'caller_name' | 'callee' | 'normalized'
  | 'region' | 'country' | 'status_reason' | 'cost' | 'billed_seconds' | 'rate_id' | 'enterprise_id' | 'user_account_id' | 'gateway_id'
>;

/** The stored columns a CDR row needs, its enumerated columns narrowed to the values the schema allows, with names joined. */
export interface CdrRecord extends CdrRecordColumns {
  direction: CdrRow['direction'];
  disposition: CdrRow['disposition'];
  call_type: CallType | null;
  status: CdrStatus;
  device_name: string;
  rate_name: string | null;
  enterprise_name: string | null;
  user_account_name: string | null;
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
