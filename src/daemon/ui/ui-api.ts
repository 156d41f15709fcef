/**
 * The part of the daemon's API the page may use, under `/api` on the UI
 * listener: reads, the ledger's verify, and stop / restart / rerun. Not
 * start (a page must not run arbitrary commands), shutdown, interrupt,
 * reconcile, export or attach. The routes are the daemon's own (one
 * implementation, one set of checks); this only chooses among them.
 */
import type { DaemonContext } from '../context.js';
import type { Route } from '../http/router.js';
import { apiRoutes } from '../server.js';

/** A sample request per allowed route: a route is allowed when its pattern matches one with its method. */
const ALLOWED: readonly (readonly ['GET' | 'POST', string])[] = [
  ['GET', '/v1/status'],
  ['GET', '/v1/runs'],
  ['GET', '/v1/runs/ID'],
  ['GET', '/v1/runs/ID/logs'],
  ['POST', '/v1/runs/ID/stop'],
  ['POST', '/v1/runs/ID/restart'],
  ['POST', '/v1/runs/ID/rerun'],
  ['GET', '/v1/events'],
  ['GET', '/v1/replay'],
  ['GET', '/v1/verify'],
];

export const UI_API_PREFIX = '/api';

export function uiApiRoutes(ctx: DaemonContext): Route[] {
  return apiRoutes(ctx).filter((r) => ALLOWED.some(([method, sample]) => r.method === method && r.pattern.test(sample)));
}
