import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * HTTP routes outside `/api` (the CDR billing interface `/cdr/...`, downloads). Domains register them on start-up;
 * the HTTP transport tries them before serving the UI.
 */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** Matches the request path exactly or as a prefix when it ends with '/'. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

export class HttpRoutes {
  private routes: HttpRoute[] = [];

  add(route: HttpRoute): void {
    this.routes.push(route);
  }

  /** An exact path first, then the first prefix (`POST /cdr/authorize` before `POST /cdr/<format>`). */
  find(method: string, pathname: string): HttpRoute | undefined {
    return (
      this.routes.find((r) => r.method === method && !r.path.endsWith('/') && pathname === r.path) ??
      this.routes.find((r) => r.method === method && r.path.endsWith('/') && pathname.startsWith(r.path))
    );
  }
}
