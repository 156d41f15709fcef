/**
 * The UI listener: an HTTP server on 127.0.0.1 serving the page, its JSON
 * API (`/api/v1/…`, see ui-api.ts), the ledger as Server-Sent Events
 * (`/api/ui/events`) and `/metrics`. Every request passes ui-auth.ts first
 * (Host, Origin, token). The first load with `?token=` sets the HttpOnly,
 * SameSite=Strict cookie and redirects to `/`, so the token leaves the
 * address bar and the history.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DaemonContext } from '../context.js';
import type { Route } from '../http/router.js';
import { mapError } from '../http/errors.js';
import { sendError } from '../http/reply.js';
import { handleRequest, parseUrl } from '../server.js';
import { streamLedgerEvents } from './ledger-sse.js';
import type { MetricsEndpoint } from './metrics.js';
import { readUiAsset } from './static-assets.js';
import { UI_API_PREFIX, uiApiRoutes } from './ui-api.js';
import { checkUiRequest, uiCookieName, type UiListenerIdentity } from './ui-auth.js';

/** The page may load only what this listener serves, and may not be framed. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export interface UiServerParts {
  identity: () => UiListenerIdentity;
  metrics: () => Promise<MetricsEndpoint>;
}

export function createUiServer(ctx: DaemonContext, parts: UiServerParts): Server {
  const routes = uiApiRoutes(ctx);
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    void answer(ctx, routes, parts, req, res).catch((err: unknown) => {
      ctx.log.error('ui request failed', { path: req.url?.split('?')[0], stack: (err as Error)?.stack ?? String(err) });
      if (!res.headersSent) sendText(res, 500, 'internal error (see the daemon log)');
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function answer(ctx: DaemonContext, routes: Route[], parts: UiServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseUrl(req.url);
  const self = parts.identity();
  const auth = checkUiRequest(
    {
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
      cookie: req.headers.cookie,
      authorization: req.headers.authorization,
      queryToken: url.searchParams.get('token'),
    },
    self,
  );
  if (!auth.ok) return sendJson(res, auth.status, { error: { code: auth.code, message: auth.message } });
  const path = url.pathname;
  if (auth.via === 'query') {
    // Trade the token in the URL for the cookie, and take it out of the address bar.
    res.setHeader('set-cookie', `${uiCookieName(self.port)}=${self.token}; HttpOnly; SameSite=Strict; Path=/`);
    const rest = new URLSearchParams(url.searchParams);
    rest.delete('token');
    res.writeHead(303, { location: path + (rest.size > 0 ? `?${rest}` : '') });
    return void res.end();
  }
  if (path === '/metrics' && req.method === 'GET') {
    const metrics = await parts.metrics();
    const body = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType });
    return void res.end(body);
  }
  if (path === `${UI_API_PREFIX}/ui/events` && req.method === 'GET') {
    try {
      return await streamLedgerEvents(ctx, req, res, url.searchParams);
    } catch (err) {
      // A bad query or Last-Event-ID is refused before the stream's headers go out.
      const mapped = mapError(err);
      if (mapped.internal) throw err;
      return sendError(res, mapped);
    }
  }
  if (path.startsWith(`${UI_API_PREFIX}/`)) {
    const inner = new URL(url);
    inner.pathname = path.slice(UI_API_PREFIX.length);
    return handleRequest(ctx, routes, req, res, inner);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
  let asset;
  try {
    asset = await readUiAsset(path);
  } catch {
    return sendText(res, 503, 'the page was not built: run `npm run build` in the runledger package');
  }
  if (!asset) return sendText(res, 404, 'not found');
  res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
