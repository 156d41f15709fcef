/**
 * The stack invariants, checked on the ledger (not on what `up` says it did):
 * - no stack process is requested before each dependency's run has met its
 *   condition (at some position before the request);
 * - `down` never asks a dependency to stop while a dependent still runs.
 */
import { expect } from 'vitest';
import { runIdOfStream, type EventEnvelope } from '../../src/events/index.js';
import { isActive } from '../../src/projections/run-state.js';
import { applyEvent, initialRunsState } from '../../src/projections/runs.js';
import { conditionOf } from '../../src/stacks/condition.js';
import { latestRunsOf } from '../../src/stacks/current.js';
import { CONDITIONS, PROCESS_LABEL, STACK_LABEL, type StackPlan } from '../../src/stacks/plan.js';

export function checkStackInvariants(log: readonly EventEnvelope[], plan: StackPlan): { starts: number; stops: number } {
  const state = initialRunsState();
  /** run id -> the conditions it has met at some point. */
  const met = new Map<string, Set<string>>();
  const byName = new Map(plan.processes.map((p) => [p.name, p]));
  let starts = 0;
  let stops = 0;
  for (const e of log) {
    const runId = runIdOfStream(e.streamId);
    const latest = () => latestRunsOf(state, plan.name);
    if (e.type === 'RunRequested' && e.data.spec.labels[STACK_LABEL] === plan.name) {
      const name = e.data.spec.labels[PROCESS_LABEL]!;
      starts += 1;
      for (const [dep, condition] of Object.entries(byName.get(name)!.dependsOn)) {
        const depRun = latest().get(dep);
        expect(depRun && met.get(depRun.id)?.has(condition), `${name} requested at #${e.position} before ${dep} was ${condition}`).toBe(
          true,
        );
      }
    }
    if (e.type === 'StopRequested' && runId && e.data.reason === 'user') {
      const run = state.runs.get(runId)!;
      const name = run.spec.labels[PROCESS_LABEL];
      if (run.spec.labels[STACK_LABEL] === plan.name && name) {
        stops += 1;
        for (const dependent of plan.processes.filter((p) => name in p.dependsOn)) {
          const d = latest().get(dependent.name);
          expect(
            d === undefined || !isActive(d),
            `${name} asked to stop at #${e.position} while its dependent ${dependent.name} runs`,
          ).toBe(true);
        }
      }
    }
    applyEvent(state, e);
    if (runId) {
      const run = state.runs.get(runId)!;
      const set = met.get(runId) ?? new Set<string>();
      for (const c of CONDITIONS) if (conditionOf(run, c).state === 'held') set.add(c);
      met.set(runId, set);
    }
  }
  return { starts, stops };
}
