/**
 * `down`: stop in reverse dependency order. A process is asked to stop only
 * once every process that depends on it has ended, so a dependency never
 * goes before its dependents. `down NAME` also stops what depends on NAME;
 * a full `down` also stops runs of the stack whose process left the file.
 */
import { isActive } from '../projections/run-state.js';
import { latestRunsOf } from './current.js';
import { emptyReport, recordApplied } from './apply-report.js';
import { withDependents } from './graph.js';
import type { StackPlan, StackReport } from './plan.js';
import { graphOf, selectedNames, type StackContext } from './stack-context.js';
import { ignoreEnded } from './stop-runs.js';

export interface DownOptions {
  only?: string[];
  /** Answer once every stopped process has ended (else once the last stop was requested). */
  wait?: boolean;
}

export async function stackDown(ctx: StackContext, plan: StackPlan, opts: DownOptions): Promise<StackReport> {
  const sup = ctx.supervisor;
  const { graph, order } = graphOf(plan);
  const only = selectedNames(plan, opts.only);
  const targets = only ? withDependents(graph, only) : new Set(order);
  const current = latestRunsOf(sup.state, plan.name);
  // Processes that left the file have no known dependencies: they go first, with the leaves.
  const orphans = only ? [] : [...current.keys()].filter((name) => !graph.has(name));
  const dependentsOf = (name: string): string[] => [...graph].filter(([n, deps]) => targets.has(n) && deps.includes(name)).map(([n]) => n);
  const { report } = emptyReport(plan);

  const requested: Promise<void>[] = [];
  const ended = new Map<string, Promise<void>>();
  const stopOne = (name: string): Promise<void> => {
    let done = ended.get(name);
    if (done) return done;
    let markRequested!: () => void;
    requested.push(new Promise<void>((r) => (markRequested = r)));
    done = (async () => {
      try {
        await Promise.all(dependentsOf(name).map(stopOne));
        const run = current.get(name);
        if (!run || !isActive(sup.get(run.id))) return;
        await sup.stop(run.id, { wait: false }).catch(ignoreEnded);
        report.stopped.push(name);
        markRequested();
        await sup.wait(run.id);
      } finally {
        markRequested();
      }
    })();
    ended.set(name, done);
    return done;
  };
  const names = [...orphans, ...[...order].reverse().filter((n) => targets.has(n))];
  const all = Promise.allSettled(names.map(stopOne));
  await Promise.all(requested);
  const rank = (n: string) => names.indexOf(n);
  report.stopped.sort((a, b) => rank(a) - rank(b));
  await recordApplied(sup, plan, 'down', report);
  if (opts.wait) {
    const failure = (await all).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
  return report;
}
