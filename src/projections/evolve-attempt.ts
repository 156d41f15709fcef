/**
 * The attempt-level parts of the run fold (evolve-run.ts): a fresh attempt,
 * replacing or ending one, when the run ended, how a stop's end is named,
 * and the PROJECTION_BUG every impossible event is reported as.
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { AttemptState, RunState } from './run-state.js';
import { stopOutcome } from './stop-outcome.js';

/** An event the fold cannot apply: thrown as PROJECTION_BUG (the collection fold records an anomaly). */
export function bug(run: RunState | undefined, e: EventEnvelope, why: string): never {
  throw new RunledgerError('PROJECTION_BUG', `${e.type} at position ${e.position} ${why}`, {
    runId: run?.id,
    position: e.position,
    type: e.type,
  });
}

export function newAttempt(n: number): AttemptState {
  return {
    n,
    status: 'running',
    pid: null,
    pgid: null,
    startTime: null,
    bootId: null,
    shimPid: null,
    runtime: null,
    logs: null,
    exitCode: null,
    signal: null,
    startedAt: null,
    endedAt: null,
    readyAt: null,
    endedBy: null,
    finding: null,
    adoptedBy: [],
    signals: [],
    shimLost: null,
    tracking: null,
    tree: null,
    healthyAt: null,
  };
}

/** Replace attempt `n` via `fn`; a missing or already-ended attempt is a bug. */
export function withAttempt(
  run: RunState,
  e: EventEnvelope,
  n: number,
  fn: (a: AttemptState) => AttemptState,
  mustBeLive = true,
): RunState {
  const i = run.attempts.findIndex((a) => a.n === n);
  if (i < 0) bug(run, e, `names attempt ${n}, which was never spawned`);
  const a = run.attempts[i]!;
  if (mustBeLive && a.endedBy) bug(run, e, `names attempt ${n}, already ended by ${a.endedBy}`);
  const attempts = run.attempts.slice();
  attempts[i] = fn(a);
  return { ...run, attempts };
}

/** `patch` may carry a better endedAt than the event's time (ExitRecovered's exitedAt). */
export function endAttempt(a: AttemptState, e: EventEnvelope, status: AttemptState['status'], patch: Partial<AttemptState>): AttemptState {
  return { ...a, status, endedAt: e.time, endedBy: e.type, ...patch };
}

/**
 * A run ends when its last process did. That is the event's time, except
 * after an exit recovered from the shim's record: then the process ended at
 * the record's exitedAt, possibly long before a supervisor came back to see it.
 */
export function runEndedAt(run: RunState, e: EventEnvelope): string {
  const last = run.attempts[run.attempts.length - 1];
  if (last?.endedBy === 'ExitRecovered' && last.endedAt !== null && last.endedAt < e.time) return last.endedAt;
  return e.time;
}

/**
 * A `killed` after a stop is re-asked of stopOutcome: ledgers written before
 * `stopped` existed said `killed` for every user stop; a v2 decider asked the
 * same question of the same events, so its answers come back unchanged.
 */
export function endStatus(
  run: RunState,
  d: { status: RunState['status']; exitCode: number | null; signal: string | null },
): RunState['status'] {
  if (d.status !== 'killed' || !run.stop) return d.status;
  return stopOutcome({ stop: run.stop, attempt: run.attempts[run.attempts.length - 1], exit: d });
}
