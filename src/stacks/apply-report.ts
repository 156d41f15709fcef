/**
 * What one `up` or `down` of a plan answers and records: the report (which
 * processes were started, restarted, stopped or left alone, under the
 * stack's spec hash) and the StackApplied event made from it on the stack's
 * stream. The two commands differ in what they do to processes, not in how
 * they account for it, so the report's shape and its record live here once.
 */
import type { EventData } from '../events/schemas.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { decideStackApplied, stackStreamId } from './decide-stack.js';
import type { StackPlan, StackReport } from './plan.js';
import { specHashOf, stackHashOf } from './spec-hash.js';

/** Each process's spec hash, and the plan's report with nothing in it yet (its hash is the stack's). */
export function emptyReport(plan: StackPlan): { hashes: Map<string, string>; report: StackReport } {
  const hashes = new Map(plan.processes.map((p) => [p.name, specHashOf(p)]));
  const report: StackReport = {
    stack: plan.name,
    file: plan.file,
    specHash: stackHashOf(hashes),
    started: [],
    restarted: [],
    stopped: [],
    unchanged: [],
  };
  return { hashes, report };
}

/** Append StackApplied for what the report says changed (nothing when nothing did). */
export async function recordApplied(
  sup: Supervisor,
  plan: StackPlan,
  action: EventData<'StackApplied'>['action'],
  report: StackReport,
): Promise<void> {
  await sup.record(
    stackStreamId(plan.name),
    decideStackApplied({
      stack: plan.name,
      file: plan.file,
      action,
      specHash: report.specHash,
      started: [...report.started],
      restarted: [...report.restarted],
      stopped: [...report.stopped],
    }),
  );
}
