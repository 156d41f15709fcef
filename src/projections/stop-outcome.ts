/**
 * How a run that someone stopped (`stop`, `daemon stop --stop-runs`, a
 * manual restart with nothing left to restart) ended: `stopped` when it
 * ended as asked, `killed` only when SIGKILL was needed (escalation or
 * `--force`) or another signal than the stop signal ended it. Pure.
 *
 * The decider writes the answer into new `RunEnded` events; the fold asks the
 * same question of every `RunEnded` that says `killed` after a stop, which is
 * how ledgers written before `stopped` existed read the same way (nothing is
 * rewritten: every input is an earlier event of the run).
 */
import type { AttemptState, StopState } from './run-state.js';

export type StopEnd = 'stopped' | 'killed';

export interface StopOutcomeInput {
  stop: Pick<StopState, 'signal' | 'force' | 'requestedAt'>;
  /** The run's last attempt, if any (already ended, or ending with `exit`). */
  attempt: Pick<AttemptState, 'endedAt' | 'signals'> | undefined;
  /** How that attempt ended; both null when nothing ran or its code is unknown. */
  exit: { exitCode: number | null; signal: string | null };
}

export function stopOutcome(input: StopOutcomeInput): StopEnd {
  const { stop, attempt, exit } = input;
  // Nothing was running when the stop came (pending, or in restart backoff): nothing was killed.
  if (!attempt || (attempt.endedAt !== null && attempt.endedAt < stop.requestedAt)) return 'stopped';
  if (stop.force || exit.signal === 'SIGKILL') return 'killed';
  if (attempt.signals.some((s) => s.signal === 'SIGKILL' && s.at >= stop.requestedAt)) return 'killed';
  // Ended by a signal nobody in runledger sent for this stop: someone else killed it.
  if (exit.signal !== null && exit.signal !== stop.signal) return 'killed';
  return 'stopped';
}
