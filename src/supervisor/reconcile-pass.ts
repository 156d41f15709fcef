/**
 * Reconcile: when the log says a process is alive and the machine may
 * disagree, append what was found — never edit. Runs on supervisor start and
 * on demand. Each run is checked under its own lock, so a live exit racing
 * with reconcile yields one terminal event (the deciders return nothing for
 * an attempt that already ended, and appends carry the stream version).
 * Twice in a row appends nothing the second time. It lives beside the driver
 * it works through; the pure classification it applies is in src/reconcile/.
 */
import { isoTime } from '../clock.js';
import { SUPERVISOR_STREAM } from '../events/envelope.js';
import { isActive, liveAttempt, type RunState } from '../projections/run-state.js';
import { decideAdopt, decideExit, decideFinding } from './decide.js';
import { decideAfterLostDecision, decideSpawnNeverRecorded } from './decide-reconcile.js';
import { decideReconcileCompleted } from './decide-supervisor.js';
import { decideAfterAttempt } from './outcome.js';
import type { RunledgerEvent } from '../events/envelope.js';
import { identityOf, refOf, type Driver } from './driver.js';
import { classifyAttempt, stopNeedsResume } from '../reconcile/classify.js';
import type { ReconcileReport } from '../reconcile/report.js';

export async function reconcile(driver: Driver, supervisorId: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, adopted: 0, recovered: 0, stale: 0, unknown: 0, resumedStops: 0 };
  const active = [...driver.book.state.runs.values()].filter(isActive).map((r) => r.id);
  await Promise.all(active.map((id) => driver.withRun(id, (run) => reconcileRun(driver, supervisorId, run, report))));
  if (!driver.isHalted) await driver.book.commit(SUPERVISOR_STREAM, decideReconcileCompleted(supervisorId, report), 'any');
  return report;
}

async function reconcileRun(driver: Driver, supervisorId: string, run: RunState, report: ReconcileReport): Promise<void> {
  // The run was active when the list was made; it may have ended while we waited for its lock.
  if (!isActive(run)) return;
  const now = driver.clock.now();
  const a = liveAttempt(run);
  if (!a) {
    if (run.status === 'pending' && run.attempts.length === 0 && !driver.isSpawning(run.id)) {
      // RunRequested was recorded but the spawn never was. If the runtime kept the facts of a
      // spawn (the shim's child.json), that process is ours: record it, then check it like any other.
      const found = await driver.runtimeOf(run).discover?.(run.id, 1);
      if (found) {
        const recorded = await driver.recordSpawned(run, 1, found);
        return reconcileRun(driver, supervisorId, recorded, report);
      }
      report.unknown++;
      await driver.commitRun(run, decideSpawnNeverRecorded(run));
    } else if (run.status !== 'restarting' && (run.attempts.length > 0 || run.stop) && !driver.isSpawning(run.id)) {
      // The last attempt ended but the decision that follows it is missing: decide it now.
      await driver.commitRun(run, decideAfterLostDecision(run, now));
    } else driver.afterChange(run); // e.g. a restart backoff that must be re-armed
    return;
  }
  report.checked++;
  const runtime = driver.runtimeOf(run, a);
  const obs = await runtime.inspect(run.id, a.n, identityOf(a));
  const finding = classifyAttempt(a, obs, isoTime(now));
  const current = driver.book.run(run.id)!;
  const endsTree = current.stop !== null || current.spec.keepLeftovers !== true;
  if ((finding.kind === 'recovered' || finding.kind === 'unknown') && endsTree && (await runtime.listTree(refOf(run, a))).length > 0) {
    // The leader is gone but its tree lives on: a stop in progress (a TERM-ignoring grandchild), or
    // leftovers of a natural exit the last supervisor did not live to reap. The watch sees the exit
    // at once and the driver ends the tree (escalation, or reaping) before it records the exit.
    if (!driver.isWatching(run.id, a.n)) driver.watch(current, await countCheckpoints(driver, run.id, a.n));
    return;
  }
  switch (finding.kind) {
    case 'adopt': {
      if (!driver.isWatching(run.id, a.n)) {
        const adopted = await driver.commitRun(current, decideAdopt(current, { attempt: a.n, supervisorId, evidence: finding.evidence }));
        if (adopted !== current) report.adopted++;
        driver.watch(adopted, await countCheckpoints(driver, run.id, a.n));
      }
      const latest = driver.book.run(run.id)!;
      const resume = stopNeedsResume(latest, liveAttempt(latest) ?? a, now);
      if (resume) {
        report.resumedStops++;
        const signal = resume === 'kill' ? 'SIGKILL' : latest.stop!.signal;
        await driver.sendSignal(
          latest,
          a,
          signal,
          resume === 'kill' ? 'stop resumed after restart: grace period over' : 'stop resumed after restart',
        );
      }
      driver.afterChange(driver.book.run(run.id)!);
      return;
    }
    case 'recovered':
      report.recovered++;
      await driver.commitRun(
        current,
        decideExit(
          current,
          {
            attempt: a.n,
            exitCode: finding.exitCode,
            signal: finding.signal,
            recovered: { exitedAt: finding.exitedAt, evidence: finding.evidence },
          },
          now,
        ),
      );
      return;
    case 'unknown':
    case 'stale':
      report[finding.kind]++;
      await driver.commitRun(
        current,
        decideFinding(current, { attempt: a.n, kind: finding.kind, reason: finding.reason, evidence: finding.evidence }, now),
      );
      return;
  }
}

/** Checkpoints already recorded for an attempt, so re-reading its log does not record them twice. */
async function countCheckpoints(driver: Driver, runId: string, attempt: number): Promise<number> {
  const events = await driver.book.store.readStream(`run-${runId}`);
  return events.filter((e) => e.type === 'Checkpointed' && e.data.attempt === attempt).length;
}
