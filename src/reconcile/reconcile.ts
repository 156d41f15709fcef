/**
 * Reconcile: when the log says a process is alive and the machine may
 * disagree, append what was found — never edit. Runs on supervisor start and
 * on demand. Each run is checked under its own lock, so a live exit racing
 * with reconcile yields one terminal event (the deciders return nothing for
 * an attempt that already ended, and appends carry the stream version).
 * Twice in a row appends nothing the second time.
 */
import { isoTime } from '../clock.js';
import { SUPERVISOR_STREAM } from '../events/envelope.js';
import { isActive, liveAttempt, type RunState } from '../projections/run-state.js';
import { decideAdopt, decideExit, decideFinding } from '../supervisor/decide.js';
import { decideAfterAttempt } from '../supervisor/outcome.js';
import type { RunledgerEvent } from '../events/envelope.js';
import { identityOf, refOf, type Driver } from '../supervisor/driver.js';
import { classifyAttempt, stopNeedsResume } from './classify.js';

export interface ReconcileReport {
  checked: number;
  adopted: number;
  recovered: number;
  stale: number;
  unknown: number;
  resumedStops: number;
}

export async function reconcile(driver: Driver, supervisorId: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, adopted: 0, recovered: 0, stale: 0, unknown: 0, resumedStops: 0 };
  const active = [...driver.book.state.runs.values()].filter(isActive).map((r) => r.id);
  await Promise.all(active.map((id) => driver.withRun(id, (run) => reconcileRun(driver, supervisorId, run, report))));
  const changed = report.adopted + report.recovered + report.stale + report.unknown + report.resumedStops;
  if (changed > 0 && !driver.isHalted) {
    await driver.book.commit(SUPERVISOR_STREAM, [{ type: 'ReconcileCompleted', data: { supervisorId, report: { ...report } } }], 'any');
  }
  return report;
}

async function reconcileRun(driver: Driver, supervisorId: string, run: RunState, report: ReconcileReport): Promise<void> {
  // The run was active when the list was made; it may have ended while we waited for its lock.
  if (!isActive(run)) return;
  const now = driver.clock.now();
  const a = liveAttempt(run);
  if (!a) {
    if (run.status === 'pending' && run.attempts.length === 0 && !driver.spawning.has(run.id)) {
      // RunRequested was recorded but the spawn never was. If the runtime kept the facts of a
      // spawn (the shim's child.json), that process is ours: record it, then check it like any other.
      const found = await driver.runtimeOf(run).discover?.(run.id, 1);
      if (found) {
        const recorded = await driver.recordSpawned(run, 1, found);
        return reconcileRun(driver, supervisorId, recorded, report);
      }
      report.unknown++;
      await driver.commitRun(run, [
        { type: 'RunEnded', data: { status: 'unknown', reason: 'the supervisor stopped before the spawn of attempt 1 was recorded', exitCode: null, signal: null } },
      ]);
    } else if (run.status !== 'restarting' && (run.attempts.length > 0 || run.stop) && !driver.spawning.has(run.id)) {
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
        const adopted = await driver.commitRun(current, decideAdopt(current, a.n, supervisorId, finding.evidence));
        if (adopted !== current) report.adopted++;
        driver.watch(adopted, await countCheckpoints(driver, run.id, a.n));
      }
      const latest = driver.book.run(run.id)!;
      const resume = stopNeedsResume(latest, liveAttempt(latest) ?? a, now);
      if (resume) {
        report.resumedStops++;
        const signal = resume === 'kill' ? 'SIGKILL' : latest.stop!.signal;
        await driver.sendSignal(latest, a, signal, resume === 'kill' ? 'stop resumed after restart: grace period over' : 'stop resumed after restart');
      }
      driver.afterChange(driver.book.run(run.id)!);
      return;
    }
    case 'recovered':
      report.recovered++;
      await driver.commitRun(current, decideExit(current, { attempt: a.n, exitCode: finding.exitCode, signal: finding.signal, recovered: { exitedAt: finding.exitedAt, evidence: finding.evidence } }, now));
      return;
    case 'unknown':
    case 'stale':
      report[finding.kind]++;
      await driver.commitRun(current, decideFinding(current, a.n, finding.kind, finding.reason, finding.evidence, now));
      return;
  }
}

/**
 * The supervisor appends an attempt's end and what follows it (RunEnded or
 * RestartScheduled) in one batch, so this only happens to a ledger written
 * otherwise; the run must still not stay "active" forever.
 */
function decideAfterLostDecision(run: RunState, now: number): RunledgerEvent[] {
  const last = run.attempts[run.attempts.length - 1];
  if (!last) {
    const reason = run.stop?.reason ?? 'user';
    const status = reason === 'interrupt' ? 'interrupted' : reason === 'timeout' ? 'timeout' : 'killed';
    return [{ type: 'RunEnded', data: { status, reason: `stopped (${reason}) before a process was running`, exitCode: null, signal: null } }];
  }
  if (last.status === 'spawn-failed') {
    return [{ type: 'RunEnded', data: { status: 'failed', reason: `spawn failed: ${String(last.finding?.evidence.message ?? last.finding?.reason ?? 'unknown error')}`, exitCode: null, signal: null } }];
  }
  const finding = last.status === 'stale' || last.status === 'unknown' ? last.status : undefined;
  const endedAtMs = last.endedAt ? Date.parse(last.endedAt) : now;
  return decideAfterAttempt(run, {
    attempt: last.n,
    exitCode: last.exitCode,
    signal: last.signal,
    startedAtMs: last.startedAt ? Date.parse(last.startedAt) : null,
    endedAtMs,
    ...(finding ? { finding, note: last.finding?.reason ?? finding } : {}),
  }, now);
}

/** Checkpoints already recorded for an attempt, so re-reading its log does not record them twice. */
async function countCheckpoints(driver: Driver, runId: string, attempt: number): Promise<number> {
  const events = await driver.book.store.readStream(`run-${runId}`);
  return events.filter((e) => e.type === 'Checkpointed' && e.data.attempt === attempt).length;
}
