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
  // Unfiltered, the latest `limit` are the positions just before the head: read only those (and one more, to know if there are more).
  const start = a.from ?? (Object.keys(filter).length === 0 ? await latestWindow(ctx, limit) : undefined);
  await ctx.api.events(
    { ...filter, ...(start !== undefined ? { from: start } : {}) },
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
      : `${start !== undefined ? events[0]!.position - 1 : seen - limit} earlier event(s) left out: narrow with run/type/since, or page with from`;
  const value = { events, truncated: more, next, ...(note ? { note } : {}) };
  const text = [`${events.length} event(s)`, ...events.map(renderEvent), ...(note ? [`(${note})`] : [])].join('\n');
  return toolResult(value as unknown as Record<string, unknown>, text);
}

async function latestWindow(ctx: McpContext, limit: number): Promise<number> {
  const { position } = await ctx.api.list({ limit: 1 });
  return Math.max(1, position - limit);
}

function renderEvent(e: EventEnvelope): string {
  const data = JSON.stringify(e.data);
  const summary = data.length > SUMMARY_CHARS ? `${data.slice(0, SUMMARY_CHARS)}…` : data;
  return `#${e.position} ${e.time} ${e.type} ${e.streamId} ${summary}`;
}
