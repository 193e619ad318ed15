/**
 * The one place the engine reads the time of day. Every part that needs "now" is given a `Clock` (the engine's, from
 * `EngineOptions.now`), so tests and the date-shifted suite (`npm run test:dates`) control it; elapsed times and
 * throttles use the monotonic `performance.now()`, which no clock change moves.
 */
export type Clock = () => number;

/** The process clock: UTC epoch milliseconds. */
export const systemClock: Clock = () => Date.now();
