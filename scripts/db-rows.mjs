// Rewrites src-main/db/rows.ts (the row types) from the migrations.   Usage: npm run db:rows
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'db-rows-gen.cjs');
// The migrations are imported as `./x.sql?raw`, as in the engine's bundle (scripts/build.mjs).
const rawImports = {
  name: 'raw-imports',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: path.resolve(a.resolveDir, a.path.slice(0, -'?raw'.length)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (a) => ({ contents: fs.readFileSync(a.path, 'utf8'), loader: 'text' }));
  },
};
await build({
  stdin: {
    contents: "export { renderRowTypes } from './src-main/db/row-types'; export { migrations } from './src-main/db/migrations';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['better-sqlite3'],
  plugins: [rawImports],
  logLevel: 'warning',
});
const { renderRowTypes, migrations } = await import(pathToFileURL(out).href);
fs.writeFileSync(path.join(root, 'src-main', 'db', 'rows.ts'), renderRowTypes(migrations));
fs.rmSync(out);
console.log('wrote src-main/db/rows.ts');
