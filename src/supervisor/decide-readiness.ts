/**
 * The readiness deciders: a ready report, a checkpoint, and a failed ready
 * check (which stops the attempt so its exit applies the restart policy).
 * Pure, like decide.ts, from which they were split.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import { capCheckpoint, capLine, capTail, TAIL_LINE_BYTES } from '../events/evidence-caps.js';
import type { RunState } from '../projections/run-state.js';
import { attemptOf, decideStop, isLive } from './decide.js';

type Events = RunledgerEvent[];

export interface ReadyFacts {
  attempt: number;
  via: 'line' | 'port' | 'socket' | 'protocol';
  detail?: string | undefined;
}

export function decideReady(run: RunState, facts: ReadyFacts): Events {
  const { attempt, via, detail } = facts;
  // After a readiness failure the attempt is being stopped: a late ready line does not undo that.
  if (!isLive(run, attempt) || attemptOf(run, attempt)?.readyAt || run.readinessFailure) return [];
  return [{ type: 'ProcessReady', data: { attempt, via, ...(detail === undefined ? {} : { detail }) } }];
}

export function decideCheckpoint(run: RunState, attempt: number, checkpoint: unknown): Events {
  if (!isLive(run, attempt)) return [];
  // The child writes this payload: bounded here, the last stop before the permanent log.
  return [{ type: 'Checkpointed', data: { attempt, checkpoint: capCheckpoint(checkpoint) } }];
}

export type ReadinessFailure = 'timeout' | 'exited' | 'port-held';

/** The live attempt failed its ready check: a failed attempt, stopped; its exit then applies the restart policy. */
export interface ReadinessFailedFacts {
  attempt: number;
  reason: ReadinessFailure;
  message: string;
  stderrTail: string[];
}

export function decideReadinessFailed(run: RunState, facts: ReadinessFailedFacts, now: number): Events {
  const { attempt, reason, message, stderrTail } = facts;
  // run.readinessFailure is the live attempt's own (the fold clears it at each spawn).
  if (!isLive(run, attempt) || run.readinessFailure) return [];
  const data = { attempt, reason, message: capLine(message, TAIL_LINE_BYTES), stderrTail: capTail(stderrTail) };
  const failed: RunledgerEvent = { type: 'ReadinessFailed', data };
  if (reason === 'exited' || run.stop) return [failed];
  return [failed, ...decideStop(run, { reason: 'readiness', force: false }, now)];
}
