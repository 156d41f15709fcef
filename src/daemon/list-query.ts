/**
 * ListQuery <-> query string, the encoding GET /v1/runs and GET /v1/replay
 * accept. The CLI encodes with this so both sides agree by construction.
 * Also the plain `?k=v` strings both clients of the socket (the CLI and the
 * MCP server) put on their other requests. Types only at import time: safe
 * on the CLI's fast path.
 *
 * all=1 · status=a,b · label=k=v (repeat) · slot · key · batch ·
 * session, turn, toolCall, terminal, extension, hook · limit
 */
import type { ListQuery } from './api.js';

export const OWNER_QUERY_KEYS = ['session', 'turn', 'toolCall', 'terminal', 'extension', 'hook'] as const;
export const LIST_QUERY_KEYS = ['all', 'status', 'label', 'slot', 'key', 'batch', 'limit', ...OWNER_QUERY_KEYS] as const;

export function encodeListQuery(query: ListQuery, into = new URLSearchParams()): URLSearchParams {
  if (query.all) into.set('all', '1');
  if (query.status && query.status.length > 0) into.set('status', query.status.join(','));
  for (const [k, v] of Object.entries(query.label ?? {})) into.append('label', `${k}=${v}`);
  if (query.slot !== undefined) into.set('slot', query.slot);
  if (query.key !== undefined) into.set('key', query.key);
  if (query.batch !== undefined) into.set('batch', query.batch);
  for (const k of OWNER_QUERY_KEYS) {
    const v = query.owner?.[k];
    if (v !== undefined) into.set(k, v);
  }
  if (query.limit !== undefined) into.set('limit', String(query.limit));
  return into;
}

/** `?a=1&b=2` of the given parameters, undefined ones left out; '' when none. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((kv): kv is [string, string | number] => kv[1] !== undefined);
  return searchString(new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])));
}

/** `?` and the parameters, or '' when there are none. */
export function searchString(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `?${text}` : '';
}
