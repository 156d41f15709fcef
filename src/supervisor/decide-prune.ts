/**
 * The decider for housekeeping: the log files that `prune` or the retention
 * deleted become one LogsPruned event on the supervisor stream. Only ended
 * runs qualify (a live run's files are never deleted), and a pass that
 * removed nothing records nothing, so an hourly retention does not grow the
 * ledger while there is nothing to do.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import { isTerminalStatus } from '../projections/run-state.js';
import type { RunsState } from '../projections/runs.js';

export type LogsPrunedFacts = Omit<EventData<'LogsPruned'>, 'attempts' | 'bytes'>;

export function decideLogsPruned(state: RunsState, facts: LogsPrunedFacts): RunledgerEvent[] {
  const runs = facts.runs.filter((r) => r.attempts > 0);
  for (const r of runs) {
    const run = state.runs.get(r.runId);
    if (!run || !isTerminalStatus(run.status))
      throw new TypeError(`LogsPruned may only name ended runs; ${r.runId} is ${run ? run.status : 'unknown'}`);
  }
  if (runs.length === 0) return [];
  const attempts = runs.reduce((sum, r) => sum + r.attempts, 0);
  const bytes = runs.reduce((sum, r) => sum + r.bytes, 0);
  return [{ type: 'LogsPruned', data: { ...facts, runs: runs.map((r) => ({ ...r })), attempts, bytes } }];
}
