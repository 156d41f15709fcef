/**
 * `up`: start what is not running, in dependency order. Each process starts
 * once every dependency's condition held (DependencySatisfied), waiting for
 * it with a deadline (DependencyWaiting; DependencyFailed and an error naming
 * the blocking process and its last stderr lines when it cannot hold). A
 * process whose run is live (or completed) with the same spec hash is left
 * alone; one whose hash changed is stopped and started anew. Independent
 * branches go on in parallel.
 */
import { isActive } from '../projections/run-state.js';
import { latestRunsOf } from './current.js';
import { emptyReport, recordApplied } from './apply-report.js';
import { awaitDependency, blocked } from './dependency-wait.js';
import { withDependencies } from './graph.js';
import { PROCESS_LABEL, SPEC_HASH_LABEL, STACK_LABEL, type StackPlan, type StackReport } from './plan.js';
import { graphOf, selectedNames, type StackContext } from './stack-context.js';
import { waitForCondition } from './wait-condition.js';
import { stopRuns } from './stop-runs.js';

export interface UpOptions {
  /** Only these processes (and what they depend on); all when empty. */
  only?: string[];
  /** Deadline of each dependency wait (and of `wait`), ms. */
  timeoutMs: number;
  /** Also wait until every selected process is ready (or completed). */
  wait?: boolean;
}

export async function stackUp(ctx: StackContext, plan: StackPlan, opts: UpOptions): Promise<StackReport> {
  const sup = ctx.supervisor;
  const { graph, order } = graphOf(plan);
  const only = selectedNames(plan, opts.only);
  const selected = only ? withDependencies(graph, only) : new Set(order);
  const byName = new Map(plan.processes.map((p) => [p.name, p]));
  const { hashes, report } = emptyReport(plan);
  const current = latestRunsOf(sup.state, plan.name);

  // Processes no longer in the file: stopped by a full `up` (not by `up NAME`).
  if (!only) {
    const orphans = [...current].filter(([name, run]) => !byName.has(name) && isActive(run));
    await stopRuns(
      sup,
      orphans.map(([, run]) => run),
    );
    report.stopped.push(...orphans.map(([name]) => name));
  }

  const ensured = new Map<string, Promise<string>>();
  const ensure = (name: string): Promise<string> => {
    let promise = ensured.get(name);
    if (!promise) ensured.set(name, (promise = bringUp(name)));
    return promise;
  };
  const bringUp = async (name: string): Promise<string> => {
    const p = byName.get(name)!;
    const hash = hashes.get(name)!;
    let cur = current.get(name);
    // A run being stopped (a `down` that did not wait) is on its way out: let it end, then start anew.
    if (cur && cur.status === 'stopping') cur = await sup.wait(cur.id);
    const same = cur?.spec.labels[SPEC_HASH_LABEL] === hash;
    if (cur && same && (isActive(cur) || cur.status === 'completed')) {
      report.unchanged.push(name);
      return cur.id;
    }
    const restarting = cur !== undefined && isActive(cur);
    if (cur && restarting) await stopRuns(sup, [cur]);
    for (const [dep, condition] of Object.entries(p.dependsOn))
      await awaitDependency(ctx, { plan, process: name, dependency: dep, condition, runId: await ensure(dep), timeoutMs: opts.timeoutMs });
    const labels = { ...p.spec.labels, [STACK_LABEL]: plan.name, [PROCESS_LABEL]: name, [SPEC_HASH_LABEL]: hash };
    const spec = { ...p.spec, name, labels };
    const options = ctx.baseEnv ? { baseEnv: ctx.baseEnv } : {};
    const { run } = await (ctx.start ? ctx.start(spec, options) : sup.start(spec, options));
    (restarting ? report.restarted : report.started).push(name);
    return run.id;
  };

  const names = order.filter((n) => selected.has(n));
  const results = await Promise.allSettled(names.map(ensure));
  const rank = (n: string) => order.indexOf(n);
  for (const list of [report.started, report.restarted, report.unchanged]) list.sort((a, b) => rank(a) - rank(b));
  await recordApplied(sup, plan, 'up', report);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  if (opts.wait) await waitAllReady(ctx, names, results as PromiseFulfilledResult<string>[], opts.timeoutMs);
  return report;
}

/** `up --wait`: every selected process ready (or completed), each within the deadline. */
async function waitAllReady(
  ctx: StackContext,
  names: string[],
  runIds: PromiseFulfilledResult<string>[],
  timeoutMs: number,
): Promise<void> {
  const outcomes = await Promise.all(runIds.map((r) => waitForCondition(ctx.supervisor, r.value, 'ready', timeoutMs)));
  const bad = outcomes.findIndex((o) => o.state !== 'held');
  if (bad === -1) return;
  const o = outcomes[bad]!;
  const tail = await ctx.stderrTail(o.run).catch(() => []);
  const reason = o.state === 'timeout' ? 'timeout' : 'ended';
  const what = o.state === 'failed' ? `is ${o.why}` : `was not ready within ${Math.round(timeoutMs / 1000)}s (it is ${o.run.status})`;
  throw blocked(reason, `${names[bad]} (run ${o.run.shortId}) ${what}`, tail, { process: names[bad], condition: 'ready', runId: o.run.id });
}
