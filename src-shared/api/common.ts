import { z } from 'zod';
import { isMoneyText, parseMoney } from '../domain/money';

export const id = z.number().int().positive();
export const idInput = z.object({ id });

/** An instant: ISO 8601 with an offset ("2026-03-02T09:15:02+08:00") or epoch milliseconds. Parsed to epoch ms. */
export const instant = z
  .union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

/** A money amount as a decimal string with up to 4 places; parsed to integer 1/10000 units. */
export const money = z
  .string()
  .refine(isMoneyText, 'must be an amount with at most 4 decimals, e.g. "12.50"')
  .transform((v) => parseMoney(v));
export const positiveMoney = money.refine((v) => v > 0, 'must be greater than 0');

/** An IANA time zone name such as "Asia/Shanghai". */
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as "Asia/Shanghai"');

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
