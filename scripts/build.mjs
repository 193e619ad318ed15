// Builds the engine (esbuild, CommonJS bundles in dist/main) and the renderer (Vite, dist/renderer).
// Usage: node scripts/build.mjs [--main-only | --renderer-only]
import { build as esbuild } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

// `import text from './x.sql?raw'` works the same under Vite/Vitest and in the esbuild bundle.
const rawImports = {
  name: 'raw-imports',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({
      path: path.resolve(a.resolveDir, a.path.slice(0, -'?raw'.length)),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (a) => ({
      contents: await readFile(a.path, 'utf8'),
      loader: 'text',
    }));
  },
};

async function buildMain() {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [rawImports],
    // Native modules and Electron stay outside the bundle. pdfkit too: bundled, its ES module build (chosen for an
    // `import`) reads import.meta.url at load time, which a CommonJS bundle does not have.
    external: ['better-sqlite3', 'electron', 'ssh2', 'cpu-features', 'ssh2-sftp-client', 'exceljs', 'pdfkit'],
    define: {
      __APP_VERSION__: JSON.stringify(pkg.version),
      __APP_BUILD__: JSON.stringify(new Date().toISOString()),
    },
  };
  await esbuild({
    ...common,
    entryPoints: {
      server: path.join(root, 'src-main/server.ts'),
      'electron-main': path.join(root, 'src-main/electron/main.ts'),
      // The first start's default number attribution is generated in a child process (its memory is given back).
      'attribution-worker': path.join(root, 'src-main/rating/attribution/default-attribution-worker.ts'),
      // Ingestion's writer (parse results in, rated and charged CDRs stored) runs in a worker thread of the engine.
      'cdr-writer': path.join(root, 'src-main/ingest/writer/writer-thread.ts'),
    },
    outdir: path.join(root, 'dist/main'),
    outExtension: { '.js': '.cjs' },
  });
  // The sandboxed preload must be a single CommonJS file with nothing but `electron` required.
  await esbuild({
    ...common,
    plugins: [],
    entryPoints: { preload: path.join(root, 'src-main/electron/preload.ts') },
    outdir: path.join(root, 'dist/main'),
    outExtension: { '.js': '.cjs' },
  });
}

async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });
}

const started = Date.now();
if (!args.has('--renderer-only')) await buildMain();
if (!args.has('--main-only')) await buildRenderer();
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
