import { execFileSync } from 'node:child_process';

/**
 * Process-level tests run the real bundle (dist/main/server.cjs): build it once per test run (about a second).
 * `SKIP_BUNDLE=1` leaves dist/main as it is, for a run of tests that do not start the bundle.
 */
export default function setup(): void {
  if (process.env.SKIP_BUNDLE === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs', '--main-only'], { stdio: 'inherit' });
}
