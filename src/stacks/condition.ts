/**
 * Whether a dependency's run meets a `dependsOn` condition (pure): it holds,
 * it may still come, or it can no longer (the run ended otherwise).
 */
import { isTerminalStatus, type RunState } from '../projections/run-state.js';
import { judgeWait } from '../projections/wait-condition.js';
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
  // ready and healthy are judged as `runledger wait` judges them (a run without a health check: healthy = ready).
  const verdict = judgeWait(run, condition);
  if (verdict.state === 'reached') return { state: 'held' };
  return verdict.state === 'pending' ? { state: 'waiting' } : { state: 'failed', why: verdict.why };
}
