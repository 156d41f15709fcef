/**
 * A stack's runs as the projection knows them (pure): per process instance,
 * its latest run (by creation), found by the stack labels.
 */
import type { RunsState } from '../projections/runs.js';
import type { RunState } from '../projections/run-state.js';
import { PROCESS_LABEL, STACK_LABEL } from './plan.js';

export function latestRunsOf(state: RunsState, stack: string): Map<string, RunState> {
  const latest = new Map<string, RunState>();
  for (const id of state.order) {
    const run = state.runs.get(id)!;
    const process = run.spec.labels[PROCESS_LABEL];
    if (run.spec.labels[STACK_LABEL] === stack && process !== undefined) latest.set(process, run);
  }
  return latest;
}

/** Instance names of `only` (a process name stands for all its replicas); unknown names are returned apart. */
export function expandNames(
  processes: readonly { name: string; group: string }[],
  only: readonly string[],
): { names: string[]; unknown: string[] } {
  const names: string[] = [];
  const unknown: string[] = [];
  for (const n of only) {
    const hit = processes.filter((p) => p.name === n || p.group === n).map((p) => p.name);
    if (hit.length === 0) unknown.push(n);
    names.push(...hit);
  }
  return { names, unknown };
}
