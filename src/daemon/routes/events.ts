/**
 * GET /v1/events — `run`, `type` (repeatable, comma lists), `from` (position),
 * `since` (ISO time, or a duration ago like `5m`), `follow=1`. NDJSON
 * envelopes: history up to the head at request time, then (with follow)
 * live events from store.subscribeAll until the client disconnects.
 */
import type { Subscription } from 'rxjs';
import { runStreamId, type EventEnvelope } from '../../events/envelope.js';
import { parseDuration } from '../../supervisor/durations.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, flag, integer, list, text, type Query } from '../http/query.js';
import { NdjsonWriter } from '../http/reply.js';
import { route, STREAMED, type Route } from '../http/router.js';

const MAX_PENDING_BYTES = 16 * 1024 * 1024;

interface EventFilter {
  streamId?: string;
  types?: Set<string>;
  from: number;
  sinceMs?: number;
}

export function eventRoutes(ctx: DaemonContext): Route[] {
  return [
    route('GET', '/v1/events', async ({ query, res }) => {
      allowKeys(query, ['run', 'type', 'from', 'since', 'follow']);
      const f = parseEventFilter(ctx, query);
      const follow = flag(query, 'follow');
      const head = (await ctx.store.head()).position;
      const out = new NdjsonWriter(res);
      const stop = () => out.end();
      ctx.openStreams.add(stop);
      try {
        await writeHistory(ctx, f, head, out);
        if (follow) await writeLive(ctx, f, head + 1, out);
      } finally {
        ctx.openStreams.delete(stop);
        out.end();
      }
      return STREAMED;
    }),
  ];
}

function parseEventFilter(ctx: DaemonContext, q: Query): EventFilter {
  const f: EventFilter = { from: integer(q, 'from', 1) ?? 1 };
  const run = text(q, 'run');
  if (run !== undefined) f.streamId = runStreamId(ctx.supervisor.get(run).id);
  const types = list(q, 'type');
  if (types.length > 0) f.types = new Set(types);
  const since = text(q, 'since');
  if (since !== undefined) f.sinceMs = parseSince(since, ctx.now());
  return f;
}

/** An ISO time, or a duration meaning "that long ago". */
export function parseSince(value: string, now: number): number {
  const asTime = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isNaN(asTime)) return asTime;
  try {
    return now - parseDuration(value, 'since');
  } catch {
    throw badRequest(`since must be an ISO time or a duration like 5m, got ${JSON.stringify(value)}`, { parameter: 'since' });
  }
}

function matches(f: EventFilter, e: EventEnvelope): boolean {
  if (e.position < f.from) return false;
  if (f.streamId !== undefined && e.streamId !== f.streamId) return false;
  if (f.types && !f.types.has(e.type)) return false;
  return f.sinceMs === undefined || Date.parse(e.time) >= f.sinceMs;
}

async function writeHistory(ctx: DaemonContext, f: EventFilter, head: number, out: NdjsonWriter): Promise<void> {
  if (f.streamId !== undefined) {
    // One run's events come from its stream index, not from a scan of the whole log.
    // Records that do not decode are skipped; the daemon's status warnings name them.
    for (const e of await ctx.store.readStream(f.streamId, { onDamaged: () => undefined })) {
      if (out.closed) return;
      if (e.position <= head && matches(f, e)) await out.write(e);
    }
    return;
  }
  for await (const page of ctx.store.scan({ from: f.from, onDamaged: () => undefined })) {
    for (const e of page) {
      // Breaking out closes the scan's iterator.
      if (e.position > head || out.closed) return;
      if (matches(f, e)) await out.write(e);
    }
  }
}

function writeLive(ctx: DaemonContext, f: EventFilter, from: number, out: NdjsonWriter): Promise<void> {
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    const finish = () => {
      // Unsubscribing ends the store's catch-up loop for this follower.
      sub?.unsubscribe();
      resolve();
    };
    sub = ctx.store.subscribeAll({ from: Math.max(from, f.from) }).subscribe({
      next: (e) => {
        if (!matches(f, e)) return;
        if (out.pendingBytes > MAX_PENDING_BYTES) {
          out.fail({ code: 'BAD_REQUEST', message: 'event follower too slow: stream cut off' });
          return finish();
        }
        out.writeNow(e);
      },
      error: (err: unknown) => {
        ctx.log.warn('event follow failed', { message: (err as Error).message });
        finish();
      },
      complete: finish,
    });
    out.onClose(finish);
  });
}
