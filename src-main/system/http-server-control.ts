import net from 'node:net';
import tls from 'node:tls';
import type { HttpOptions, HttpTransport } from '../api/http';
import type { Logger } from '../log';

export type HttpTransportFactory = (options: HttpOptions) => HttpTransport;

/** Start values given on the command line or in the environment: they win over the stored settings at every start. */
export interface HttpStartOverrides {
  host?: string;
  port?: number;
}

/** A change of the web server's address or TLS, checked and ready: `apply()` after the settings are saved. */
export interface PreparedHttpChange {
  /** Where the server will answer. */
  url: string;
  options: HttpOptions;
  apply(): void;
  cancel(): Promise<void>;
}

/** How long a replaced server keeps answering, so the reply to the change that moved it still reaches the caller. */
export const HTTP_HANDOVER_MS = 500;

const WILDCARDS = new Set(['0.0.0.0', '::']);

export function urlOf(o: HttpOptions): string {
  const host = WILDCARDS.has(o.host) ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;
  return `${o.tls ? 'https' : 'http'}://${host}:${o.port}`;
}

/** Binds `host:port` and releases it: proves the address exists here and the port is free. */
export function tryBind(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** What a failed bind means for the person who chose the address. */
export function describeBindError(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return `port ${port} is already in use on ${host}`;
  if (code === 'EADDRNOTAVAIL') return `${host} is not an address of this computer`;
  if (code === 'EACCES') return `this process may not listen on port ${port} (ports below 1024 need privileges)`;
  return `cannot listen on ${host}:${port} (${code ?? (err as Error)?.message ?? String(err)})`;
}

/**
 * Owns the engine's web server and moves it while the engine runs: a new port is bound before the change is saved
 * (the old server keeps answering for HTTP_HANDOVER_MS, then closes); a change on the same port (TLS, interface) is
 * checked first (the certificate loads, the address exists) and then swapped in place after the reply has gone out,
 * falling back to the previous address if the swap fails.
 */
export class HttpServerControl {
  private transport?: HttpTransport;
  private options?: HttpOptions;
  private factory?: HttpTransportFactory;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly retiring = new Set<HttpTransport>();
  private stopped = false;

  constructor(
    private readonly log: Logger,
    readonly startOverrides: HttpStartOverrides,
  ) {}

  get current(): HttpTransport | undefined {
    return this.transport;
  }

  /** The options in force (absent when this engine runs without a web server). */
  get active(): HttpOptions | undefined {
    return this.transport ? this.options : undefined;
  }

  get url(): string {
    return this.transport?.url ?? '';
  }

  /** Where the server listens now (the real port when it was started on port 0). */
  get activeAddress(): { url: string; host: string; port: number; tls: boolean } | undefined {
    if (!this.transport || !this.options) return undefined;
    const url = this.transport.url;
    const port = Number(/:(\d+)$/.exec(url)?.[1] ?? this.options.port);
    return { url, host: this.options.host, port, tls: Boolean(this.options.tls) };
  }

  async start(options: HttpOptions, factory: HttpTransportFactory): Promise<void> {
    this.factory = factory;
    const transport = factory(options);
    await transport.start();
    this.transport = transport;
    this.options = options;
  }

  /** Checks a change of address or TLS; throws the bind or TLS error (with `.code`) when it cannot work. */
  async prepareChange(next: HttpOptions): Promise<PreparedHttpChange> {
    const current = this.options;
    const factory = this.factory;
    if (!current || !factory || !this.transport) throw new Error('the web server is not running in this process');
    if (next.tls) tls.createSecureContext({ cert: next.tls.cert, key: next.tls.key });

    if (next.port !== current.port || next.port === 0) {
      // A different port: bind it now, next to the old server.
      const fresh = factory(next);
      await fresh.start();
      return {
        url: fresh.url,
        options: next,
        apply: () => {
          const old = this.transport;
          this.transport = fresh;
          this.options = next;
          if (old) this.retire(old);
          this.log.info('Web server moved', { url: fresh.url });
        },
        cancel: () => fresh.stop(),
      };
    }
    // Same port: it cannot be bound twice, so prove the interface exists and swap after the reply.
    if (next.host !== current.host) await tryBind(next.host, 0);
    return {
      url: urlOf(next),
      options: next,
      apply: () => this.later(() => this.swapInPlace(next)),
      cancel: async () => {},
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    const all = [...this.retiring, ...(this.transport ? [this.transport] : [])];
    this.retiring.clear();
    this.transport = undefined;
    await Promise.all(all.map((t) => t.stop()));
  }

  private later(fn: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!this.stopped) void fn();
    }, HTTP_HANDOVER_MS);
    this.pending.add(timer);
  }

  private retire(old: HttpTransport): void {
    this.retiring.add(old);
    this.later(async () => {
      this.retiring.delete(old);
      await old.stop();
    });
  }

  private async swapInPlace(next: HttpOptions): Promise<void> {
    const previous = this.options!;
    const old = this.transport;
    this.transport = undefined;
    await old?.stop();
    try {
      const fresh = this.factory!(next);
      await fresh.start();
      this.transport = fresh;
      this.options = next;
      this.log.info('Web server restarted with new settings', { url: fresh.url });
    } catch (err) {
      this.log.error('The web server could not take its new settings; it goes back to the previous ones', {
        error: err,
        wanted: urlOf(next),
      });
      const back = this.factory!(previous);
      await back.start();
      this.transport = back;
      this.options = previous;
    }
  }
}
