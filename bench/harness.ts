/**
 * Benchmarks: each `bench/<name>.bench.ts` default-exports `defineBench(name, fn)`. `npm run bench [name...]` bundles
 * and runs each in its own Node process (so peak RSS is its own), then writes bench/results.json and
 * docs/performance.md. Targets are reported, never asserted in tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchFigure {
  /** What was measured, e.g. "rateCall + classifyCall, 5,000 rates". */
  name: string;
  value: number;
  unit: string;
  /** The target as written in the issue, e.g. ">= 500000" or "< 1.5". */
  target?: string;
  /** Whether the figure meets the target. */
  ok?: boolean;
  /** Sizes and conditions worth knowing when reading the figure. */
  notes?: string;
}

export interface BenchContext {
  record(figure: BenchFigure): void;
  /** A fresh temporary folder, removed after the bench. */
  tmpDir(): string;
  /** Peak resident set size of this process so far, in MB (Linux: VmHWM). */
  peakRssMb(): number;
  /** Resets the peak-RSS mark where the kernel allows it (Linux clear_refs 5). */
  resetPeakRss(): void;
  log(message: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

export const defineBench = (name: string, run: (ctx: BenchContext) => Promise<void>): Bench => ({ name, run });

export function peakRssMb(): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

export function resetPeakRss(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not permitted or not Linux: peak stays process-wide
  }
}

/** Percentile of a sorted-or-not sample (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Entry point used by scripts/bench.mjs inside the child process. */
export async function runBenchInChild(bench: Bench): Promise<void> {
  const figures: BenchFigure[] = [];
  const dirs: string[] = [];
  const ctx: BenchContext = {
    record: (f) => {
      figures.push(f);
      console.error(`  ${f.name}: ${f.value} ${f.unit}${f.target ? ` (target ${f.target}: ${f.ok ? 'met' : 'NOT met'})` : ''}`);
    },
    tmpDir: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${bench.name}-`));
      dirs.push(d);
      return d;
    },
    peakRssMb,
    resetPeakRss,
    log: (m) => console.error(`  ${m}`),
  };
  try {
    await bench.run(ctx);
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
  process.stdout.write(`@@BENCH ${JSON.stringify({ bench: bench.name, figures })}\n`);
}
