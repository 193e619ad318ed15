// Rewrites docs/api.md from the API contract.   Usage: npm run docs:api
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'docs-gen.mjs');
await build({
  entryPoints: [path.join(root, 'src-main/api/docs.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'warning',
});
const { renderApiDocs } = await import(pathToFileURL(out).href);
fs.writeFileSync(path.join(root, 'docs', 'api.md'), renderApiDocs());
fs.rmSync(out);
console.log('wrote docs/api.md');
