import { z } from 'zod';
import { method } from './contract';
import type { IsoTime } from './common';

/**
 * A file the engine prepared for the caller (an export, a report). Methods that produce files return this ticket:
 * - in a browser, open `url` (relative to the app: `download/<token>`); the session cookie or bearer token is checked;
 * - in the desktop app (no HTTP), read it with `downloads.read` chunk by chunk.
 * A ticket works once (the file is deleted after it was sent whole), only for the account that asked, and expires.
 */
export interface DownloadTicket {
  token: string;
  url: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  expiresAt: IsoTime;
  /** Data rows written (exports). */
  rows?: number;
}

export interface DownloadChunk {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  offset: number;
  base64: string;
  /** True for the last chunk; the ticket is used up then. */
  done: boolean;
}

export const DOWNLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Language of the headings, sheet names, header block and enumerated values (yes/no, status, kinds...) of an export
 * or import template. The clerk's screens pass the language they are read in; API clients that give none get English.
 * Imports read the headings and values of either language.
 */
export const exportLanguage = z.enum(['en', 'zh-CN']).default('en');

export const downloadMethods = {
  'downloads.read': method<DownloadChunk>()({
    input: z.object({
      token: z.string().trim().min(20).max(100),
      offset: z.number().int().min(0).default(0),
    }),
    access: 'session',
    mutation: false,
    summary:
      'Read a prepared file (export) by its ticket, up to 4 MiB per call from `offset`: for clients without HTTP ' +
      'downloads (the desktop window). Browsers open the ticket URL instead.',
    returns: '{ fileName, contentType, sizeBytes, offset, base64, done }',
  }),
} as const;
