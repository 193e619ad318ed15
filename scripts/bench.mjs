// Runs the benchmarks in bench/*.bench.ts (each in its own process) and records the figures in
// bench/results.json and docs/performance.md.   Usage: npm run bench [-- name ...]
// `npm run bench -- --render` only writes docs/performance.md again from bench/results.json.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onlyRender = process.argv.includes('--render');
const only = process.argv.slice(2).filter((a) => a !== '--render');
const files = onlyRender ? [] : fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.includes(f.replace('.bench.ts', '')))
  .sort();
if (!files.length && !onlyRender) {
  console.error(`No benchmarks match ${only.join(', ')}`);
  process.exit(1);
}

const outDir = path.join(root, 'bench', 'tmp');
fs.mkdirSync(outDir, { recursive: true });
const rawImports = {
  name: 'raw-imports',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: path.resolve(a.resolveDir, a.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (a) => ({ contents: fs.readFileSync(a.path, 'utf8'), loader: 'text' }));
  },
};

const resultsFile = path.join(root, 'bench', 'results.json');
// Read again before each write: another `npm run bench` may have recorded its own benches meanwhile.
const readResults = () => (fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : { benches: {} });
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};

// The engine's own worker scripts, beside the bench bundles as they are beside dist/main's: an engine started by a
// bench loads its CDR writer thread and the first start's attribution generator from there, as the installed one does.
if (files.length) {
  await build({
    entryPoints: {
      'cdr-writer': path.join(root, 'src-main/ingest/writer/writer-thread.ts'),
      'attribution-worker': path.join(root, 'src-main/rating/attribution/default-attribution-worker.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    plugins: [rawImports],
    external: ['better-sqlite3', 'electron'],
    define: { __APP_VERSION__: '"bench"', __APP_BUILD__: '"bench"' },
  });
}

let failed = false;
for (const file of files) {
  const name = file.replace('.bench.ts', '');
  const entry = path.join(outDir, `${name}.entry.ts`);
  fs.writeFileSync(
    entry,
    `import bench from '../${file.replace('.ts', '')}';\nimport { runBenchInChild } from '../harness';\nvoid runBenchInChild(bench).catch((e) => { console.error(e); process.exit(1); });\n`,
  );
  const outfile = path.join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [rawImports],
    // Playwright drives the browser of the first-page bench: it is loaded from node_modules, not bundled.
    external: ['better-sqlite3', 'ssh2', 'cpu-features', 'ssh2-sftp-client', 'exceljs', 'electron', 'pdfkit', '@playwright/test', 'playwright', 'playwright-core'],
    define: { __APP_VERSION__: '"bench"', __APP_BUILD__: '"bench"' },
  });
  console.error(`bench ${name}`);
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', outfile], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@BENCH '));
  if (child.status !== 0 || !line) {
    console.error(`bench ${name} failed (exit ${child.status})`);
    failed = true;
    continue;
  }
  const { figures } = JSON.parse(line.slice('@@BENCH '.length));
  const current = readResults();
  current.benches[name] = { at: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), figures };
  fs.writeFileSync(resultsFile, JSON.stringify({ updatedAt: new Date().toISOString(), machine, benches: current.benches }, null, 2) + '\n');
}

const results = readResults();
const shown = results.machine ?? machine;

const rows = [];
for (const [name, b] of Object.entries(results.benches).sort()) {
  for (const f of b.figures) {
    const value = Number.isInteger(f.value) ? f.value.toLocaleString('en-US') : f.value.toLocaleString('en-US', { maximumFractionDigits: 2 });
    rows.push(`| ${name} | ${f.name} | ${value} ${f.unit} | ${f.target ?? ''} | ${f.ok === undefined ? '' : f.ok ? 'met' : '**not met**'} | ${f.notes ?? ''} | ${b.at.slice(0, 10)} |`);
  }
}
// What the figures mean where a table cannot say it (written by hand, kept beside the benches).
const analysisFile = path.join(root, 'bench', 'write-path.md');
const analysis = fs.existsSync(analysisFile) ? `\n${fs.readFileSync(analysisFile, 'utf8')}` : '';
const md = `# Performance

Figures recorded by \`npm run bench\` (the source of truth is \`bench/results.json\`). Targets come from the issues;
they are measured here, never asserted in tests.

Machine of the last run: ${shown.cpus} × ${shown.cpuModel}, ${shown.memoryGb} GB, Node ${shown.node}, ${shown.platform}.

| bench | figure | value | target | status | notes | measured |
|---|---|---|---|---|---|---|
${rows.join('\n')}
${analysis}`;
fs.writeFileSync(path.join(root, 'docs', 'performance.md'), md);
console.error(`wrote bench/results.json and docs/performance.md${failed ? ' (some benches failed)' : ''}`);
process.exit(failed ? 1 : 0);
