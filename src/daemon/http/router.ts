/**
 * A table of routes: method + path pattern -> handler. Unknown paths are
 * 404, a known path with another method is 405 (with Allow), both BAD_REQUEST.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors.js';
import type { Query } from './query.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path parameters, in pattern order. */
  params: string[];
  query: Query;
  /** The JSON body (size-capped); undefined when empty. */
  body(): Promise<unknown>;
}

/** Returned by handlers that wrote their own (streamed) answer. */
export const STREAMED = Symbol('streamed');

export type Handler = (ctx: RouteContext) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST';
  /** Anchored; capture groups become params. */
  pattern: RegExp;
  handler: Handler;
}

export function route(method: Route['method'], path: string, handler: Handler): Route {
  // `:name` matches one non-empty segment.
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-zA-Z]+/g, '([^/]+)');
  return { method, pattern: new RegExp(`^${source}$`), handler };
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: string[] } {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    if (r.method === method) return { route: r, params: m.slice(1).map(decodeSegment) };
    allowed.push(r.method);
  }
  if (allowed.length > 0) throw badRequest(`${method} is not allowed on ${pathname} (allowed: ${allowed.join(', ')})`, { allowed }, 405);
  throw badRequest(`no such API route: ${method} ${pathname}`, { method, path: pathname }, 404);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`malformed path segment ${JSON.stringify(s)}`);
  }
}
