/**
 * What reconcile records for a run whose log stops short of a decision the
 * supervisor would have appended (pure). Reconcile's findings about a live
 * attempt (adopt, recovered exit, stale, unknown) are decided in decide.ts.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { RunState } from '../projections/run-state.js';
import { decideAfterAttempt } from './outcome.js';
import { nothingRunningReason, statusForStop } from './stop-status.js';

/** RunRequested was recorded, but neither a spawn nor a trace of one: nobody can say what happened. */
export function decideSpawnNeverRecorded(run: RunState): RunledgerEvent[] {
  if (run.attempts.length > 0) return [];
  return [
    {
      type: 'RunEnded',
      data: {
        status: 'unknown',
        reason: 'the supervisor stopped before the spawn of attempt 1 was recorded',
        exitCode: null,
        signal: null,
      },
    },
  ];
}

/**
 * The supervisor appends an attempt's end and what follows it (RunEnded or
 * RestartScheduled) in one batch, so this only happens to a ledger written
 * otherwise; the run must still not stay "active" forever.
 */
export function decideAfterLostDecision(run: RunState, now: number): RunledgerEvent[] {
  const last = run.attempts[run.attempts.length - 1];
  if (!last) {
    const reason = run.stop?.reason ?? 'user';
    return [
      {
        type: 'RunEnded',
        data: { status: statusForStop(reason), reason: nothingRunningReason(reason, 0), exitCode: null, signal: null },
      },
    ];
  }
  if (last.status === 'spawn-failed') {
    return [
      {
        type: 'RunEnded',
        data: {
          status: 'failed',
          reason: `spawn failed: ${String(last.finding?.evidence.message ?? last.finding?.reason ?? 'unknown error')}`,
          exitCode: null,
          signal: null,
        },
      },
    ];
  }
  const finding = last.status === 'stale' || last.status === 'unknown' ? last.status : undefined;
  const endedAtMs = last.endedAt ? Date.parse(last.endedAt) : now;
  return decideAfterAttempt(
    run,
    {
      attempt: last.n,
      exitCode: last.exitCode,
      signal: last.signal,
      startedAtMs: last.startedAt ? Date.parse(last.startedAt) : null,
      endedAtMs,
      ...(finding ? { finding, note: last.finding?.reason ?? finding } : {}),
    },
    now,
  );
}
