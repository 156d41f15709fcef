/**
 * The `events` tool: ledger events, filtered and bounded. From a position it
 * answers the first `limit` (and where to go on); otherwise the latest
 * `limit`, keeping only those in memory however long the ledger is.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { McpContext } from './context.js';
import { toolResult } from './result.js';

export interface EventsArgs {
  run?: string;
  type?: string[];
  from?: number;
  since?: string;
  limit?: number;
}

const DEFAULT_LIMIT = 100;
const SUMMARY_CHARS = 160;

export async function eventsTool(ctx: McpContext, a: EventsArgs): Promise<CallToolResult> {
  const limit = a.limit ?? DEFAULT_LIMIT;
  const abort = new AbortController();
  const kept: EventEnvelope[] = [];
  let seen = 0;
  const filter = { ...(a.run ? { run: a.run } : {}), ...(a.type ? { type: a.type } : {}), ...(a.since ? { since: a.since } : {}) };
  await ctx.api.events(
    { ...filter, ...(a.from !== undefined ? { from: a.from } : {}) },
    (e) => {
      if (abort.signal.aborted) return;
      seen++;
      kept.push(e);
      if (a.from !== undefined) {
        // One past the limit tells that more follow; then stop reading.
        if (kept.length > limit) abort.abort();
      } else if (kept.length > limit) kept.shift();
    },
    abort.signal,
  );
  const more = a.from !== undefined ? kept.length > limit : seen > limit;
  const events = a.from !== undefined ? kept.slice(0, limit) : kept;
  const last = events[events.length - 1];
  const next = last ? last.position + 1 : (a.from ?? null);
  const note = !more
    ? undefined
    : a.from !== undefined
      ? `more events follow: call again with from=${next}`
      : `${seen - limit} earlier event(s) left out: narrow with run/type/since, or page with from`;
  const value = { events, truncated: more, next, ...(note ? { note } : {}) };
  const text = [`${events.length} event(s)`, ...events.map(renderEvent), ...(note ? [`(${note})`] : [])].join('\n');
  return toolResult(value as unknown as Record<string, unknown>, text);
}

function renderEvent(e: EventEnvelope): string {
  const data = JSON.stringify(e.data);
  const summary = data.length > SUMMARY_CHARS ? `${data.slice(0, SUMMARY_CHARS)}…` : data;
  return `#${e.position} ${e.time} ${e.type} ${e.streamId} ${summary}`;
}
