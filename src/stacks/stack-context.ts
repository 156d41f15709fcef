/** What `up` and `down` need from their host (the daemon, or the simulator): the supervisor and a way to read stderr. */
import { RunledgerError } from '../errors.js';
import type { RunState } from '../projections/run-state.js';
import type { RunSpecInput } from '../supervisor/spec.js';
import type { StartOptions, StartResult, Supervisor } from '../supervisor/supervisor.js';
import { checkGraph, type DependencyGraph } from './graph.js';
import { expandNames } from './current.js';
import { CONDITIONS, type StackPlan } from './plan.js';

export interface StackContext {
  supervisor: Supervisor;
  /** How a process is started: the daemon's own start (which leases fleet-wide slots); the supervisor's when absent. */
  start?(spec: RunSpecInput, options: StartOptions): Promise<StartResult>;
  /** The last lines a run wrote to stderr (for an error that names the blocking process); [] when unknown. */
  stderrTail(run: RunState): Promise<string[]>;
  /** The caller's environment, which each started process extends (never logged). */
  baseEnv?: Record<string, string>;
}

/** The plan's instance graph, checked again here: any client may send a plan. */
export function graphOf(plan: StackPlan): { graph: DependencyGraph; order: string[] } {
  const graph = new Map<string, string[]>();
  for (const p of plan.processes) {
    if (graph.has(p.name)) throw new RunledgerError('INVALID_STACK', `${plan.file}: process ${p.name} appears twice`, { process: p.name });
    for (const [dep, condition] of Object.entries(p.dependsOn))
      if (!(CONDITIONS as readonly string[]).includes(condition))
        throw new RunledgerError(
          'INVALID_STACK',
          `${plan.file}: ${p.name} depends on ${dep} being ${String(condition)}: expected ${CONDITIONS.join('|')}`,
          {
            process: p.name,
          },
        );
    graph.set(p.name, Object.keys(p.dependsOn));
  }
  return { graph, order: checkGraph(graph, plan.file) };
}

/** The instances `only` names (all when empty); an unknown name is INVALID_STACK listing the known ones. */
export function selectedNames(plan: StackPlan, only: readonly string[] | undefined): string[] | undefined {
  if (!only || only.length === 0) return undefined;
  const { names, unknown } = expandNames(plan.processes, only);
  if (unknown.length > 0)
    throw new RunledgerError(
      'INVALID_STACK',
      `no process ${unknown.join(', ')} in stack ${plan.name} (processes: ${[...new Set(plan.processes.map((p) => p.group))].join(', ')})`,
      { unknown },
    );
  return names;
}
