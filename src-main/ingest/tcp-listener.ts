/**
 * The billing interface's TCP listener (DESIGN §3, §7): listens on the billing interface host and port, accepts
 * connections only from addresses some device (or the interface's own list) allows, and reads each connection with
 * CdrConnection. Settings changes apply at once: a new host, port or on/off moves the listener (open connections
 * stay); a change of addresses, devices or their addresses closes the connections no longer allowed.
 *
 * Logins are capped: a connection that has begun its LOGIN / DEVICE lines is "waiting on a login" until it is
 * answered; past a few per address (and a few dozen in all) a new one is refused at once with a line saying why, and
 * one that does not finish its lines in time is refused too. Connections already answered are not counted and keep
 * flowing.
 */
import net, { type AddressInfo } from 'node:net';
import type { TcpListenerState } from '../../src-shared/api/ingest';
import type { Sqlite } from '../db/connection';
import type { DeviceRepository } from '../devices/repository';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/service';
import { billingInterfaceLogin } from './billing-interface-auth';
import { anyAllows, chooseDevice, plainAddress } from './device-lookup';
import { GroupCommitter, type GroupCommitOptions } from './group-commit';
import type { IngestStatus } from './status';
import type { CdrWriter } from './writer/cdr-writer';
import { CdrConnection, type CdrConnectionDeps, type LoginGate } from './tcp-connection';

/** What the listener uses (it builds the group committer and takes the shared login throttle itself). */
export interface TcpListenerDeps {
  db: Sqlite;
  settings: SettingsService;
  devices: DeviceRepository;
  cdrWriter: CdrWriter;
  ingestStatus: IngestStatus;
  events: EventBus;
  log: Logger;
  /** The engine's clock (the login throttle's windows). */
  now: () => number;
}

export interface TcpListenerOptions {
  /** Start-time override of the stored host/port (tests: port 0); dropped when the settings move the listener. */
  host?: string;
  port?: number;
  groupCommit?: GroupCommitOptions;
  /** Delay before trying again after the port could not be bound. Default 15 s. */
  retryMs?: number;
  /** Waits before each new try of a batch the store refused; after the last, its records are kept as rejects. */
  storeRetryDelaysMs?: readonly number[];
  /** Connections waiting on a login at once, per address and in all (defaults below). */
  maxWaitingLoginsPerAddress?: number;
  maxWaitingLogins?: number;
  /** How long a connection has to finish its LOGIN / DEVICE lines once it began them. Default 10 s. */
  loginDeadlineMs?: number;
}

/**
 * Connections waiting on a login at once: a device needs one (two while it reconnects); more from one address is
 * someone guessing, and each waiting login may cost a scrypt check.
 */
const MAX_WAITING_LOGINS_PER_ADDRESS = 4;
const MAX_WAITING_LOGINS = 32;
const LOGIN_DEADLINE_MS = 10_000;
/** At most this many connections at once from one address, and in all (a runaway device cannot exhaust the engine). */
const MAX_CONNECTIONS_PER_ADDRESS = 64;
const MAX_CONNECTIONS = 1024;
/** On stop, how long open connections get to store what they had read. */
const STOP_WAIT_MS = 5000;

export class CdrTcpListener {
  private server: net.Server | undefined;
  /** Open connections, each with its read loop (waited for on stop). */
  private readonly connections = new Map<CdrConnection, Promise<void>>();
  private nextConnectionId = 1;
  private override: { host?: string; port?: number };
  private storedAtStart: Binding;
  private bound: Binding | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private moving: Promise<void> = Promise.resolve();
  readonly deps: TcpListenerDeps & CdrConnectionDeps;
  private readonly gate: LoginGate;

  constructor(
    deps: TcpListenerDeps,
    private readonly options: TcpListenerOptions = {},
  ) {
    this.deps = {
      ...deps,
      committer: new GroupCommitter(deps.cdrWriter, options.groupCommit),
      login: billingInterfaceLogin(deps),
      ...(options.storeRetryDelaysMs ? { storeRetryDelaysMs: options.storeRetryDelaysMs } : {}),
    };
    this.gate = {
      deadlineMs: options.loginDeadlineMs ?? LOGIN_DEADLINE_MS,
      admit: (c) => this.admitLogin(c),
    };
    this.override = { host: options.host, port: options.port };
    this.storedAtStart = storedBinding(deps.settings);
  }

  /** Starts listening (a port that cannot be bound is reported in the status and tried again later; never throws). */
  async start(): Promise<void> {
    this.unsubscribe.push(
      this.deps.settings.onChange((section) => {
        if (section !== 'billingInterface') return;
        // A start-time override holds until the stored host, port or on/off themselves change.
        const now = storedBinding(this.deps.settings);
        if (!sameBinding(now, this.storedAtStart)) this.override = {};
        this.storedAtStart = now;
        void this.apply();
        this.recheckConnections();
      }),
      this.deps.events.subscribe((message) => {
        if (message.event === 'data.changed' && (message.data as { domain: string }).domain === 'devices') this.recheckConnections();
      }),
    );
    await this.apply();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.moving;
    await this.close();
    for (const c of this.connections.keys()) c.refuse('the billing interface is stopping', { now: true });
    // Refused connections still store what they had read (and calls held for continuation records): wait for them.
    const running = [...this.connections.values()];
    if (running.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(running), new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.deps.committer.flush();
  }

  /** Where the listener is bound now (null when not listening). */
  get address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Connections that began their LOGIN / DEVICE lines and are not answered yet. */
  get waitingLogins(): number {
    let n = 0;
    for (const c of this.connections.keys()) if (c.waitingOnLogin) n++;
    return n;
  }

  /** Binds to the wanted host/port when they differ from the current ones (serialized: settings may change quickly). */
  private apply(): Promise<void> {
    this.moving = this.moving.then(() => this.rebind());
    return this.moving;
  }

  private async rebind(): Promise<void> {
    if (this.stopped) return;
    const bi = this.deps.settings.get('billingInterface');
    const wanted = { host: this.override.host ?? bi.host, port: this.override.port ?? bi.cdrPort, enabled: bi.enabled };
    if (this.server && this.bound && sameBinding(this.bound, wanted)) return;
    await this.close();
    this.bound = wanted;
    if (!wanted.enabled) return this.report({ state: 'disabled', host: wanted.host, port: wanted.port });
    const server = net.createServer({ pauseOnConnect: false }, (socket) => this.accept(socket));
    server.maxConnections = MAX_CONNECTIONS;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(wanted.port, wanted.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${wanted.port} is in use` : (error as Error).message;
      this.deps.log.warn('The CDR TCP listener cannot listen; trying again later', { host: wanted.host, port: wanted.port, error: message });
      this.report({ state: 'failed', host: wanted.host, port: wanted.port, error: message });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.bound = undefined;
        void this.apply();
      }, this.options.retryMs ?? 15_000);
      this.retryTimer.unref();
      return;
    }
    server.on('error', (error) => this.deps.log.error('CDR TCP listener error', { error }));
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.deps.log.info('CDR TCP listener started', { host: addr.address, port: addr.port });
    this.report({ state: 'listening', host: addr.address, port: addr.port });
  }

  private async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // Stop accepting (the port is free at once); open connections go on until their devices close them.
    server.close();
  }

  private accept(socket: net.Socket): void {
    const address = plainAddress(socket.remoteAddress ?? '');
    const connection = new CdrConnection(this.nextConnectionId++, socket, this.deps, this.gate);
    socket.on('error', () => {}); // reported through the connection's read loop
    const bi = this.deps.settings.get('billingInterface');
    if (!anyAllows(this.deps.devices.list(), address, bi.addresses)) {
      connection.refuse(`${address} is not an allowed address of any device`);
      return;
    }
    let fromAddress = 0;
    for (const c of this.connections.keys()) if (c.remoteAddress === address) fromAddress++;
    if (fromAddress >= MAX_CONNECTIONS_PER_ADDRESS) {
      connection.refuse(`${address} already has ${fromAddress} connections open`);
      return;
    }
    socket.setKeepAlive(true, 60_000);
    this.connections.set(connection, connection.run().finally(() => this.connections.delete(connection)));
  }

  /** Why `connection` may not begin a login now (too many waiting), or undefined when it may. */
  private admitLogin(connection: CdrConnection): string | undefined {
    const perAddress = this.options.maxWaitingLoginsPerAddress ?? MAX_WAITING_LOGINS_PER_ADDRESS;
    const inAll = this.options.maxWaitingLogins ?? MAX_WAITING_LOGINS;
    let fromAddress = 0;
    let waiting = 0;
    for (const c of this.connections.keys()) {
      if (!c.waitingOnLogin) continue;
      waiting++;
      if (c.remoteAddress === connection.remoteAddress) fromAddress++;
    }
    if (fromAddress >= perAddress) return `${connection.remoteAddress} already has ${fromAddress} connections waiting on a login; try again later`;
    if (waiting >= inAll) return `${waiting} connections are waiting on a login; try again later`;
    return undefined;
  }

  /** Closes the connections whose address is no longer allowed for their device (all of them when turned off). */
  private recheckConnections(): void {
    if (this.connections.size === 0) return;
    const bi = this.deps.settings.get('billingInterface');
    if (!bi.enabled) {
      for (const c of this.connections.keys()) c.refuse('the billing interface was turned off');
      return;
    }
    const devices = this.deps.devices.list();
    const interfaceAddresses = bi.addresses;
    for (const c of this.connections.keys()) {
      if (!c.device) continue;
      const choice = chooseDevice(devices, c.remoteAddress, interfaceAddresses, c.namedDevice ?? String(c.device.id));
      if (!choice.ok || choice.device.id !== c.device.id) {
        c.refuse(choice.ok ? `${c.remoteAddress} now belongs to device "${choice.device.name}"` : choice.reason);
      }
    }
  }

  private report(state: TcpListenerState): void {
    this.deps.ingestStatus.listenerChanged(state);
  }
}

interface Binding {
  host: string;
  port: number;
  enabled: boolean;
}

function storedBinding(settings: SettingsService): Binding {
  const bi = settings.get('billingInterface');
  return { host: bi.host, port: bi.cdrPort, enabled: bi.enabled };
}

function sameBinding(a: Binding, b: Binding): boolean {
  return a.host === b.host && a.port === b.port && a.enabled === b.enabled;
}
