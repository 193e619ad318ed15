import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { id, instant, rateMoney, type IsoTime, type Ok } from './common';
import { withoutDefaults } from './partial-input';
import { RATED_CALL_TYPES, type CallType, type RatedCallType } from '../domain/numbers/classify-call';
import type { ExplainStep } from '../domain/numbers/explain-step';
import type { TimeBand } from '../domain/rating/rate';
import { keyed } from './messages';

// Shapes only: what makes a rate impossible or ambiguous (intervals not ascending from 0, zero unit, bad band times,
// duplicates in the group) is judged by the rating core's validateRate / validateRateGroup, with the same field paths.
const rateInterval = z.object({
  start: z.number().int(),
  /** Price per `unit` seconds, e.g. "0.3000"; at most MAX_RATE_PRICE. */
  price: rateMoney,
  unit: z.number().int(),
  increment: z.number().int(),
});

const timeBand = z.object({
  /** ISO days: 1 = Monday ... 7 = Sunday. */
  days: z.array(z.number().int()).max(7),
  /** Device-local "HH:MM"; the band is [from, to); "24:00" ends the day; to <= from crosses midnight. */
  from: z.string().trim().max(5),
  to: z.string().trim().max(5),
});

const rateFields = {
  name: z.string().trim().min(1).max(100),
  callType: z.enum(RATED_CALL_TYPES),
  /** Digits matched against the national form (local, domestic) or international form (international); "" = default. */
  prefix: z.string().trim().max(15).default(''),
  connectFee: rateMoney.default(0),
  intervals: z.array(rateInterval).min(1).max(20),
  freeSeconds: z.number().int().default(0),
  minSeconds: z.number().int().default(0),
  /** The rate applies to calls starting at or after this instant; null = always. */
  effectiveFrom: instant.nullable().default(null),
  timeBand: timeBand.nullable().default(null),
  notes: z.string().max(2000).default(''),
};

export const rateCreateInput = z.object({ rateGroupId: id, ...rateFields });
export const rateUpdateInput = z.object({ id, ...withoutDefaults(rateFields) });

export interface RateGroup {
  id: number;
  name: string;
  currency: string;
  notes: string;
  rateCount: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface RateIntervalRecord {
  start: number;
  /** Per `unit` seconds, "0.3000". */
  price: string;
  unit: number;
  increment: number;
}

/** A stored rate as the API shows it (the rating core's `Rate` holds integer money instead). */
export interface RateRecord {
  id: number;
  rateGroupId: number;
  name: string;
  callType: RatedCallType;
  prefix: string;
  connectFee: string;
  intervals: RateIntervalRecord[];
  freeSeconds: number;
  minSeconds: number;
  effectiveFrom: IsoTime | null;
  timeBand: TimeBand | null;
  notes: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface QuoteIntervalCharge {
  index: number;
  start: number;
  end: number | null;
  seconds: number;
  billedSeconds: number;
  price: string;
  unit: number;
  increment: number;
  /** This interval's share, rounded for display; `cost` is rounded once from the exact total. */
  amount: string;
}

/** What the engine makes of a dialled number for a device (no rate involved). */
export interface NumberClassification {
  callType: CallType;
  normalized: string;
  /** The number rate prefixes are matched against (national or international form). */
  ratingNumber: string;
  numberKind?: 'mobile' | 'fixed';
  /** Area code of the called number. */
  area?: string;
  /** Region name as stored (Chinese for the default China data). */
  region?: string;
  regionEn?: string;
  carrier?: string;
  /** ISO country of an international destination. */
  country?: string;
  /** Why the call type is unknown. */
  reason?: ExplainStep;
  steps: ExplainStep[];
}

/** DESIGN §6: the whole "why this price" of one call. */
export interface RatingQuote extends NumberClassification {
  deviceId: number;
  rateGroupId: number;
  caller: string;
  callee: string;
  start: IsoTime;
  billsec: number;
  rate?: { id: number; name: string; callType: RatedCallType; prefix: string };
  /** False: the call would wait in the unrated queue with `reason`. */
  rated: boolean;
  intervals: QuoteIntervalCharge[];
  /** Seconds charged after free and minimum seconds, before increments. */
  chargedSeconds: number;
  /** Seconds paid for, after increments. */
  billedSeconds: number;
  connectFee: string;
  cost: string;
  currency: string;
}

const dialled = z.string().trim().min(1).max(64);

export const ratingMethods = {
  'rateGroups.list': method<RateGroup[]>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'All rate groups, by name, with how many rates each holds.',
    returns: 'RateGroup[]',
  }),
  'rateGroups.create': method<RateGroup>()({
    input: z.object({
      name: z.string().trim().min(1).max(100),
      /** ISO 4217 code; default: the currency of the settings. */
      currency: z.string().trim().regex(/^[A-Z]{3}$/, keyed('field.currency', 'must be a 3-letter currency code such as CNY')).optional(),
      notes: z.string().max(2000).default(''),
      /** The language the starting rates are named in (the UI sends the clerk's); none: `local` and `inter`. */
      language: z.enum(['zh-CN', 'en']).optional(),
    }),
    access: WRITE,
    mutation: true,
    summary:
      'Add a rate group. It starts with the rates `local` (default local-call rate, from resources/seed-rates.json) ' +
      'and `inter` (internal calls, free), as DESIGN §6 asks; with `language` they are named in that language ' +
      '(zh-CN: 本地通话, 内部通话).',
    returns: 'RateGroup',
  }),
  'rateGroups.update': method<RateGroup>()({
    input: z.object({
      id,
      name: z.string().trim().min(1).max(100).optional(),
      currency: z.string().trim().regex(/^[A-Z]{3}$/, keyed('field.currency', 'must be a 3-letter currency code such as CNY')).optional(),
      notes: z.string().max(2000).optional(),
    }),
    access: WRITE,
    mutation: true,
    summary: 'Rename a rate group or change its currency or notes.',
    returns: 'RateGroup',
  }),
  'rateGroups.delete': method<Ok>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Delete a rate group and its rates (409 while something still uses the group).',
    returns: '{ ok: true }',
  }),
  'rates.list': method<RateRecord[]>()({
    input: z.object({ rateGroupId: id, callType: z.enum(RATED_CALL_TYPES).optional() }),
    access: READ,
    mutation: false,
    summary: 'The rates of a group, by call type, prefix, time band and effective date.',
    returns: 'RateRecord[]',
  }),
  'rates.create': method<RateRecord>()({
    input: rateCreateInput,
    access: WRITE,
    mutation: true,
    summary:
      'Add a rate to a group. Intervals must ascend from 0 with positive unit and increment; band times HH:MM; no ' +
      'other rate of the group may have the same call type, prefix, time band and effective date (400 with field paths).',
    returns: 'RateRecord',
  }),
  'rates.update': method<RateRecord>()({
    input: rateUpdateInput,
    access: WRITE,
    mutation: true,
    summary: 'Change a rate; omitted fields keep their value. Validated like rates.create. Takes effect for the next rating.',
    returns: 'RateRecord',
  }),
  'rates.delete': method<Ok>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Delete a rate.',
    returns: '{ ok: true }',
  }),
  'rating.quote': method<RatingQuote>()({
    input: z.object({
      deviceId: id,
      rateGroupId: id,
      /** The calling number (extension); kept in the answer. */
      caller: z.string().trim().max(64).default(''),
      /** The called number as the device reports it. */
      callee: dialled,
      start: instant,
      billsec: z.number().int().min(0).max(864_000),
    }),
    access: READ,
    mutation: false,
    summary:
      'Price one call as the charging pipeline would: normalization steps, call type and area, the matched rate and ' +
      'why, seconds billed per interval and the cost (DESIGN §6). Waits while the default attribution data loads.',
    returns:
      '{ callType, normalized, ratingNumber, numberKind?, area?, region?, regionEn?, carrier?, country?, rate?, rated, ' +
      'reason?, intervals[], chargedSeconds, billedSeconds, connectFee, cost, currency, steps[] }',
  }),
  'rating.classify': method<NumberClassification>()({
    input: z.object({ deviceId: id, number: dialled }),
    access: READ,
    mutation: false,
    summary: 'Normalize and classify a dialled number for a device (route prefix rules, call type, area), without rating.',
    returns: '{ callType, normalized, ratingNumber, numberKind?, area?, region?, regionEn?, carrier?, country?, reason?, steps[] }',
  }),
} as const;
