/**
 * Wait until a run meets a condition, can no longer meet it, or a deadline
 * passes (on the supervisor's clock, so the simulator drives it). The
 * judgement of ready/healthy is `runledger wait`'s (projections/wait-condition.ts,
 * through conditionOf); this module only adds the in-process subscription and
 * the simulated deadline that `up` needs.
 */
import type { RunState } from '../projections/run-state.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { conditionOf, type ConditionState } from './condition.js';
import type { Condition } from './plan.js';

export type WaitOutcome = (ConditionState | { state: 'timeout' }) & { run: RunState };

export function waitForCondition(sup: Supervisor, runId: string, condition: Condition, timeoutMs: number): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: WaitOutcome): void => {
      if (settled) return;
      settled = true;
      sub.unsubscribe();
      timer.cancel();
      resolve(outcome);
    };
    const check = (run: RunState): void => {
      const state = conditionOf(run, condition);
      if (state.state !== 'waiting') finish({ ...state, run });
    };
    // Subscribe before looking, so no change slips between the look and the subscription.
    const sub = sup.runs$.subscribe((run) => {
      if (run.id === runId) check(run);
    });
    const timer = sup.clock.setTimer(timeoutMs, () => finish({ state: 'timeout', run: sup.get(runId) }));
    check(sup.get(runId));
  });
}
