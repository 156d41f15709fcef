/**
 * GET /api/ui/events — the ledger as Server-Sent Events for the page: every
 * event from `from` (or, after a reconnect, from the browser's
 * `Last-Event-ID` + 1) up to the head, then live, from one store
 * subscription (pull-based: history and live join without a gap or a
 * repeat, because positions are gap-free). Each message's `id` is its
 * position, so EventSource resumes exactly where it was cut off. A client
 * that reads too slowly is cut off, not buffered: it reconnects and resumes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { runIdOfStream, type EventEnvelope } from '../../events/envelope.js';
import { describeEvent } from '../../projections/timeline-text.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, integer, type Query } from '../http/query.js';

const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** What the page gets per event: the envelope without its hashes, plus the timeline's words for it. */
export interface UiLedgerEvent {
  position: number;
  time: string;
  type: string;
  streamId: string;
  runId: string | null;
  data: unknown;
  text: string;
}

export function toUiEvent(e: EventEnvelope): UiLedgerEvent {
  return {
    position: e.position,
    time: e.time,
    type: e.type,
    streamId: e.streamId,
    runId: runIdOfStream(e.streamId) ?? null,
    data: e.data,
    text: describeEvent(e),
  };
}

/** The first position to send: after the last one the browser saw, else `from`, else 1. */
export function resumePosition(query: Query, lastEventId: string | undefined): number {
  allowKeys(query, ['from']);
  if (lastEventId !== undefined && lastEventId !== '') {
    if (!/^\d+$/.test(lastEventId)) throw badRequest('Last-Event-ID must be a ledger position', { header: 'last-event-id' });
    return Number(lastEventId) + 1;
  }
  return integer(query, 'from', 1) ?? 1;
}

export async function streamLedgerEvents(ctx: DaemonContext, req: IncomingMessage, res: ServerResponse, query: Query): Promise<void> {
  const from = resumePosition(query, req.headers['last-event-id'] as string | undefined);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  // Reconnect quickly after a cut: the page resumes from its last id anyway.
  res.write('retry: 1000\n\n');
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      sub?.unsubscribe();
      ctx.openStreams.delete(finish);
      if (!res.writableEnded) res.end();
      resolve();
    };
    ctx.openStreams.add(finish);
    res.on('close', finish);
    sub = ctx.store.subscribeAll({ from }).subscribe({
      next: (e) => {
        if (res.writableLength > MAX_PENDING_BYTES) return finish();
        res.write(`id: ${e.position}\nevent: ledger\ndata: ${JSON.stringify(toUiEvent(e))}\n\n`);
      },
      error: (err: unknown) => {
        ctx.log.warn('ui event stream failed', { message: (err as Error).message });
        finish();
      },
      complete: finish,
    });
  });
}
