/**
 * Money is an integer number of 1/10000 currency units ("minor4"). It crosses the API as a decimal string with
 * exactly four places ("12.3400") and is shown with two. No float ever holds money.
 */
export type Money = number;

export const MONEY_SCALE = 10_000;
const MONEY_RE = /^([+-])?(\d{1,15})(?:\.(\d{1,4}))?$/;

/*
 * The largest amounts (docs/api.md, "Money and its bounds"). Every amount is an integer of 1/10000 units; a JS number
 * holds integers exactly up to Number.MAX_SAFE_INTEGER (2^53 - 1, about 900,719,925,474.0991 in money) and SQLite
 * up to 2^63 - 1, so the JS number is the narrower one. The business bounds below sit well inside it, with room for
 * a balance to take a bound's worth of recharges and for totals to add up many of them without losing a unit:
 * - a recharge, refund or adjustment moves at most 100,000,000.0000 at once (a typo of three extra zeros in a
 *   normal amount is refused instead of becoming a balance of billions);
 * - a rate's price per unit and its connect fee are at most 10,000.0000 (a price per minute above this is a typo;
 *   a 24-hour call at it stays far below the safe integer);
 * - a balance, credit limit, low-balance threshold or any other amount a clerk types is within
 *   ±100,000,000,000.0000 (10^15 units, about a ninth of the safe integer).
 * The contract (src-shared/api/common.ts) enforces them, and the UI's inputs check the same constants before sending.
 */
/** Largest amount of one recharge, refund or adjustment: 100,000,000.0000. */
export const MAX_RECHARGE: Money = 100_000_000 * MONEY_SCALE;
/** Largest price per unit of a rate interval, and largest connect fee: 10,000.0000. */
export const MAX_RATE_PRICE: Money = 10_000 * MONEY_SCALE;
/** Largest balance (either sign), credit limit, threshold or amount filter: 100,000,000,000.0000. */
export const MAX_BALANCE: Money = 100_000_000_000 * MONEY_SCALE;

/** Whether an amount is within ±max (for forms: the same test as the contract's). */
export function withinMoneyBound(amount: Money, max: Money): boolean {
  return Number.isSafeInteger(amount) && Math.abs(amount) <= max;
}

/** "12.34" -> 123400; "-0.0001" -> -1. Throws on anything else (more than 4 decimals, exponents, spaces). */
export function parseMoney(text: string): Money {
  const m = MONEY_RE.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not an amount (digits with at most 4 decimals, e.g. 12.5 or 0.0712)`);
  const units = Number(m[2]) * MONEY_SCALE + Number((m[3] ?? '').padEnd(4, '0'));
  if (!Number.isSafeInteger(units)) throw new RangeError(`"${text}" is too large an amount`);
  return m[1] === '-' ? -units : units;
}

/**
 * Whether `parseMoney(text)` succeeds: the amount's form and an exact integer of units. (It once tested the form
 * only, so a 15-digit amount passed here and then threw while a form drew itself, taking the page down.) The
 * business bounds are checked apart, with `withinMoneyBound`.
 */
/** Whether the text has the form of an amount (digits, at most 4 decimals), whatever its size. */
export function hasMoneyForm(text: string): boolean {
  return MONEY_RE.test(text.trim());
}

export function isMoneyText(text: string): boolean {
  const m = MONEY_RE.exec(text.trim());
  return m !== null && Number.isSafeInteger(Number(m[2]) * MONEY_SCALE + Number((m[3] ?? '').padEnd(4, '0')));
}

/** 123400 -> "12.3400" (the API form). */
export function formatMoney(amount: Money): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${amount} is not an integer amount`);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const whole = Math.floor(abs / MONEY_SCALE);
  const frac = String(abs % MONEY_SCALE).padStart(4, '0');
  return `${sign}${whole}.${frac}`;
}

/** 123456 -> "12.35" (display form, half up away from zero). */
export function formatMoney2(amount: Money): string {
  const sign = amount < 0 ? '-' : '';
  const cents = Math.floor((Math.abs(amount) + 50) / 100);
  return `${sign}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
