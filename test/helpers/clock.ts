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
