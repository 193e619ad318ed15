/**
 * Headless entry: the engine and its HTTP server without Electron (`npm start` where no Electron binary is installed,
 * or `npm run serve`). Open the printed URL in a browser.
 *
 *   node dist/main/server.cjs [--data-dir DIR] [--http-host HOST] [--http-port PORT]
 *   env: BILLING_DATA_DIR, BILLING_HTTP_HOST, BILLING_HTTP_PORT, BILLING_ADMIN_PASSWORD
 *
 * The HTTP host and port given here win over the ones stored in the settings; without them the settings decide
 * (default 127.0.0.1:8080).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineHost } from './engine-host';

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
  const portText = values['http-port'] ?? process.env.BILLING_HTTP_PORT;
  const port = portText === undefined || portText === '' ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--http-port must be a port number (0-65535), not "${portText}"`);
  }
  const host = values['http-host'] ?? process.env.BILLING_HTTP_HOST;
  return {
    dataDir: path.resolve(values['data-dir'] ?? process.env.BILLING_DATA_DIR ?? 'data'),
    http: { ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}) },
  };
}

async function main() {
  const o = options();
  // dist/main/server.cjs -> project root
  const root = path.resolve(__dirname, '..', '..');
  const host = await EngineHost.start({
    dataDir: o.dataDir,
    http: o.http,
    adminPassword: process.env.BILLING_ADMIN_PASSWORD || undefined,
    rendererDir: path.join(root, 'dist', 'renderer'),
    resourcesDir: path.join(root, 'resources'),
  });
  console.log(`Billing workstation is running. Open ${host.engine.http!.url}/ in a browser (data in ${o.dataDir}).`);
  host.onRestart((engine) => console.log(`Engine restarted. Open ${engine.http?.url ?? '(no web server)'}/ in a browser.`));
  host.onFatal((err) => {
    console.error(`The engine could not start again: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping...`);
    host
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
