/**
 * Whether a dependency's run meets a `dependsOn` condition (pure): it holds,
 * it may still come, or it can no longer (the run ended otherwise).
 */
import { isTerminalStatus, type RunState } from '../projections/run-state.js';
import type { Condition } from './plan.js';

export type ConditionState = { state: 'held' } | { state: 'waiting' } | { state: 'failed'; why: string };

export function conditionOf(run: RunState, condition: Condition): ConditionState {
  if (run.status === 'completed') return { state: 'held' };
  if (isTerminalStatus(run.status)) {
    const how = run.exitCode !== null ? `exit ${run.exitCode}` : run.signal ? run.signal : (run.reason ?? 'ended');
    return { state: 'failed', why: `${run.status} (${how})` };
  }
  if (condition === 'completed') return { state: 'waiting' };
  if (condition === 'started') return run.startedAt !== null ? { state: 'held' } : { state: 'waiting' };
  // STAND-IN until the health helper's `health` field lands in the run view: `healthy` is treated as `ready`.
  // The one place to change: `healthy` holds when run.health === 'healthy'.
  return isReady(run) ? { state: 'held' } : { state: 'waiting' };
}

/** Ready: its ready check passed; a run without one is ready once it runs. */
function isReady(run: RunState): boolean {
  if (run.readyAt !== null) return true;
  return run.spec.ready === null && run.status === 'running' && run.startedAt !== null;
}
