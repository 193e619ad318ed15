import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { actionReason, id, instant, page, type IsoTime } from './common';
import type { ExplainStep } from '../domain/numbers/explain-step';
import type { ReasonProblem } from './reasons';

export interface UnratedGroup {
  /** The reason's message key (`charging.noPayer`, `rate.none`, `number.unrecognized`...). */
  key: string;
  /** The reason of the latest CDR of the group, for display. */
  example: ExplainStep;
  /** The group's reason to show: a key of the `engine` catalogue (`unrated.*`), parameters of the example, English text. */
  problem: ReasonProblem;
  count: number;
  devices: { deviceId: number; count: number }[];
  oldest: IsoTime;
  latest: IsoTime;
}

export interface UnratedCdr {
  id: number;
  deviceId: number;
  start: IsoTime;
  caller: string;
  callee: string;
  billsec: number;
  callType: string | null;
  normalized: string | null;
  reason: ExplainStep;
  /** `reason` to show (`unrated.*`), with the English sentence. */
  problem: ReasonProblem;
}

export interface UnratedQueue {
  /** Every reason waiting, most CDRs first (over the whole queue, not just the filter). */
  groups: UnratedGroup[];
  rows: UnratedCdr[];
  nextCursor?: string;
}

export interface RerateAccountDifference {
  accountId: number;
  name: string;
  cdrs: number;
  /** Signed change of what the account was charged: positive = charged more now. */
  difference: string;
}

export interface RerateResult {
  applied: boolean;
  /** Rated CDRs in the period and scope. */
  examined: number;
  /** Of those, CDRs whose price (or rate) changes. */
  changed: number;
  /** CDRs that no rate prices any more: left as they were, listed for a look. */
  unpriceable: number;
  unpriceableIds: number[];
  /** Signed total change of charges: positive = customers are charged more. */
  difference: string;
  byAccount: RerateAccountDifference[];
}

export interface ChargeAgainResult {
  examined: number;
  rated: number;
  stillUnrated: number;
}

const unratedFilter = {
  deviceId: id.optional(),
  /** Only the CDRs whose reason has this key. */
  reasonKey: z.string().trim().max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
};

export const chargingMethods = {
  'cdrs.unrated': method<UnratedQueue>()({
    input: z.object({ ...unratedFilter, ...page }),
    access: READ,
    mutation: false,
    summary: 'The unrated queue: CDRs no account or rate could charge, grouped by reason, with the CDRs of a filter (latest first).',
    returns: '{ groups: [{ key, example, count, devices, oldest, latest }], rows: UnratedCdr[], nextCursor? }',
  }),
  'cdrs.chargeUnrated': method<ChargeAgainResult>()({
    input: z.object({ ...unratedFilter, ids: z.array(id).min(1).max(10_000).optional() }),
    access: WRITE,
    mutation: true,
    async: true,
    summary: 'After a fix (an account, extension, rate or number plan), rate and charge unrated CDRs again: selected ids or a filter.',
    returns: '{ examined, rated, stillUnrated }',
  }),
  'cdrs.rerate': method<RerateResult>()({
    input: z.object({
      from: instant,
      to: instant,
      enterpriseId: id.optional(),
      deviceId: id.optional(),
      rateGroupId: id.optional(),
      /** true (default): only compute the difference; false: write it as rerate entries. */
      preview: z.boolean().default(true),
      reason: actionReason,
    }),
    access: WRITE,
    mutation: true,
    async: true,
    summary:
      'Price the rated CDRs of a period (and scope) again with the current rates. Preview shows the difference; ' +
      'applying writes it as rerate ledger entries and updates the CDRs. Past ledger entries are never edited.',
    returns: '{ applied, examined, changed, unpriceable, unpriceableIds, difference, byAccount: [{ accountId, name, cdrs, difference }] }',
  }),
} as const;
