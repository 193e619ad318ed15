/**
 * A real SFTP server for tests: the `ssh2` package's Server on 127.0.0.1 serving a temporary folder (its "/"), with
 * password and public-key logins. Tests can slow it down, stall it (requests are never answered), stop it and start
 * it again on the same port, to see how clients behave against a slow, stuck or absent server.
 *
 *   const server = await SftpTestServer.start({ users: [{ username: 'cdr', password: 'secret' }] });
 *   fs.writeFileSync(server.localPath('/cdr/Master.csv'), lines);
 *   ... connect to 127.0.0.1:server.port ...
 *   await server.close();
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Server, utils, type Connection, type FileEntry, type SFTPWrapper, type Attributes } from 'ssh2';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface SftpTestUser {
  username: string;
  password?: string;
  /** OpenSSH public key line ("ssh-ed25519 AAAA..."). */
  publicKey?: string;
}

export interface SftpTestServerOptions {
  /** The folder served as "/"; default: a new temporary folder, removed by `close()`. */
  root?: string;
  users: SftpTestUser[];
  /** Port to listen on; default 0 (a free one). */
  port?: number;
  /** The server's private host key (OpenSSH/PEM); default: one shared by the test servers of this process. */
  hostKey?: string;
}

/** A key pair for public-key logins: `privateKey` for the client, `publicKey` for the server's user list. */
export function generateClientKeyPair(): { privateKey: string; publicKey: string } {
  const pair = readableKeyPair();
  return { privateKey: pair.private, publicKey: pair.public };
}

/**
 * ssh2 1.17's ed25519 key generator drops a leading zero byte of the public key about once in 250 keys, and its own
 * parser then refuses the key ("Malformed OpenSSH private key"): draw again until both halves parse.
 */
function readableKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

const sharedHostKey = readableKeyPair().private;

/** A new host key, for a test server that must look like another machine. */
export function generateHostKey(): string {
  return readableKeyPair().private;
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function statusOf(error: unknown): number {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EACCES':
    case 'EPERM':
      return STATUS_CODE.PERMISSION_DENIED;
    default:
      return STATUS_CODE.FAILURE;
  }
}

function attrsOf(stat: fs.Stats): Attributes {
  return {
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: stat.size,
    atime: Math.floor(stat.atimeMs / 1000),
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

function longnameOf(name: string, stat: fs.Stats): string {
  const type = stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : '-';
  const date = stat.mtime.toISOString().slice(0, 16).replace('T', ' ');
  return `${type}rw-r--r-- 1 cdr cdr ${stat.size} ${date} ${name}`;
}

type OpenHandle = { kind: 'file'; fd: number } | { kind: 'dir'; dir: string; listed: boolean };

export class SftpTestServer {
  readonly root: string;
  readonly host = '127.0.0.1';
  port = 0;
  /** Every SFTP reply waits this long (a slow server). */
  responseDelayMs = 0;
  /** SFTP requests are received but never answered (a stuck server); logins still work. */
  stalled = false;
  /** Called when a client opens a folder to list it (SFTP path), before the entries are read: lets a test change files between two listings. */
  onList: ((folder: string) => void) | null = null;
  /** Successful logins so far. */
  logins = 0;
  /** Refused login attempts so far (password or key). */
  refusedLogins = 0;

  private server: net.Server | null = null;
  private readonly ssh: Server;
  /** The host key fingerprint clients see, as `ssh-keygen -l` prints it ("SHA256:..."). */
  readonly hostKeyFingerprint: string;
  private readonly sockets = new Set<Socket>();
  private readonly ownsRoot: boolean;

  private constructor(private readonly options: SftpTestServerOptions) {
    this.ownsRoot = !options.root;
    this.root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sftp-root-'));
    const hostKey = options.hostKey ?? sharedHostKey;
    this.ssh = new Server({ hostKeys: [hostKey] }, (client) => this.onClient(client));
    const parsed = utils.parseKey(hostKey);
    if (parsed instanceof Error) throw parsed;
    const publicKey = (Array.isArray(parsed) ? parsed[0]! : parsed).getPublicSSH();
    this.hostKeyFingerprint = `SHA256:${createHash('sha256').update(publicKey).digest('base64').replace(/=+$/, '')}`;
  }

  static async start(options: SftpTestServerOptions): Promise<SftpTestServer> {
    const server = new SftpTestServer(options);
    await server.listen(options.port ?? 0);
    return server;
  }

  /** The local file behind an SFTP path ("/cdr/Master.csv"). */
  localPath(sftpPath: string): string {
    const resolved = path.posix.resolve('/', sftpPath);
    return path.join(this.root, ...resolved.split('/').filter(Boolean));
  }

  /** Writes a file (creating its folder), as a PBX would. */
  writeFile(sftpPath: string, content: string | Buffer): void {
    const file = this.localPath(sftpPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  appendFile(sftpPath: string, content: string | Buffer): void {
    fs.appendFileSync(this.localPath(sftpPath), content);
  }

  get running(): boolean {
    return this.server !== null;
  }

  /** Stops listening and drops every connection (a server going down); `listen()` brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async listen(port = this.port): Promise<void> {
    if (this.server) return;
    // Our own TCP server hands sockets to the SSH server, so that stop() can drop them like a crash would.
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.ssh.injectSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    await this.stop();
    if (this.ownsRoot) fs.rmSync(this.root, { recursive: true, force: true });
  }

  private onClient(client: Connection): void {
    client.on('error', () => undefined); // dropped connections are expected in these tests
    client.on('authentication', (ctx) => {
      const user = this.options.users.find((u) => u.username === ctx.username);
      if (user && ctx.method === 'password' && user.password !== undefined && sameText(ctx.password, user.password)) {
        this.logins++;
        return ctx.accept();
      }
      if (user && ctx.method === 'publickey' && user.publicKey) {
        const allowed = utils.parseKey(user.publicKey);
        if (!(allowed instanceof Error) && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH())) {
          if (!ctx.signature || !ctx.blob) return ctx.accept(); // the client asks whether this key would do
          if (allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) {
            this.logins++;
            return ctx.accept();
          }
        }
      }
      if (ctx.method !== 'none') this.refusedLogins++;
      const methods = [...new Set(this.options.users.flatMap((u) => [u.password !== undefined ? 'password' : null, u.publicKey ? 'publickey' : null]))];
      return ctx.reject(methods.filter((m): m is 'password' | 'publickey' => m !== null));
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => this.serveSftp(acceptSftp()));
      });
    });
  }

  private serveSftp(sftp: SFTPWrapper): void {
    const handles = new Map<number, OpenHandle>();
    let nextHandle = 1;
    const handleBuffer = (id: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(id, 0);
      return b;
    };
    const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
    // Every request goes through here: answered at once, later (slow), or never (stalled).
    const reply = (work: () => void) => {
      if (this.stalled) return;
      if (this.responseDelayMs > 0) setTimeout(() => !this.stalled && work(), this.responseDelayMs);
      else work();
    };
    const fail = (reqid: number, error: unknown) => sftp.status(reqid, statusOf(error), (error as Error).message);

    sftp.on('REALPATH', (reqid, given) =>
      reply(() => {
        const resolved = path.posix.resolve('/', given);
        sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
      }),
    );
    const onStat = (reqid: number, given: string, follow: boolean) =>
      reply(() => {
        try {
          const local = this.localPath(given);
          sftp.attrs(reqid, attrsOf(follow ? fs.statSync(local) : fs.lstatSync(local)));
        } catch (error) {
          fail(reqid, error);
        }
      });
    sftp.on('STAT', (reqid, given) => onStat(reqid, given, true));
    sftp.on('LSTAT', (reqid, given) => onStat(reqid, given, false));
    sftp.on('FSTAT', (reqid, handle) =>
      reply(() => {
        const h = handleOf(handle);
        if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
        sftp.attrs(reqid, attrsOf(fs.fstatSync(h.fd)));
      }),
    );
    sftp.on('OPEN', (reqid, given, flags) =>
      reply(() => {
        let mode = 'r';
        if (flags & OPEN_MODE.WRITE) {
          if (flags & OPEN_MODE.APPEND) mode = 'a';
          else if (flags & OPEN_MODE.TRUNC || flags & OPEN_MODE.CREAT) mode = flags & OPEN_MODE.EXCL ? 'wx' : 'w';
          else mode = 'r+';
          if (flags & OPEN_MODE.READ && mode !== 'r+') mode += '+';
        }
        try {
          const fd = fs.openSync(this.localPath(given), mode);
          const id = nextHandle++;
          handles.set(id, { kind: 'file', fd });
          sftp.handle(reqid, handleBuffer(id));
        } catch (error) {
          fail(reqid, error);
        }
      }),
    );
    sftp.on('READ', (reqid, handle, offset, length) =>
      reply(() => {
        const h = handleOf(handle);
        if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
        const buffer = Buffer.alloc(length);
        const read = fs.readSync(h.fd, buffer, 0, length, offset);
        if (read === 0) sftp.status(reqid, STATUS_CODE.EOF);
        else sftp.data(reqid, buffer.subarray(0, read));
      }),
    );
    sftp.on('WRITE', (reqid, handle, offset, data) =>
      reply(() => {
        const h = handleOf(handle);
        if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
        fs.writeSync(h.fd, data, 0, data.length, offset);
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    );
    sftp.on('OPENDIR', (reqid, given) =>
      reply(() => {
        this.onList?.(path.posix.resolve('/', given));
        try {
          const dir = this.localPath(given);
          if (!fs.statSync(dir).isDirectory()) return sftp.status(reqid, STATUS_CODE.FAILURE, 'not a directory');
          const id = nextHandle++;
          handles.set(id, { kind: 'dir', dir, listed: false });
          sftp.handle(reqid, handleBuffer(id));
        } catch (error) {
          fail(reqid, error);
        }
      }),
    );
    sftp.on('READDIR', (reqid, handle) =>
      reply(() => {
        const h = handleOf(handle);
        if (h?.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
        if (h.listed) return sftp.status(reqid, STATUS_CODE.EOF);
        h.listed = true;
        const entries: FileEntry[] = [];
        for (const name of fs.readdirSync(h.dir)) {
          try {
            const stat = fs.lstatSync(path.join(h.dir, name));
            entries.push({ filename: name, longname: longnameOf(name, stat), attrs: attrsOf(stat) });
          } catch {
            // removed while listing
          }
        }
        sftp.name(reqid, entries);
      }),
    );
    sftp.on('CLOSE', (reqid, handle) =>
      reply(() => {
        const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
        const h = handles.get(id);
        if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
        handles.delete(id);
        if (h.kind === 'file') fs.closeSync(h.fd);
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    );
    sftp.on('REMOVE', (reqid, given) =>
      reply(() => {
        try {
          fs.unlinkSync(this.localPath(given));
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (error) {
          fail(reqid, error);
        }
      }),
    );
    sftp.on('RENAME', (reqid, from, to) =>
      reply(() => {
        // SFTP version 3 (as OpenSSH serves it): renaming onto an existing file fails.
        const target = this.localPath(to);
        if (fs.existsSync(target)) return sftp.status(reqid, STATUS_CODE.FAILURE, 'target exists');
        try {
          fs.renameSync(this.localPath(from), target);
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (error) {
          fail(reqid, error);
        }
      }),
    );
    sftp.on('MKDIR', (reqid, given) =>
      reply(() => {
        try {
          fs.mkdirSync(this.localPath(given));
          sftp.status(reqid, STATUS_CODE.OK);
        } catch (error) {
          fail(reqid, error);
        }
      }),
    );
    const acceptAttributes = (reqid: number) => reply(() => sftp.status(reqid, STATUS_CODE.OK));
    sftp.on('SETSTAT', (reqid) => acceptAttributes(reqid));
    sftp.on('FSETSTAT', (reqid) => acceptAttributes(reqid));
    sftp.on('close', () => {
      for (const h of handles.values()) if (h.kind === 'file') fs.closeSync(h.fd);
      handles.clear();
    });
  }
}
