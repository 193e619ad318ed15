/**
 * Money is an integer number of 1/10000 currency units ("minor4"). It crosses the API as a decimal string with
 * exactly four places ("12.3400") and is shown with two. No float ever holds money.
 */
export type Money = number;

export const MONEY_SCALE = 10_000;
const MONEY_RE = /^([+-])?(\d{1,15})(?:\.(\d{1,4}))?$/;

/** "12.34" -> 123400; "-0.0001" -> -1. Throws on anything else (more than 4 decimals, exponents, spaces). */
export function parseMoney(text: string): Money {
  const m = MONEY_RE.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not an amount (digits with at most 4 decimals, e.g. 12.5 or 0.0712)`);
  const units = Number(m[2]) * MONEY_SCALE + Number((m[3] ?? '').padEnd(4, '0'));
  if (!Number.isSafeInteger(units)) throw new RangeError(`"${text}" is too large an amount`);
  return m[1] === '-' ? -units : units;
}

export function isMoneyText(text: string): boolean {
  return MONEY_RE.test(text.trim());
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
