// `npm start`: the desktop app where Electron's binary is installed and a display is available, else the headless
// server (engine + embedded web server) on its defaults. `--headless` forces the server. Builds first if needed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const forceHeadless = args.includes('--headless');
const passArgs = args.filter((a) => a !== '--headless');

const built = ['dist/main/server.cjs', 'dist/main/electron-main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html'];
if (built.some((f) => !fs.existsSync(path.join(root, f)))) {
  console.log('Building the app (first start)...');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  try {
    // In plain Node, require('electron') returns the path of the binary, or throws when it was never downloaded.
    const bin = require('electron');
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = forceHeadless ? null : electronBinary();

if (electron && hasDisplay) {
  const child = spawn(electron, [root, ...passArgs], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceHeadless) {
    console.log(
      electron
        ? 'No display found: starting the headless server instead of the desktop window.'
        : 'Electron is not installed: starting the headless server (open the URL below in a browser).',
    );
  }
  process.argv = [process.argv[0], path.join(root, 'dist/main/server.cjs'), ...passArgs];
  require(path.join(root, 'dist/main/server.cjs'));
}
