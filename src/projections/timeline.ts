/**
 * A run's history as dated lines for `runledger show` / `events`: one entry
 * per event, in log order. Pure: every word comes from the events themselves,
 * so the same log always renders the same timeline.
 */
import type { EventEnvelope } from '../events/envelope.js';
import { runIdOfStream } from '../events/envelope.js';
import { describeEvent } from './timeline-text.js';
import { evolveRun } from './evolve-run.js';
import type { RunState } from './run-state.js';

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
  const runs = new Map<string, RunState | undefined>();
  for (const e of events) {
    const runId = runIdOfStream(e.streamId) ?? null;
    const folded = runId === null ? undefined : foldAlong(runs, runId, e);
    if (runId === null && !options.supervisor) continue;
    const endStatus = e.type === 'RunEnded' ? folded?.status : undefined;
    const entry: TimelineEntry = { position: e.position, time: e.time, type: e.type, runId, text: describeEvent(e, endStatus) };
    const attempt = attemptOf(e);
    if (attempt !== undefined) entry.attempt = attempt;
    out.push(entry);
  }
  return out;
}

/**
 * The run as folded so far, so a RunEnded reads with the status the run
 * shows (a v1 `killed` after a graceful stop is `stopped`). A history that
 * starts mid-run (`events --from`) has nothing to fold: its words stay literal.
 */
function foldAlong(runs: Map<string, RunState | undefined>, runId: string, e: EventEnvelope): RunState | undefined {
  if (e.type !== 'RunRequested' && !runs.get(runId)) return undefined;
  try {
    const next = evolveRun(runs.get(runId), e);
    runs.set(runId, next);
    return next;
  } catch {
    runs.set(runId, undefined);
    return undefined;
  }
}

function attemptOf(e: EventEnvelope): number | undefined {
  const data = e.data as { attempt?: unknown };
  return typeof data.attempt === 'number' ? data.attempt : undefined;
}
