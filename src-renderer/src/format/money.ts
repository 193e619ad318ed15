import { formatMoney2, parseMoney, type Money } from '../../../src-shared/domain/money';

/** Currency used until the settings page supplies the configured one (DESIGN.md: currency is a setting). */
export const DEFAULT_CURRENCY = 'CNY';

/**
 * "12.3400" (the API form) -> "¥12.34", grouped per locale. Rounding to 2 places is done on integers by the
 * shared money code; Intl only places the symbol and the group separators (it formats the decimal string exactly).
 */
export function formatMoneyText(amount: string, locale: string, currency: string = DEFAULT_CURRENCY): string {
  return formatMoneyUnits(parseMoney(amount), locale, currency);
}

export function formatMoneyUnits(units: Money, locale: string, currency: string = DEFAULT_CURRENCY): string {
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
