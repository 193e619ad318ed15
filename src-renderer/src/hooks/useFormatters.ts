import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isMoneyText, parseMoney } from '../../../src-shared/domain/money';
import { amountInWords } from '../format/amountInWords';
import { formatDuration } from '../format/duration';
import { formatMoneyText } from '../format/money';
import { formatDate, formatDateTime, zoneLabel } from '../format/time';
import { usePreferences } from '../preferences/PreferencesProvider';

/**
 * Formatters bound to the current language, time zone and currency, so a page writes `f.dateTime(row.at)` and
 * never decides on a format itself.
 */
export function useFormatters() {
  const { i18n } = useTranslation();
  const { timeZone, currency } = usePreferences();
  const locale = i18n.resolvedLanguage ?? 'en';
  return useMemo(
    () => ({
      locale,
      timeZone,
      currency,
      /** "2026/03/02 09:15:02"; the zone is in the column header (see `zone`). */
      dateTime: (instant: string | number, withZone = false) => formatDateTime(instant, { locale, timeZone, withZone }),
      date: (instant: string | number) => formatDate(instant, { locale, timeZone }),
      /** "Asia/Shanghai (GMT+8)". */
      zone: zoneLabel(timeZone, locale),
      /** "12.3400" -> "¥12.34". */
      money: (amount: string) => formatMoneyText(amount, locale, currency),
      /** Null for what is not an amount or is beyond the largest one (never throws while a form draws). */
      moneyInWords: (amount: string) => (isMoneyText(amount) ? amountInWords(parseMoney(amount), locale) : null),
      duration: formatDuration,
      number: (value: number) => new Intl.NumberFormat(locale).format(value),
    }),
    [locale, timeZone, currency],
  );
}

export type Formatters = ReturnType<typeof useFormatters>;
