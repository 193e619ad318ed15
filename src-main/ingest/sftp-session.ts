/**
 * One SFTP connection to a device (ssh2-sftp-client over a TCP socket we open ourselves), with a time limit on the
 * connection and on every operation, and errors that say exactly what failed: the host cannot be reached, the
 * server does not speak SSH, the login was refused, the key is unusable, the folder is missing or not readable.
 * A server that stops answering never hangs its caller: the operation fails after its time limit and the
 * connection is torn down.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import { sftpClientClass } from '../lazy-modules';

export interface SftpEndpoint {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /**
   * The server's host key fingerprint stored for the device ("SHA256:..."): a server presenting another key is
   * refused before any password or key is sent. Null: none stored yet (the caller stores the one seen).
   */
  hostKey?: string | null;
}

export interface SftpTimeouts {
  /** TCP connection, SSH handshake and login together. */
  connectMs: number;
  /** One request (list, stat, rename...), or a download receiving no data for this long. */
  operationMs: number;
}

export const DEFAULT_SFTP_TIMEOUTS: SftpTimeouts = { connectMs: 20_000, operationMs: 30_000 };

export type SftpProblemKind =
  | 'unreachable' // DNS, refused, no route, TCP timeout
  | 'handshake' // connected, but no SSH conversation (not an SSH server, or stuck)
  | 'hostkey' // the server presented another host key than the one stored
  | 'auth' // login refused
  | 'credentials' // nothing to log in with, or an unusable private key
  | 'folder' // the folder does not exist or is not a folder
  | 'permission'
  | 'timeout' // the server stopped answering a request
  | 'io'; // anything else the server or the connection reported

export class SftpProblem extends Error {
  constructor(
    readonly kind: SftpProblemKind,
    message: string,
  ) {
    super(message);
    this.name = 'SftpProblem';
  }
}

export interface RemoteFile {
  name: string;
  /** Folder + name, as the server is asked for it. */
  path: string;
  size: number;
  /** Modification time, epoch ms (SFTP has whole seconds). */
  mtimeMs: number;
}

export interface FolderListing {
  files: RemoteFile[];
  /** Entries that are not regular files (folders, links), not considered. */
  others: number;
}

const quietCallbacks = { error: () => undefined, end: () => undefined, close: () => undefined };

/** Joins a remote folder and a file name with `/` (SFTP paths are POSIX whatever the local system). */
export function remotePath(folder: string, name: string): string {
  return path.posix.join(folder, name);
}

/** The host key fingerprint as OpenSSH prints it (`ssh-keygen -l`): "SHA256:" + unpadded base64 of the key's hash. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function describeEndpoint(e: SftpEndpoint): string {
  return `${e.host}:${e.port}`;
}

function errorCode(error: unknown): string | number | undefined {
  return (error as { code?: string | number } | null)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function connectSocket(endpoint: SftpEndpoint, timeoutMs: number): Promise<net.Socket> {
  const where = describeEndpoint(endpoint);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SftpProblem('unreachable', `${where} did not accept a connection within ${timeoutMs / 1000} s (host down or port filtered)`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const reason =
        error.code === 'ECONNREFUSED'
          ? 'refused the connection (no SSH server on that port)'
          : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? 'is not a known host name'
            : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
              ? 'cannot be reached (no route to the host)'
              : `cannot be reached (${error.code ?? error.message})`;
      reject(new SftpProblem('unreachable', `${where} ${reason}`));
    });
  });
}

function loginProblem(error: unknown, endpoint: SftpEndpoint): SftpProblem {
  const message = messageOf(error);
  const where = describeEndpoint(endpoint);
  if (/authentication methods failed/i.test(message)) {
    return new SftpProblem('auth', `${where} refused the login of "${endpoint.username}" (wrong user name, password or key)`);
  }
  if (/privateKey|passphrase|parse.*key|unsupported key/i.test(message)) {
    return new SftpProblem('credentials', `the private key cannot be used: ${message.replace(/^[\w: ]*?getConnection: /, '')}`);
  }
  if (/handshake/i.test(message)) {
    return new SftpProblem('handshake', `${where} accepted the connection but did not complete an SSH handshake`);
  }
  return new SftpProblem('io', `${where}: ${message}`);
}

function requestProblem(error: unknown, what: string): SftpProblem {
  if (error instanceof SftpProblem) return error;
  const code = errorCode(error);
  const message = messageOf(error);
  if (code === 2 || code === 'ENOENT' || /no such file/i.test(message)) return new SftpProblem('folder', `${what}: no such file or folder`);
  if (code === 3 || code === 'EACCES' || /permission denied/i.test(message)) return new SftpProblem('permission', `${what}: permission denied`);
  return new SftpProblem('io', `${what}: ${message}`);
}

export class SftpSession {
  private closed = false;

  private constructor(
    private readonly client: SftpClient,
    private readonly socket: net.Socket,
    readonly endpoint: SftpEndpoint,
    private readonly timeouts: SftpTimeouts,
    /** The fingerprint of the host key the server presented. */
    readonly hostKey: string,
  ) {}

  /** Connects and logs in, within `timeouts.connectMs`. */
  static async open(endpoint: SftpEndpoint, timeouts: SftpTimeouts = DEFAULT_SFTP_TIMEOUTS): Promise<SftpSession> {
    if (!endpoint.password && !endpoint.privateKey) {
      throw new SftpProblem('credentials', 'no password or private key is stored for this device');
    }
    const started = performance.now();
    const socket = await connectSocket(endpoint, timeouts.connectMs);
    const client = new (sftpClientClass())('device', quietCallbacks);
    const remaining = Math.max(1000, timeouts.connectMs - (performance.now() - started));
    let timer: NodeJS.Timeout | undefined;
    let presented = '';
    try {
      await Promise.race([
        client.connect({
          sock: socket,
          host: endpoint.host,
          port: endpoint.port,
          username: endpoint.username,
          ...(endpoint.password ? { password: endpoint.password } : {}),
          ...(endpoint.privateKey ? { privateKey: endpoint.privateKey } : {}),
          ...(endpoint.passphrase ? { passphrase: endpoint.passphrase } : {}),
          readyTimeout: remaining,
          // Checked before any secret is sent: a stranger in between never sees the password.
          hostVerifier: (key: Buffer) => {
            presented = hostKeyFingerprint(key);
            return !endpoint.hostKey || presented === endpoint.hostKey;
          },
          keepaliveInterval: Math.max(1000, Math.floor(timeouts.operationMs / 3)),
          keepaliveCountMax: 3,
          retries: 0,
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new SftpProblem('handshake', `${describeEndpoint(endpoint)} did not complete the SSH login within ${timeouts.connectMs / 1000} s`)),
            remaining + 500,
          );
        }),
      ]);
    } catch (error) {
      socket.destroy();
      if (endpoint.hostKey && presented && presented !== endpoint.hostKey) {
        throw new SftpProblem(
          'hostkey',
          `${describeEndpoint(endpoint)} presented the host key ${presented}, not the ${endpoint.hostKey} stored for this device ` +
            '(the server was replaced, or something is in between); nothing was sent. If the PBX was reinstalled, forget the stored host key in the device settings.',
        );
      }
      throw error instanceof SftpProblem ? error : loginProblem(error, endpoint);
    } finally {
      clearTimeout(timer);
    }
    return new SftpSession(client, socket, endpoint, timeouts, presented);
  }

  /** Regular files of a folder (not recursive). */
  async list(folder: string): Promise<FolderListing> {
    const entries = await this.request(`listing folder ${folder}`, () => this.client.list(folder));
    const files: RemoteFile[] = [];
    let others = 0;
    for (const e of entries) {
      if (e.type === '-') files.push({ name: e.name, path: remotePath(folder, e.name), size: e.size, mtimeMs: e.modifyTime });
      else others++;
    }
    return { files, others };
  }

  /** Size and modification time, or null when the file is gone. */
  async stat(file: string): Promise<{ size: number; mtimeMs: number; isFile: boolean } | null> {
    try {
      const s = await this.request(`reading the attributes of ${file}`, () => this.client.stat(file));
      return { size: s.size, mtimeMs: s.modifyTime, isFile: s.isFile };
    } catch (error) {
      if (error instanceof SftpProblem && error.kind === 'folder') return null;
      throw error;
    }
  }

  /** Whether `folder` exists and is a folder (for the connection test and the move target). */
  async folderExists(folder: string): Promise<boolean> {
    try {
      const s = await this.request(`reading the attributes of ${folder}`, () => this.client.stat(folder));
      return s.isDirectory;
    } catch (error) {
      if (error instanceof SftpProblem && error.kind === 'folder') return false;
      throw error;
    }
  }

  async remove(file: string): Promise<void> {
    await this.request(`deleting ${file}`, () => this.client.delete(file));
  }

  async rename(from: string, to: string): Promise<void> {
    await this.request(`moving ${from} to ${to}`, () => this.client.rename(from, to));
  }

  /**
   * The bytes [start, endExclusive) of a file as they arrive, never the whole file in memory. Fails when no data
   * comes for `operationMs` (the time the caller spends between chunks does not count).
   */
  async *read(file: string, start: number, endExclusive: number): AsyncGenerator<Buffer> {
    if (endExclusive <= start) return;
    const what = `reading ${file} from byte ${start}`;
    let stream;
    try {
      stream = this.client.createReadStream(file, { start, end: endExclusive - 1, highWaterMark: 64 * 1024 });
    } catch (error) {
      throw requestProblem(error, what);
    }
    // Closing the remote handle after we are done can still fail when the connection goes: nothing left to tell.
    stream.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        this.abort();
        stream.destroy(new SftpProblem('timeout', `${describeEndpoint(this.endpoint)} sent no data for ${this.timeouts.operationMs / 1000} s while ${what}`));
      }, this.timeouts.operationMs);
    };
    arm();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        clearTimeout(timer);
        yield chunk;
        arm();
      }
    } catch (error) {
      throw requestProblem(error, what);
    } finally {
      clearTimeout(timer);
      stream.destroy();
    }
  }

  /** A small range of a file in memory (the windows that check a file's beginning). */
  async readRange(file: string, start: number, endExclusive: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.read(file, start, endExclusive)) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }

  /** Ends the connection politely, or tears it down when the server does not answer in time. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.end().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(5000, this.timeouts.operationMs));
      }),
    ]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  /** Tears the connection down at once: every request still waiting fails. */
  abort(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private async request<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new SftpProblem('io', `${what}: the connection is closed`);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            this.abort();
            reject(new SftpProblem('timeout', `${describeEndpoint(this.endpoint)} did not answer within ${this.timeouts.operationMs / 1000} s while ${what}`));
          }, this.timeouts.operationMs);
        }),
      ]);
    } catch (error) {
      throw requestProblem(error, what);
    } finally {
      clearTimeout(timer);
    }
  }
}
