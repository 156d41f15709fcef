/**
 * The API server: every route of api.ts over one Supervisor. Each request
 * is validated at the door (route, method, query, size-capped JSON body);
 * every failure becomes an error body with a stable code, so no input can
 * crash the daemon. Only bugs (500) are logged with their stack.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DaemonContext } from './context.js';
import { badRequest, mapError } from './http/errors.js';
import { readJsonBody } from './http/body.js';
import { sendError, sendJson } from './http/reply.js';
import { matchRoute, STREAMED, type Route } from './http/router.js';
import { adminRoutes } from './routes/admin.js';
import { controlRoutes } from './routes/control.js';
import { eventRoutes } from './routes/events.js';
import { logRoutes } from './routes/logs.js';
import { pruneRoutes } from './routes/prune.js';
import { rerunRoutes } from './routes/rerun.js';
import { runRoutes } from './routes/runs.js';
import { waitRoutes } from './routes/wait.js';
import { stackRoutes } from './routes/stacks.js';
import { uiRoutes } from './routes/ui.js';

export function apiRoutes(ctx: DaemonContext): Route[] {
  return [
    ...adminRoutes(ctx),
    ...runRoutes(ctx),
    ...controlRoutes(ctx),
    ...rerunRoutes(ctx),
    ...logRoutes(ctx),
    ...eventRoutes(ctx),
    ...waitRoutes(ctx),
    ...pruneRoutes(ctx),
    ...stackRoutes(ctx),
    ...uiRoutes(ctx),
  ];
}

/** An http.Server answering the API; call listen on it (see socket.ts for the private Unix socket). */
export function createApiServer(ctx: DaemonContext): Server {
  const routes = apiRoutes(ctx);
  const server = createServer((req, res) => void handleRequest(ctx, routes, req, res));
  // A request line or header that does not parse is answered by Node with 400; make sure it is never more than that.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

/**
 * Answer one API request with `routes`; `url` defaults to the request's own
 * (the UI listener passes its `/api` path with the prefix taken off).
 */
export async function handleRequest(
  ctx: DaemonContext,
  routes: readonly Route[],
  req: IncomingMessage,
  res: ServerResponse,
  given?: URL,
): Promise<void> {
  let path = '?';
  try {
    const url = given ?? parseUrl(req.url);
    path = url.pathname;
    const { route, params } = matchRoute(routes, req.method ?? '', url.pathname);
    let body: Promise<unknown> | undefined;
    const result = await route.handler({ req, res, params, query: url.searchParams, body: () => (body ??= readJsonBody(req)) });
    if (result !== STREAMED) sendJson(res, 200, result);
  } catch (err) {
    const mapped = mapError(err);
    if (mapped.internal)
      ctx.log.error('request failed', {
        method: req.method,
        path,
        code: mapped.body.error.code,
        stack: (err as Error)?.stack ?? String(err),
      });
    try {
      sendError(res, mapped);
    } catch {
      res.destroy();
    }
  }
}

export function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://runledger.invalid');
  } catch {
    throw badRequest('malformed request URL');
  }
}
