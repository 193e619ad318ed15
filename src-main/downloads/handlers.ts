import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import { DOWNLOAD_ROUTE } from './downloads';

export function downloadHandlers(s: Services): DomainHandlers<'downloads'> {
  return {
    'downloads.read': (input, ctx) => s.downloads.read(input.token, input.offset, ctx.user!.id),
  };
}

/** `GET /download/<token>` on the web server (see downloads.ts). */
export function registerDownloadRoute(s: Services): void {
  s.routes.add({
    method: 'GET',
    path: DOWNLOAD_ROUTE,
    handle: (req, res, url) => s.downloads.serve(req, res, url, s.auth),
  });
}
