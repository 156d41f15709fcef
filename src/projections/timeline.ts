/**
 * A run's history as dated lines for `runledger show` / `events`: one entry
 * per event, in log order. Pure: every word comes from the events themselves,
 * so the same log always renders the same timeline.
 */
import type { EventEnvelope } from '../events/envelope.js';
import { runIdOfStream } from '../events/envelope.js';
import { describeEvent } from './timeline-text.js';

export interface TimelineEntry {
  position: number;
  /** The event's own time (ISO-8601). */
  time: string;
  type: string;
  /** The run the event belongs to; null for supervisor-stream events. */
  runId: string | null;
  /** The process attempt the event is about, when it names one. */
  attempt?: number;
  text: string;
}

export interface TimelineOptions {
  /** Keep supervisor-stream events (daemon lifecycle, reconcile reports): for a global timeline. Default false. */
  supervisor?: boolean;
}

/** Render events (already in position order) as timeline entries. */
export function timelineOf(events: readonly EventEnvelope[], options: TimelineOptions = {}): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const runId = runIdOfStream(e.streamId) ?? null;
    if (runId === null && !options.supervisor) continue;
    const entry: TimelineEntry = { position: e.position, time: e.time, type: e.type, runId, text: describeEvent(e) };
    const attempt = attemptOf(e);
    if (attempt !== undefined) entry.attempt = attempt;
    out.push(entry);
  }
  return out;
}

function attemptOf(e: EventEnvelope): number | undefined {
  const data = e.data as { attempt?: unknown };
  return typeof data.attempt === 'number' ? data.attempt : undefined;
}
