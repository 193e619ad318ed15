/**
 * Clocks for tests whose data sits on fixed calendar days: the engine's "now" starts at a chosen instant and runs at
 * the real pace (monotonic time), whatever date the process clock says — also under `npm run test:dates`.
 */
export function clockFrom(iso: string): () => number {
  const start = Date.parse(iso);
  if (Number.isNaN(start)) throw new Error(`not an instant: ${iso}`);
  const started = performance.now();
  return () => start + Math.floor(performance.now() - started);
}

/** A clock that stands still at `iso` until it is set to another instant: for checks on either side of a boundary. */
export interface StoppedClock {
  (): number;
  set(iso: string): void;
}

export function stoppedClock(iso: string): StoppedClock {
  const parse = (text: string) => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`not an instant: ${text}`);
    return ms;
  };
  let at = parse(iso);
  const clock = (() => at) as StoppedClock;
  clock.set = (text) => {
    at = parse(text);
  };
  return clock;
}
