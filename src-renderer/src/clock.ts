/**
 * The one place the UI reads the time of day ("today" in the clerk's zone, the zone's current offset). Throttles and
 * elapsed times use the monotonic `performance.now()` instead, which no clock change moves.
 */
export function now(): Date {
  return new Date(Date.now());
}
