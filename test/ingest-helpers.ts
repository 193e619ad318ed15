/** Shared by the ingest tests: TCP senders, waiting for stored rows, free ports. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const fixture = (name: string): string => fs.readFileSync(path.resolve('test/fixtures/cdr', name), 'utf8');
export const fixtureLines = (name: string): string[] => fixture(name).split('\n').filter((l) => l !== '');

/** Polls `check` until it returns true (or throws after `timeoutMs`, saying what was awaited). */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP client as a device: connects from `localAddress` (127.x.y.z on Linux), collects what the server says. */
export class TcpSender {
  readonly socket: net.Socket;
  received = '';
  closed = false;
  private readonly connected: Promise<void>;

  constructor(port: number, localAddress = '127.0.0.1') {
    this.socket = net.connect({ host: '127.0.0.1', port, localAddress });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d: string) => (this.received += d));
    this.socket.on('error', () => {});
    this.socket.on('close', () => (this.closed = true));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  async ready(): Promise<this> {
    await this.connected;
    return this;
  }

  async write(text: string): Promise<void> {
    await this.connected;
    await new Promise<void>((resolve, reject) => this.socket.write(text, (err) => (err ? reject(err) : resolve())));
  }

  async end(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  async waitClosed(timeoutMs = 15_000): Promise<void> {
    await waitFor('the server to close the connection', () => this.closed, timeoutMs);
  }

  async waitForReply(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    await waitFor(`a reply matching ${pattern}`, () => pattern.test(this.received), timeoutMs);
    return this.received;
  }
}
