/**
 * One billing-interface TCP connection: an optional preamble (`LOGIN <account> <password>`, `DEVICE <id or name>`),
 * then line-framed records in the device's format until the device closes the connection. See
 * docs/billing-interface.md for the protocol.
 *
 * Records are parsed as they arrive and handed to the group committer; the connection reads nothing more from its
 * socket until its batch is committed (back-pressure). A line longer than 64 KiB becomes a reject and the
 * connection goes on. When the connection ends in the middle of a line, the cut text is kept as a reject (it is
 * not read as a record: a cut CSV line can look like a valid call with wrong numbers).
 *
 * Nothing received is dropped: a connection the engine closes (stopping, an address no longer allowed) stops reading
 * but still stores what it has read and the calls held for their continuation records; a batch the store cannot take
 * (a busy or full disk) is tried again while the socket waits, and after a few tries kept as rejects with the reason.
 *
 * A LOGIN goes through the billing interface's one throttle (shared with HTTP push): a throttled login is refused
 * with its retry time and its password is not checked. From its first byte until it is answered, a preamble is a
 * login waiting: the listener's gate may refuse it (too many waiting) and it has a deadline to finish its lines.
 */
import type { Socket } from 'node:net';
import type { Device } from '../../src-shared/api/devices';
import { throttledText, type BillingInterfaceLogin, type LoginOutcome } from './billing-interface-auth';
import type { CdrParseResult } from '../../src-shared/domain/cdr';
import { deviceContextOf, type DeviceRepository } from '../devices/repository';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/service';
import { createCdrParser } from './adapters/registry';
import { ParseOutcome, type CdrParser } from './adapters/types';
import { chooseDevice, plainAddress } from './device-lookup';
import { parseCdrStream } from './parse-stream';
import type { GroupCommitter } from './group-commit';
import type { IngestStatus } from './status';
import type { IngestSource } from './store';

/** What a connection uses: the listener's services, its group committer and the shared login throttle. */
export interface CdrConnectionDeps {
  settings: SettingsService;
  devices: DeviceRepository;
  ingestStatus: IngestStatus;
  log: Logger;
  committer: GroupCommitter;
  /** The billing interface login with its throttle, shared with the HTTP routes. */
  login: BillingInterfaceLogin;
  /** Waits before each new try of a batch the store refused (default STORE_RETRY_DELAYS_MS). */
  storeRetryDelaysMs?: readonly number[];
}

/** Longest preamble line (LOGIN / DEVICE). */
const MAX_PREAMBLE_LINE = 1024;
const COMMANDS = ['LOGIN ', 'DEVICE '];
/** After a command line, how long the sender may pause before its records before the preamble is answered. */
const PREAMBLE_PAUSE_MS = 200;
/** The listener's cap on connections waiting on a login, and the time a begun preamble has to finish. */
export interface LoginGate {
  /** Why this connection may not begin a login now, or undefined when it may. */
  admit(connection: CdrConnection): string | undefined;
  deadlineMs: number;
}

/** Waits before each new try of a batch the store refused; after the last, its records are kept as rejects. */
const STORE_RETRY_DELAYS_MS = [250, 1000, 2000, 4000];

export class CdrConnection {
  readonly remoteAddress: string;
  readonly remote: string;
  readonly source: IngestSource;
  device: Device | null = null;
  /** The device the sender named with DEVICE, if any (used again when permissions change). */
  namedDevice: string | undefined;
  /** Between the first byte of LOGIN / DEVICE lines and their answer (counted by the listener's gate). */
  waitingOnLogin = false;
  /** Set by refuse(): read no more; what was read is still stored. */
  private refused = false;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly deps: CdrConnectionDeps,
    private readonly gate: LoginGate,
  ) {
    this.remoteAddress = plainAddress(socket.remoteAddress ?? 'unknown');
    this.remote = `${this.remoteAddress}:${socket.remotePort ?? 0}`;
    this.source = { kind: 'tcp', name: `tcp#${id} ${this.remote}` };
  }

  /** Reads the connection to its end. Never throws. */
  async run(): Promise<void> {
    try {
      await this.serve();
    } catch (error) {
      this.deps.log.error('CDR connection failed', { connection: this.source.name, error });
      if (this.device) this.deps.ingestStatus.error(this.device.id, `${this.source.name}: ${(error as Error).message}`);
      this.socket.destroy();
    } finally {
      if (this.device) this.deps.ingestStatus.connectionClosed(this.device.id, this.remote);
      this.closed = true;
    }
  }

  /** Ends the connection with a line saying why (a refused login, an address no longer allowed). */
  refuse(reason: string, options: { now?: boolean } = {}): void {
    if (this.closed || this.refused) return;
    this.refused = true;
    this.deps.log.warn('CDR connection refused', { connection: this.source.name, reason });
    if (this.device && !options.now) this.deps.ingestStatus.error(this.device.id, `${this.source.name} refused: ${reason}`);
    if (this.socket.writable) this.socket.end(`ERROR ${reason}\n`);
    // Stop reading what the sender still sends; the socket closes once the error line is out.
    this.socket.pause();
    if (options.now) this.socket.destroySoon();
    else setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private async serve(): Promise<void> {
    const opened = await this.answerPreamble();
    if (!opened) return;
    const { device, parser, preamble } = opened;
    this.deps.log.info('CDR connection opened', { connection: this.source.name, device: device.name });
    await this.readRecords(device, parser, preamble);
  }

  /** Reads and answers the preamble; the device, its parser and the input after it, or null when refused. */
  private async answerPreamble(): Promise<{ device: Device; parser: CdrParser; preamble: Preamble } | null> {
    try {
      const preamble = await readPreamble(tolerantChunks(this.socket), {
        deadlineMs: this.gate.deadlineMs,
        begin: () => {
          const refusal = this.gate.admit(this);
          if (!refusal) this.waitingOnLogin = true;
          return refusal;
        },
      });
      if (preamble.problem) return this.refusedWith(preamble.problem);
      if (this.refused) return null;
      if (preamble.login) {
        const outcome = await this.deps.login.login(this.remoteAddress, preamble.login);
        if (!outcome.ok) return this.refusedWith(`login refused: ${loginRefusal(outcome, this.remoteAddress, preamble.login)}`);
        if (this.refused) return null;
      }
      const bi = this.deps.settings.get('billingInterface');
      this.namedDevice = preamble.device;
      const choice = chooseDevice(this.deps.devices.list(), this.remoteAddress, bi.addresses, preamble.device);
      if (!choice.ok) {
        return this.refusedWith(choice.needsName ? `${choice.reason} with a line "DEVICE <id or name>" first` : choice.reason);
      }
      const device = choice.device;
      const parser = createCdrParser(device.format, deviceContextOf(device));
      if (parser.framing === 'document') {
        return this.refusedWith(`device "${device.name}" uses the ${device.format} format, which is posted over HTTP, not sent over TCP`);
      }
      this.device = device;
      this.deps.ingestStatus.connectionOpened(device.id, this.remote);
      if (preamble.lines > 0) this.socket.write(`OK ${device.name}\n`);
      return { device, parser, preamble };
    } finally {
      this.waitingOnLogin = false;
    }
  }

  private refusedWith(reason: string): null {
    this.refuse(reason);
    return null;
  }

  private async readRecords(device: Device, parser: CdrParser, preamble: Preamble): Promise<void> {
    const batches = parseCdrStream(preamble.rest, parser, {
      startOffset: preamble.bytes,
      startLine: preamble.lines + 1,
      liveInput: true,
      endOfInput: 'may-grow',
      batchLines: 5000,
    });
    // A refused connection is paused and soon destroyed: its input ends, and what it had read is stored below.
    // One batch is stored while the next is read and parsed (the writer works while this thread parses); the next is
    // handed over only once the one before is committed, so a connection never has more than two batches in hand.
    let storing: Promise<void> = Promise.resolve();
    for await (const batch of batches) {
      const out = new ParseOutcome();
      out.append(batch);
      if (batch.done) {
        const tail = batch.unterminated;
        if (tail && parser.framing === 'json') {
          parser.push({ text: tail.text, position: { line: tail.line, offset: tail.offset } }, out);
        } else if (tail) {
          out.reject(tail.text, { line: tail.line, offset: tail.offset }, 'the connection closed in the middle of this line (no line end): the record may be cut, so it was not read');
        }
        parser.flush(out); // calls held for their continuation records
      }
      if (out.cdrs.length + out.rejects.length + out.skipped.length > 0) {
        await storing;
        storing = this.store(device, out);
        storing.catch(() => {}); // awaited before the next batch, or below
      }
    }
    await storing;
    this.deps.log.info('CDR connection closed', { connection: this.source.name, device: device.name });
  }

  /**
   * Stores a batch, trying again while the socket waits (back-pressure) when the store refuses it; after the last
   * try its records are kept as rejects with the reason (reprocessable), so a batch is never dropped.
   */
  private async store(device: Device, batch: CdrParseResult): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.committer.submit(device.id, this.source, batch);
        return;
      } catch (error) {
        const message = (error as Error).message;
        this.deps.log.warn('A CDR batch could not be stored', { connection: this.source.name, attempt: attempt + 1, error });
        this.deps.ingestStatus.error(device.id, `${this.source.name}: storing failed (${message})`);
        const wait = (this.deps.storeRetryDelaysMs ?? STORE_RETRY_DELAYS_MS)[attempt];
        if (wait === undefined) {
          await this.deps.committer.submit(device.id, this.source, keptAsRejects(batch, message));
          return;
        }
        await delay(wait);
      }
    }
  }
}

interface Preamble {
  login?: { account: string; password: string };
  device?: string;
  /** Preamble lines and bytes consumed. */
  lines: number;
  bytes: number;
  problem?: string;
  /** The input after the preamble (what was read beyond it first). */
  rest: AsyncIterable<Buffer>;
}

/** The socket's chunks; a reset connection ends the input instead of throwing (what arrived is still read). */
async function* tolerantChunks(socket: Socket): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const chunk of socket) yield chunk as Buffer;
  } catch {
    // ECONNRESET and the like: the input simply ends here.
  }
}

interface PreambleHooks {
  /** Called at the first byte of a command line; a reason refuses the connection. */
  begin(): string | undefined;
  /** Time from that first byte to the end of the preamble. */
  deadlineMs: number;
}

/**
 * Reads `LOGIN` / `DEVICE` lines at the very start of the input, up to the first byte that is not one. When the
 * sender stops after a command line (it waits for the answer), the preamble ends after PREAMBLE_PAUSE_MS. A
 * connection that sends nothing yet is a device waiting for its first call, not a login: the deadline starts with
 * the first byte of a command.
 */
async function readPreamble(chunks: AsyncGenerator<Buffer, void, undefined>, hooks: PreambleHooks): Promise<Preamble> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await readPreambleLines(chunks, hooks, (late) => (timer = setTimeout(late, hooks.deadlineMs)));
  } finally {
    clearTimeout(timer);
  }
}

async function readPreambleLines(
  chunks: AsyncGenerator<Buffer, void, undefined>,
  hooks: PreambleHooks,
  startDeadline: (late: () => void) => void,
): Promise<Preamble> {
  const result: Omit<Preamble, 'rest'> = { lines: 0, bytes: 0 };
  /** Settles with 'late' once the deadline passes (never before the first command byte). */
  let deadline: Promise<'late'> | null = null;
  let buffered: Buffer = Buffer.alloc(0);
  let ended = false;
  let pending: Promise<IteratorResult<Buffer, void>> | null = null;
  const rest = (first: Buffer): AsyncIterable<Buffer> => ({
    async *[Symbol.asyncIterator]() {
      if (first.length) yield first;
      if (pending) {
        const next = await pending;
        if (next.done) return;
        yield next.value;
      }
      if (!ended) yield* chunks;
    },
  });
  for (;;) {
    const head = buffered.subarray(0, 8).toString('latin1').toUpperCase();
    const maybeCommand = COMMANDS.some((c) => c.startsWith(head) || head.startsWith(c));
    if (!maybeCommand) return { ...result, rest: rest(buffered) };
    if (!deadline && buffered.length > 0) {
      const refusal = hooks.begin();
      if (refusal) return { ...result, problem: refusal, rest: rest(Buffer.alloc(0)) };
      deadline = new Promise((resolve) => startDeadline(() => resolve('late')));
    }
    const newline = buffered.indexOf(0x0a);
    const isCommand = COMMANDS.some((c) => head.startsWith(c));
    if (newline >= 0 && isCommand) {
      const line = buffered.subarray(0, newline).toString('utf8').replace(/\r$/, '');
      const problem = readCommand(line, result);
      if (problem) return { ...result, problem, rest: rest(Buffer.alloc(0)) };
      result.lines++;
      result.bytes += newline + 1;
      buffered = buffered.subarray(newline + 1);
      continue;
    }
    if (newline >= 0 || ended) return { ...result, rest: rest(buffered) }; // a short record line, not a command
    if (buffered.length > MAX_PREAMBLE_LINE) {
      return { ...result, problem: `the ${head.trim()} line is longer than ${MAX_PREAMBLE_LINE} bytes`, rest: rest(Buffer.alloc(0)) };
    }
    pending = chunks.next();
    if (result.lines > 0 && buffered.length === 0) {
      const paused = await Promise.race([pending.then(() => false), delay(PREAMBLE_PAUSE_MS).then(() => true)]);
      if (paused) return { ...result, rest: rest(buffered) }; // `pending` is read first by `rest`
    }
    const next = deadline ? await Promise.race([pending, deadline]) : await pending;
    if (next === 'late') {
      const problem = `the LOGIN / DEVICE lines were not complete within ${hooks.deadlineMs / 1000} s of their first byte`;
      return { ...result, problem, rest: rest(Buffer.alloc(0)) };
    }
    pending = null;
    if (next.done) ended = true;
    else buffered = buffered.length ? Buffer.concat([buffered, next.value]) : next.value;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `LOGIN <account> <password>` (the password is the rest of the line) or `DEVICE <id or name>`. */
function readCommand(line: string, into: Omit<Preamble, 'rest'>): string | undefined {
  const space = line.indexOf(' ');
  const keyword = line.slice(0, space).toUpperCase();
  const args = line.slice(space + 1);
  if (keyword === 'LOGIN') {
    const m = /^(\S+) (.+)$/.exec(args.trim());
    if (!m) return 'login refused: expected "LOGIN <account> <password>"';
    into.login = { account: m[1]!, password: m[2]! };
    return undefined;
  }
  const name = args.trim();
  if (name === '') return 'expected "DEVICE <device id or name>"';
  into.device = name;
  return undefined;
}

/** The refusal line's text for a login that did not pass. */
function loginRefusal(outcome: Exclude<LoginOutcome, { ok: true }>, address: string, credentials: { account: string }): string {
  if (outcome.kind === 'throttled') return `${throttledText(outcome, address, credentials)} (the password was not checked)`;
  if (outcome.kind === 'no-password') return 'the billing interface has no password set';
  return 'wrong account or password';
}

/** A batch the store refused, as rejects that keep every record as received and say why. */
export function keptAsRejects(batch: CdrParseResult, problem: string): CdrParseResult {
  const out = new ParseOutcome();
  out.append({ cdrs: [], rejects: batch.rejects, skipped: batch.skipped });
  for (const cdr of batch.cdrs) out.reject(cdr.raw, cdr.position, `could not be stored (${problem}); reprocess it once the cause is fixed`);
  return out;
}
