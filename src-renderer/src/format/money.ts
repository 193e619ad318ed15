import { formatMoney2, hasMoneyForm, isMoneyText, parseMoney, withinMoneyBound, type Money } from '../../../src-shared/domain/money';

/** Currency used until the settings page supplies the configured one (DESIGN.md: currency is a setting). */
export const DEFAULT_CURRENCY = 'CNY';

/**
 * "12.3400" (the API form) -> "¥12.34", grouped per locale. Rounding to 2 places is done on integers by the
 * shared money code; Intl only places the symbol and the group separators (it formats the decimal string exactly).
 */
export function formatMoneyText(amount: string, locale: string, currency: string = DEFAULT_CURRENCY): string {
  // Formatting runs while a page draws: a text that is not an exact amount (a clerk's draft, a value from a newer
  // engine) is shown as it is rather than thrown, which would take the page down.
  return isMoneyText(amount) ? formatMoneyUnits(parseMoney(amount), locale, currency) : amount;
}

export function formatMoneyUnits(units: Money, locale: string, currency: string = DEFAULT_CURRENCY): string {
  if (!Number.isSafeInteger(units)) return String(units);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    // "¥" rather than "CN¥": the workstation bills in one currency, the short symbol is unambiguous here.
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return format.format(formatMoney2(units) as `${number}`);
}

/** The symbol alone ("¥", "$"), for input prefixes. */
export function currencySymbol(locale: string, currency: string = DEFAULT_CURRENCY): string {
  const part = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return part?.value ?? currency;
}

/**
 * Whether a typed amount has the form of one but lies beyond ±max (the contract's bound for that field, from
 * src-shared/domain/money.ts): the form says so as the clerk types, before the engine would refuse it.
 * A text that is not an amount at all is the form's own "not an amount" case, not this one.
 */
export function exceedsMoneyBound(text: string, max: Money): boolean {
  const trimmed = text.trim();
  return hasMoneyForm(trimmed) && !(isMoneyText(trimmed) && withinMoneyBound(parseMoney(trimmed), max));
}
