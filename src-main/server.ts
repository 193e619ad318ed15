/**
 * Headless entry: the engine and its HTTP server without Electron (`npm start` where no Electron binary is installed,
 * or `npm run serve`). Open the printed URL in a browser.
 *
 *   node dist/main/server.cjs [--data-dir DIR] [--http-host HOST] [--http-port PORT]
 *   env: BILLING_DATA_DIR, BILLING_HTTP_HOST, BILLING_HTTP_PORT, BILLING_ADMIN_PASSWORD
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_HTTP, startEngine } from './engine';

function options() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'http-host': { type: 'string' },
      'http-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: billing-server [--data-dir DIR] [--http-host HOST] [--http-port PORT]\n' +
        'Environment: BILLING_DATA_DIR, BILLING_HTTP_HOST, BILLING_HTTP_PORT, BILLING_ADMIN_PASSWORD',
    );
    process.exit(0);
  }
  const port = Number(values['http-port'] ?? process.env.BILLING_HTTP_PORT ?? DEFAULT_HTTP.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--http-port must be a port number (0-65535), not "${values['http-port'] ?? process.env.BILLING_HTTP_PORT}"`);
  }
  return {
    dataDir: path.resolve(values['data-dir'] ?? process.env.BILLING_DATA_DIR ?? 'data'),
    host: values['http-host'] ?? process.env.BILLING_HTTP_HOST ?? DEFAULT_HTTP.host,
    port,
  };
}

async function main() {
  const o = options();
  // dist/main/server.cjs -> project root
  const root = path.resolve(__dirname, '..', '..');
  const engine = await startEngine({
    dataDir: o.dataDir,
    http: { host: o.host, port: o.port },
    adminPassword: process.env.BILLING_ADMIN_PASSWORD || undefined,
    rendererDir: path.join(root, 'dist', 'renderer'),
    resourcesDir: path.join(root, 'resources'),
  });
  console.log(`Billing workstation is running. Open ${engine.http!.url}/ in a browser (data in ${o.dataDir}).`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping...`);
    engine
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
