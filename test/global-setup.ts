import { execFileSync } from 'node:child_process';

/** Process-level tests run the real bundle (dist/main/server.cjs): build it once per test run (about a second). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--main-only'], { stdio: 'inherit' });
}
