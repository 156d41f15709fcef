/**
 * One dependency wait of `up`: the condition holds now (DependencySatisfied),
 * or is waited for until a deadline (DependencyWaiting first), or cannot hold
 * (DependencyFailed, and an error naming the blocking process with its last
 * stderr lines).
 */
import { RunledgerError } from '../errors.js';
import { conditionOf } from './condition.js';
import { decideDependencyFailed, decideDependencySatisfied, decideDependencyWaiting, stackStreamId } from './decide-stack.js';
import type { Condition, StackPlan } from './plan.js';
import type { StackContext } from './stack-context.js';
import { waitForCondition, type WaitOutcome } from './wait-condition.js';

export interface DependencyWait {
  plan: StackPlan;
  process: string;
  dependency: string;
  condition: Condition;
  /** The dependency's run. */
  runId: string;
  timeoutMs: number;
}

export async function awaitDependency(ctx: StackContext, w: DependencyWait): Promise<void> {
  const sup = ctx.supervisor;
  const stream = stackStreamId(w.plan.name);
  const { dependency: dep, condition } = w;
  const base = { stack: w.plan.name, process: w.process, dependency: dep, condition, dependencyRunId: w.runId };
  const since = sup.clock.now();
  const first = sup.get(w.runId);
  let result: WaitOutcome = { ...conditionOf(first, condition), run: first };
  if (result.state === 'waiting') {
    await sup.record(stream, decideDependencyWaiting({ ...base, deadline: new Date(since + w.timeoutMs).toISOString() }));
    result = await waitForCondition(sup, w.runId, condition, w.timeoutMs);
  }
  if (result.state === 'held') {
    await sup.record(stream, decideDependencySatisfied({ ...base, waitedMs: Math.max(0, sup.clock.now() - since) }));
    return;
  }
  const tail = await ctx.stderrTail(result.run).catch(() => []);
  const reason = result.state === 'timeout' ? 'timeout' : 'ended';
  const run = `${dep} (run ${result.run.shortId})`;
  const what =
    result.state === 'timeout'
      ? `${run} was not ${condition} within ${Math.round(w.timeoutMs / 1000)}s (it is ${result.run.status})`
      : `${run} is ${result.state === 'failed' ? result.why : result.run.status} and will never be ${condition}`;
  const message = `${w.process} was not started: ${what}`;
  await sup.record(stream, decideDependencyFailed({ ...base, reason, message, stderrTail: tail }));
  throw blocked(reason, message, tail, { process: w.process, dependency: dep, condition, runId: w.runId });
}

/** DEPENDENCY_FAILED / DEPENDENCY_TIMEOUT, the blocking process's last stderr lines in the message and the details. */
export function blocked(reason: 'timeout' | 'ended', message: string, tail: string[], details: Record<string, unknown>): RunledgerError {
  const lines = tail.slice(-10);
  const text =
    lines.length > 0 ? `${message}\n  last stderr lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : `${message} (no stderr output)`;
  return new RunledgerError(reason === 'timeout' ? 'DEPENDENCY_TIMEOUT' : 'DEPENDENCY_FAILED', text, { ...details, stderrTail: lines });
}
