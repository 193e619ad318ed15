/**
 * Files the engine prepared for one caller (exports of logs, CDRs, statistics). A method writes the file under
 * `newFile()`, then `offer()`s it and returns the DownloadTicket:
 *
 *   const file = deps.downloads.newFile('xlsx');
 *   const { rows } = await writeTableExport({ ...spec, file }, batches);
 *   return deps.downloads.offer({ file, fileName: 'cdrs-20260302.xlsx', contentType: XLSX_TYPE, owner: ctx, rows });
 *
 * Browsers fetch `GET /download/<token>` (session cookie or bearer of the same account); the desktop window, which has
 * no HTTP, reads it with `downloads.read`. A ticket works once, expires after TICKET_TTL_MS unused, and its file is
 * deleted when it has been sent whole, when it expires, and when the engine stops.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parse as parseCookies } from 'cookie';
import { isoTime } from '../../src-shared/api/common';
import { DOWNLOAD_CHUNK_BYTES, type DownloadChunk, type DownloadTicket } from '../../src-shared/api/downloads';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { CallContext } from '../api/call-context';
import { decodePathPart, SECURITY_HEADERS, SESSION_COOKIE, sendError } from '../api/http';
import type { AuthService } from '../auth/service';
import type { Logger } from '../log';
import { problem } from '../../src-shared/api/messages';

export const TICKET_TTL_MS = 10 * 60_000;
export const DOWNLOAD_ROUTE = '/download/';

/** What a method that prepares a file uses of the registry. */
export type DownloadOffers = Pick<DownloadRegistry, 'newFile' | 'offer'>;

interface Offer {
  file: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  accountId: number;
  expiresAt: number;
  /** Set while a browser download streams it (it cannot be taken twice). */
  taken: boolean;
}

export interface OfferInput {
  file: string;
  fileName: string;
  contentType: string;
  /** The call whose account may fetch it. */
  owner: Pick<CallContext, 'user'>;
  rows?: number;
}

/** `Content-Disposition` with an ASCII fallback and the real (possibly Chinese) name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** What the registry uses: the folder its files live in (emptied at start and stop), the clock, the log. */
export interface DownloadRegistryDeps {
  dir: string;
  now(): number;
  log: Logger;
}

export class DownloadRegistry {
  private readonly offers = new Map<string, Offer>();
  private sweeper?: NodeJS.Timeout;
  private readonly dir: string;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(deps: DownloadRegistryDeps) {
    this.dir = deps.dir;
    this.now = () => deps.now();
    this.log = deps.log;
    // Files left by a previous run (crash) are no one's any more.
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** A fresh path in the downloads folder for a file about to be written. */
  newFile(extension: string): string {
    return path.join(this.dir, `${randomBytes(12).toString('hex')}.${extension}`);
  }

  offer(input: OfferInput): DownloadTicket {
    if (!input.owner.user) throw new Error('a download needs the account that asked for it');
    const token = randomBytes(24).toString('base64url');
    const sizeBytes = fs.statSync(input.file).size;
    const expiresAt = this.now() + TICKET_TTL_MS;
    this.offers.set(token, {
      file: input.file,
      fileName: input.fileName,
      contentType: input.contentType,
      sizeBytes,
      accountId: input.owner.user.id,
      expiresAt,
      taken: false,
    });
    return {
      token,
      url: `${DOWNLOAD_ROUTE.slice(1)}${token}`,
      fileName: input.fileName,
      contentType: input.contentType,
      sizeBytes,
      expiresAt: isoTime(expiresAt),
      ...(input.rows !== undefined ? { rows: input.rows } : {}),
    };
  }

  private find(token: string, accountId: number): Offer {
    const offer = this.offers.get(token);
    if (!offer || offer.taken || offer.expiresAt <= this.now() || offer.accountId !== accountId) {
      // One answer for all cases: a guessed or someone else's token learns nothing.
      throw ApiError.keyed('not_found', 'api.downloadGone', 'This download does not exist, was already fetched, or has expired; export again.');
    }
    return offer;
  }

  private discard(token: string): void {
    const offer = this.offers.get(token);
    this.offers.delete(token);
    if (offer) fs.rm(offer.file, { force: true }, () => undefined);
  }

  /** `downloads.read`: one chunk from `offset`; the last chunk uses the ticket up. */
  async read(token: string, offset: number, accountId: number): Promise<DownloadChunk> {
    const offer = this.find(token, accountId);
    if (offset > offer.sizeBytes) {
      throw ApiError.keyed('invalid_input', 'api.invalidField', `offset ${offset} is past the end of the file (${offer.sizeBytes} bytes)`, { field: 'offset' },
        fieldDetails({ offset: problem('zod.too_big.number', `must be at most ${offer.sizeBytes}`, { maximum: offer.sizeBytes }) }),
      );
    }
    const length = Math.min(DOWNLOAD_CHUNK_BYTES, offer.sizeBytes - offset);
    const buffer = Buffer.alloc(length);
    const fh = await fs.promises.open(offer.file, 'r');
    try {
      await fh.read(buffer, 0, length, offset);
    } finally {
      await fh.close();
    }
    const done = offset + length >= offer.sizeBytes;
    if (done) this.discard(token);
    else offer.expiresAt = this.now() + TICKET_TTL_MS;
    return { fileName: offer.fileName, contentType: offer.contentType, sizeBytes: offer.sizeBytes, offset, base64: buffer.toString('base64'), done };
  }

  /** `GET /download/<token>` for browsers: checks the session (bearer or cookie) and streams the file once. */
  async serve(req: IncomingMessage, res: ServerResponse, url: URL, auth: AuthService): Promise<void> {
    const token = decodePathPart(url.pathname.slice(DOWNLOAD_ROUTE.length));
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none') {
      return sendError(res, ApiError.keyed('forbidden', 'api.crossSite', `Refused: cross-site request (${site}).`));
    }
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
    const session = auth.authenticate(bearer ?? cookie);
    if (!session) return sendError(res, ApiError.keyed('unauthenticated', 'api.loginFirst', 'Log in first (no valid session).'));
    let offer: Offer;
    try {
      offer = this.find(token, session.user.id);
    } catch (err) {
      return sendError(res, err as ApiError);
    }
    offer.taken = true;
    res.writeHead(200, {
      'Content-Type': offer.contentType,
      'Content-Length': offer.sizeBytes,
      'Content-Disposition': contentDisposition(offer.fileName),
      'Cache-Control': 'no-store',
      ...SECURITY_HEADERS,
    });
    const stream = fs.createReadStream(offer.file);
    stream.pipe(res);
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      stream.once('error', (err) => {
        this.log.error('Download failed while sending', { fileName: offer.fileName, error: err });
        res.destroy();
        resolve();
      });
    });
    this.discard(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, offer] of this.offers) if (!offer.taken && offer.expiresAt <= now) this.discard(token);
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.offers.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
