import { z } from 'zod';
import { formatMoney, hasMoneyForm, isMoneyText, MAX_BALANCE, MAX_RATE_PRICE, MAX_RECHARGE, parseMoney, withinMoneyBound, type Money } from '../domain/money';
import { keyed } from './messages';

// The bounds of money fields (what each can hold and why: src-shared/domain/money.ts, docs/api.md). The UI checks
// the same constants before sending.
export { MAX_BALANCE, MAX_RATE_PRICE, MAX_RECHARGE };

export const id = z.number().int().positive();

/** An instant: ISO 8601 with an offset ("2026-03-02T09:15:02+08:00") or epoch milliseconds. Parsed to epoch ms. */
export const instant = z
  .union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

/**
 * A money amount as a decimal string with up to 4 places, within ±max; parsed to integer 1/10000 units. The size is
 * checked on the text, before parsing: a 16-digit amount is refused with its bound, never turned into an inexact number.
 */
export function moneyUpTo(max: Money): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
  const bound = formatMoney(max);
  return z
    .string()
    .refine(hasMoneyForm, { message: 'must be an amount with at most 4 decimals, e.g. "12.50"', abort: true, params: { key: 'field.moneyFormat' } })
    .refine((v) => isMoneyText(v) && withinMoneyBound(parseMoney(v), max), {
      message: `must be between -${bound} and ${bound}`,
      params: { key: 'field.moneyRange', max: bound },
    })
    .transform((v) => parseMoney(v));
}

/** Any amount a clerk types (balance, credit limit, threshold, filter): within ±MAX_BALANCE. */
export const money = moneyUpTo(MAX_BALANCE);
/** A recharge, refund or adjustment: within ±MAX_RECHARGE. */
export const rechargeMoney = moneyUpTo(MAX_RECHARGE);
/** A rate's price per unit or connect fee: within ±MAX_RATE_PRICE (the rating core refuses negative ones). */
export const rateMoney = moneyUpTo(MAX_RATE_PRICE);
export const positiveMoney = rechargeMoney.refine((v) => v > 0, keyed('field.positive', 'must be greater than 0'));

/** An IANA time zone name such as "Asia/Shanghai". */
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, keyed('field.timeZone', 'must be an IANA time zone such as "Asia/Shanghai"'));

/** Keyset paging: pass back `nextCursor` to get the next page. */
export const page = {
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
};

export interface Page<T> {
  rows: T[];
  nextCursor?: string;
  total?: number;
}

export interface Ok {
  ok: true;
}

/** ISO 8601 instant with offset, as every time leaves the API. */
export type IsoTime = string;
export const isoTime = (ms: number): IsoTime => new Date(ms).toISOString();

/**
 * Why a clerk moved money, dismissed rejects or re-rated calls: kept whole with the ledger entry or the operation
 * log, so longer text is refused, never cut. The confirmation dialog reads its limit from here.
 */
export const actionReason = z.string().trim().min(1, keyed('field.sayWhy', 'say why')).max(500);
