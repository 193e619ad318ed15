/** The calendar day of an instant in the workstation's zone, as `YYYY-MM-DD` (daily ingest counts). */
const dayFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

let cachedDay = '';
let cachedFrom = 0;
let cachedUntil = 0;

export function localDay(at: number): string {
  if (at >= cachedFrom && at < cachedUntil) return cachedDay;
  const day = dayFormat.format(at);
  // Cache the quarter-hour around `at`: zone offsets are whole quarter-hours, so the day cannot change inside it.
  const quarter = 15 * 60_000;
  const from = at - (at % quarter);
  if (dayFormat.format(from) === day && dayFormat.format(from + quarter - 1) === day) {
    cachedDay = day;
    cachedFrom = from;
    cachedUntil = from + quarter;
  }
  return day;
}
