/**
 * Which attempts' logs a `logs` request means, checked against the run: the
 * latest by default, one by number, or all; and a run whose log files were
 * pruned says so (when, by which event) instead of reading as empty.
 */
import { RunledgerError } from '../errors.js';
import type { RunState } from './run-state.js';

export type AttemptChoice = number | 'all';

/** Attempt numbers to read, oldest first; [] for a run that never spawned (with no choice made). */
export function attemptsToRead(run: RunState, choice: AttemptChoice | undefined): number[] {
  assertLogsKept(run);
  const count = run.attempts.length;
  if (choice === undefined) return count === 0 ? [] : [count];
  if (choice === 'all') return Array.from({ length: count }, (_, i) => i + 1);
  if (!Number.isSafeInteger(choice) || choice < 1 || choice > count)
    throw new RunledgerError(
      'ATTEMPT_NOT_FOUND',
      `run ${run.shortId} has ${count === 1 ? '1 attempt' : `${count} attempts`}; there is no attempt ${choice}`,
      { runId: run.id, attempt: choice, attempts: count },
    );
  return [choice];
}

export function assertLogsKept(run: RunState): void {
  const pruned = run.logsPruned;
  if (!pruned) return;
  throw new RunledgerError(
    'LOGS_PRUNED',
    `the logs of run ${run.shortId} were pruned at ${pruned.at} (LogsPruned, event #${pruned.position}); the ledger still has its events (runledger show ${run.shortId})`,
    { runId: run.id, prunedAt: pruned.at, position: pruned.position },
  );
}
