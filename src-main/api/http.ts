import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseCookies } from 'cookie';
import sirv from 'sirv';
import { api, isMethodName } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api/errors';
import type { LoginResult } from '../../src-shared/api/auth';
import { deliverable } from '../events';
import type { AuthService } from '../auth/service';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { Caller } from './call-context';
import type { Dispatcher } from './dispatcher';
import type { HttpRoutes } from './routes';

/** What the web server uses besides the dispatcher. */
export interface HttpTransportDeps {
  /** The built UI it serves (absent: the API only). */
  config: { rendererDir?: string };
  auth: AuthService;
  events: EventBus;
  log: Logger;
  routes: HttpRoutes;
  now(): number;
}

export const SESSION_COOKIE = 'billing_session';
/** Custom header the UI sends on cookie-authenticated calls; a cross-site form or fetch cannot set it without CORS. */
export const CLIENT_HEADER = 'x-billing-client';
const DEFAULT_MAX_BODY = 1024 * 1024;
/** A body refused unread is drained (keeping the connection) only up to this size; beyond it the connection closes. */
const DRAIN_MAX_BYTES = 64 * 1024;
const SSE_HEARTBEAT_MS = 25_000;

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export interface HttpOptions {
  host: string;
  port: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** Reads a request body up to `max` bytes; throws 413 beyond that (without buffering the rest). */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    throw ApiError.keyed('payload_too_large', 'api.tooLarge', `The body is ${declared} bytes; at most ${max} are accepted here.`, { max });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw ApiError.keyed('payload_too_large', 'api.tooLarge', `The body is larger than ${max} bytes.`, { max });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** True for 127.0.0.0/8, ::1 and localhost (names as in a Host header, without the port). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The host name of a Host header ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:8080" -> "[::1]"). */
function hostOf(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

/** A percent-encoded path segment decoded, or the text as it came when its encoding is malformed ("%E0%A4%A"). */
export function decodePathPart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function remoteAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders };
  const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (err.code === 'throttled' && retry) headers['Retry-After'] = String(retry);
  if (err.code === 'payload_too_large') headers.Connection = 'close';
  sendJson(res, err.status, { error: err.toBody() }, headers);
}

/**
 * The HTTP transport: `POST /api/<method>` (JSON), `GET /api/events` (server-sent events), the routes domains register
 * (billing interface), and the built UI.
 */
export class HttpTransport {
  private server?: http.Server | https.Server;
  private readonly streams = new Set<ServerResponse>();
  private readonly serveStatic?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

  constructor(
    private readonly services: HttpTransportDeps,
    private readonly dispatcher: Dispatcher,
    private readonly options: HttpOptions,
  ) {
    const dir = services.config.rendererDir;
    if (dir && fs.existsSync(path.join(dir, 'index.html'))) {
      this.serveStatic = sirv(dir, {
        single: true,
        etag: true,
        setHeaders: (res, pathname) => {
          for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
          res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
          res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    } else if (dir) {
      services.log.warn('The user interface is not built; only the API is served', { rendererDir: dir });
    }
  }

  get tls(): boolean {
    return Boolean(this.options.tls);
  }

  /** The address the server listens on, e.g. http://127.0.0.1:8080 */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) return '';
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `${this.tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        this.services.log.error('HTTP request failed', { url: req.url, error: err });
        if (!res.headersSent) sendError(res, new ApiError('internal', 'Internal error.'));
        else res.destroy();
      });
    };
    const server = this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler);
    server.headersTimeout = 30_000;
    server.requestTimeout = 300_000;
    server.keepAliveTimeout = 10_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    for (const res of this.streams) res.end();
    this.streams.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    // A server bound to loopback answers only requests addressed to a loopback name: a web page whose own name was
    // re-pointed at 127.0.0.1 (DNS rebinding) would otherwise reach it as same-origin from the user's browser.
    if (isLoopback(this.options.host) && req.headers.host !== undefined && !isLoopback(hostOf(req.headers.host))) {
      return sendError(res, ApiError.keyed('forbidden', 'api.wrongHost', `Refused: this server answers at 127.0.0.1 or localhost, not at "${req.headers.host.slice(0, 100)}".`));
    }

    if (path === '/api/events') return this.events(req, res);
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') {
        return sendError(res, ApiError.keyed('method_not_found', 'api.methodNotFound', 'API methods are called with POST /api/<method>.'));
      }
      return this.apiCall(req, res, decodePathPart(path.slice('/api/'.length)));
    }
    const route = this.services.routes.find(req.method ?? 'GET', path);
    if (route) return route.handle(req, res, url);
    if (this.serveStatic && (req.method === 'GET' || req.method === 'HEAD')) {
      return this.serveStatic(req, res, () => sendJson(res, 404, { error: { code: 'not_found', message: 'Not found' } }));
    }
    sendJson(res, 404, { error: { code: 'not_found', message: `Nothing at ${path}` } });
  }

  /** Token from `Authorization: Bearer`, else from the session cookie (flagged, for the cross-site checks). */
  private credentials(req: IncomingMessage): { token?: string; viaCookie: boolean } {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), viaCookie: false };
    const cookies = req.headers.cookie ? parseCookies(req.headers.cookie) : {};
    const token = cookies[SESSION_COOKIE];
    return token ? { token, viaCookie: true } : { viaCookie: false };
  }

  /** Cross-site request protection for cookie-authenticated calls (SameSite=Strict is the first line). */
  private crossSiteProblem(req: IncomingMessage, requireClientHeader: boolean): string | null {
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none') return `cross-site request (${site})`;
    const origin = req.headers.origin;
    if (origin && origin !== 'null') {
      const host = req.headers.host;
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        return 'malformed Origin header';
      }
      if (originHost !== host) return `request from another origin (${origin})`;
    } else if (origin === 'null') {
      return 'request from an opaque origin';
    }
    if (requireClientHeader && req.headers[CLIENT_HEADER] === undefined) return `missing ${CLIENT_HEADER} header`;
    return null;
  }

  private async apiCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    let bodyRead = false;
    try {
      if (!isMethodName(name)) throw ApiError.keyed('method_not_found', 'api.methodNotFound', `There is no method "${name}".`, { method: name });
      const spec = api[name];
      const contentType = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(contentType)) {
        throw ApiError.keyed('unsupported_media_type', 'api.notJson', 'Send the input as JSON (Content-Type: application/json).');
      }
      const { token, viaCookie } = this.credentials(req);
      if (viaCookie || spec.access === 'public') {
        const problem = this.crossSiteProblem(req, viaCookie);
        if (problem) throw ApiError.keyed('forbidden', 'api.crossSite', `Refused: ${problem}.`);
      }
      // Who is calling is known before the body is read: an anonymous caller (or a role the method is not for) must
      // not make the engine hold a large body in memory. The dispatcher checks again with the input.
      if (spec.access !== 'public') {
        const session = this.services.auth.authenticate(token, { touch: false });
        if (!session) throw ApiError.keyed('unauthenticated', 'api.loginFirst', 'Log in first (no valid session).');
        if (Array.isArray(spec.access) && !spec.access.includes(session.user.role)) {
          throw ApiError.keyed('forbidden', 'api.roleRefused', `Role ${session.user.role} may not call ${name}.`, { role: session.user.role, method: name });
        }
      }
      const body = await readBody(req, spec.maxBodyBytes ?? DEFAULT_MAX_BODY);
      bodyRead = true;
      let input: unknown = {};
      if (body.length) {
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          throw ApiError.keyed('invalid_input', 'api.notJson', 'The body is not valid JSON.');
        }
      }
      const caller: Caller = {
        transport: 'http',
        address: remoteAddress(req),
        ...(token ? { token } : {}),
        ...(req.headers['user-agent'] ? { userAgent: String(req.headers['user-agent']).slice(0, 300) } : {}),
      };
      const result = await this.dispatcher.call(name, input, caller);
      const headers: Record<string, string> = {};
      if (name === 'auth.login') {
        const login = result as LoginResult;
        headers['Set-Cookie'] = this.sessionCookie(login.token, Date.parse(login.expiresAt) - this.services.now());
      } else if (name === 'auth.logout') {
        headers['Set-Cookie'] = this.sessionCookie('', 0);
      }
      sendJson(res, 200, result ?? null, headers);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError('internal', 'Internal error.');
      if (!(err instanceof ApiError)) this.services.log.error('API transport failure', { method: name, error: err });
      // Drain what the client is still sending so the error reaches it and the connection can be used again, unless
      // it is oversized or a large body was refused before it was read: then the connection is closed instead.
      const declared = Number(req.headers['content-length']);
      const drain = apiErr.code !== 'payload_too_large' && (bodyRead || (Number.isFinite(declared) && declared <= DRAIN_MAX_BYTES));
      if (drain) req.resume();
      sendError(res, apiErr, drain ? {} : { Connection: 'close' });
    }
  }

  private sessionCookie(token: string, maxAgeMs: number): string {
    const parts = [
      `${SESSION_COOKIE}=${token}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
    ];
    if (this.tls) parts.push('Secure');
    return parts.join('; ');
  }

  /** Server-sent events for the session's account; ends when the session does. */
  private events(req: IncomingMessage, res: ServerResponse): void {
    const { token } = this.credentials(req);
    const session = this.services.auth.authenticate(token);
    if (!session) return sendError(res, ApiError.keyed('unauthenticated', 'api.loginFirst', 'Log in first (no valid session).'));
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    res.write('retry: 3000\n\n');
    const who = { role: session.user.role, accountId: session.user.id, sessionId: session.sessionId, enterpriseId: session.enterpriseId };
    const unsubscribe = this.services.events.subscribe((message, audience) => {
      // An enterprise session hears nothing about other enterprises (src-main/events.ts).
      if (!deliverable(message, audience, who)) return;
      res.write(`event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`);
      if (message.event === 'session.ended') res.end();
    });
    const heartbeat = setInterval(() => {
      // A heartbeat must not keep an idle session alive: peek without touching.
      if (!this.services.auth.authenticate(token, { touch: false })) {
        res.write(`event: session.ended\ndata: ${JSON.stringify({ reason: 'expired' })}\n\n`);
        res.end();
        return;
      }
      res.write(': heartbeat\n\n');
    }, SSE_HEARTBEAT_MS);
    heartbeat.unref();
    this.streams.add(res);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(res);
    };
    res.on('close', close);
  }
}
