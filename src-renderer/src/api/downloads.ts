import type { DownloadTicket } from '../../../src-shared/api/downloads';
import { call, transportKind } from './client';

/** Hands a file to the browser's or the desktop's save flow, without keeping it in a page. */
function saveThroughLink(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Saves a file the engine prepared (an export). In a browser the ticket URL streams it straight to disk with the
 * session cookie; the desktop window has no HTTP, so it reads the file over IPC in chunks (`downloads.read`) and
 * saves the assembled Blob. A ticket works once.
 */
export async function saveDownload(ticket: DownloadTicket): Promise<void> {
  if (transportKind() === 'http') {
    saveThroughLink(ticket.url, ticket.fileName);
    return;
  }
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await call('downloads.read', { token: ticket.token, offset });
    const bytes = base64ToBytes(chunk.base64);
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done || bytes.length === 0) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: ticket.contentType }));
  saveThroughLink(url, ticket.fileName);
  // The save flow has taken the data by then; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
