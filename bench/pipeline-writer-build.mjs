// Bundles the engine's CDR writer thread (src-main/ingest/writer/writer-thread.ts) for the pipeline bench, as
// scripts/build.mjs bundles it for dist/main/cdr-writer.cjs: the bench runs the engine from a bundle of the sources in
// bench/tmp, beside which there is no writer thread script, and the engine would then store on its own thread.
// Usage: node bench/pipeline-writer-build.mjs <outfile>
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2];
if (!outfile) throw new Error('usage: node bench/pipeline-writer-build.mjs <outfile>');
// `import text from './x.sql?raw'` (the migrations) as in scripts/build.mjs and scripts/bench.mjs.
const rawImports = {
  name: 'raw-imports',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: path.resolve(a.resolveDir, a.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (a) => ({ contents: fs.readFileSync(a.path, 'utf8'), loader: 'text' }));
  },
};
await build({
  entryPoints: [path.join(root, 'src-main/ingest/writer/writer-thread.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  plugins: [rawImports],
  external: ['better-sqlite3'],
  define: { __APP_VERSION__: '"bench"', __APP_BUILD__: '"bench"' },
});
