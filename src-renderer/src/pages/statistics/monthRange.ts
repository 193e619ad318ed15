import { dayjs, type DayText } from '../../format/time';

/**
 * The whole month a range is, or null: "2026-02" for 2026-02-01..2026-02-28, and for the current month from its first
 * day to today (the page's default).
 */
export function monthOfRange(from: DayText, to: DayText, today: DayText): string | null {
  const start = dayjs(from);
  if (!start.isValid() || start.date() !== 1) return null;
  const end = start.endOf('month').format('YYYY-MM-DD');
  return to === end || (to === today && from.slice(0, 7) === today.slice(0, 7)) ? from.slice(0, 7) : null;
}

/** The days of a month ("2026-02"), up to today for the current month. */
export function monthRange(month: string, today: DayText): [DayText, DayText] {
  const start = dayjs(`${month}-01`);
  const end = start.endOf('month').format('YYYY-MM-DD');
  return [start.format('YYYY-MM-DD'), end > today ? today : end];
}
