/**
 * Housekeeping: delete the attempt dirs (logs, time indexes, shim records) of
 * runs that ended before `now - olderThan`, then record what went as one
 * LogsPruned event. Files first, event second: the event states a fact, and
 * a crash between the two leaves files gone without an event (the next pass
 * finds nothing left to delete for them) rather than an event for files that
 * are still there. A live run is never a candidate: only ended runs are, and
 * an ended run never becomes live again. The ledger is never rewritten.
 */
import type { PruneReport, PruneRequest } from './api.js';
import type { DaemonContext } from './context.js';
import { measureAttemptDirs, removeAttemptDirs } from '../runtime/attempt-prune.js';
import { parseDuration } from '../supervisor/durations.js';

type PruneContext = Pick<DaemonContext, 'supervisor' | 'paths' | 'now'>;

export async function pruneLogs(ctx: PruneContext, request: PruneRequest, trigger: 'command' | 'retention'): Promise<PruneReport> {
  const cutoffMs = ctx.now() - parseDuration(request.olderThan, 'olderThan');
  const cutoff = new Date(cutoffMs).toISOString();
  const ended = ctx.supervisor.list({ active: false, order: 'oldest' });
  const runs: PruneReport['runs'] = [];
  for (const run of ended) {
    if (run.endedAt === null || Date.parse(run.endedAt) >= cutoffMs) continue;
    const usage = await measureAttemptDirs(ctx.paths.home, run.id);
    if (usage.attempts === 0) continue; // pruned before, or never spawned
    runs.push({ runId: run.id, shortId: run.shortId, ...usage });
  }
  const totals = { attempts: runs.reduce((s, r) => s + r.attempts, 0), bytes: runs.reduce((s, r) => s + r.bytes, 0) };
  const report = { dryRun: request.dryRun === true, olderThan: request.olderThan, cutoff, runs, ...totals, position: null };
  if (request.dryRun || runs.length === 0) return report;
  for (const r of runs) await removeAttemptDirs(ctx.paths.home, r.runId);
  const event = await ctx.supervisor.recordLogsPruned({
    olderThan: request.olderThan,
    cutoff,
    trigger,
    runs: runs.map(({ runId, attempts, bytes }) => ({ runId, attempts, bytes })),
  });
  return { ...report, position: event?.position ?? null };
}
