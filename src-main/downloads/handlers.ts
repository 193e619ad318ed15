/**
 * The two ways a prepared file leaves the engine: `downloads.read` in chunks (the desktop window, which has no HTTP)
 * and `GET /download/<token>` on the web server (see registry.ts).
 */
import type { DomainHandlers } from '../api/call-context';
import type { HttpRoutes } from '../api/routes';
import type { AuthService } from '../auth/service';
import { DOWNLOAD_ROUTE, type DownloadRegistry } from './registry';

/** What downloads.read uses. */
export interface DownloadHandlerDeps {
  downloads: DownloadRegistry;
}

export function downloadHandlers(deps: DownloadHandlerDeps): DomainHandlers<'downloads'> {
  return {
    'downloads.read': (input, ctx) => deps.downloads.read(input.token, input.offset, ctx.user!.id),
  };
}

/** What the download route uses: the web server's routes, the registry, and the sessions it checks. */
export interface DownloadRouteDeps {
  routes: HttpRoutes;
  downloads: DownloadRegistry;
  auth: AuthService;
}

/** `GET /download/<token>` on the web server. */
export function registerDownloadRoute(deps: DownloadRouteDeps): void {
  deps.routes.add({
    method: 'GET',
    path: DOWNLOAD_ROUTE,
    handle: (req, res, url) => deps.downloads.serve(req, res, url, deps.auth),
  });
}
