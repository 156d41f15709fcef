/**
 * What the driver does with reports from the things it started: an attempt
 * watch (ready, checkpoint, readiness failure, shim lost, exit), a health
 * probe, and the run's timeout timer. Each report is decided and recorded
 * under the run's lock via Driver.background. Split from driver.ts.
 */
import type { AttemptState, RunState } from '../projections/run-state.js';
import { identityOf } from './attempt-ref.js';
import { AttemptWatch } from './attempt-watch.js';
import { decideShimLost, decideTimeout } from './decide.js';
import { decideCheckpoint, decideReadinessFailed, decideReady } from './decide-readiness.js';
import { decideHealth, type HealthProbeFacts } from './decide-health.js';
import type { Driver } from './driver.js';
import { handleAttemptExit } from './driver-exit.js';

/** A watch of attempt `a` whose reports are recorded through the driver (not yet started). */
export function newAttemptWatch(d: Driver, run: RunState, a: AttemptState, skipCheckpoints: number): AttemptWatch {
  const runId = run.id;
  const n = a.n;
  const watch: AttemptWatch = new AttemptWatch({
    runtime: d.runtimeOf(run, a),
    clock: d.clock,
    runId,
    attempt: n,
    identity: identityOf(a),
    shimPid: a.shimPid ?? undefined,
    ready: a.readyAt || run.readinessFailure ? null : run.spec.ready,
    startedAtMs: Date.parse(a.startedAt!),
    skipCheckpoints,
    handlers: {
      onExit: (status) => void handleAttemptExit(d, runId, n, status),
      onReady: (via, detail) => d.background(runId, (r) => d.commitRun(r, decideReady(r, { attempt: n, via, detail }))),
      onCheckpoint: (cp) => d.background(runId, (r) => d.commitRun(r, decideCheckpoint(r, n, cp))),
      onReadinessFailed: (reason, message) =>
        d.background(runId, async (r) => {
          const after = await d.commitRun(
            r,
            decideReadinessFailed(r, { attempt: n, reason, message, stderrTail: watch.tail() }, d.clock.now()),
          );
          await d.signalStop(after);
        }),
      onShimLost: (report) => d.background(runId, (r) => d.commitRun(r, decideShimLost(r, n, report))),
    },
  });
  return watch;
}

/**
 * A health probe's result. Most change nothing (decide-health says so without the lock); one that
 * does is recorded, and a stop it decided (reason `unhealthy`) is signalled like a readiness stop.
 */
export function onHealthProbe(d: Driver, runId: string, facts: HealthProbeFacts): void {
  const run = d.book.run(runId);
  if (!run || decideHealth(run, facts, d.clock.now()).length === 0) return;
  d.background(runId, async (current) => {
    const after = await d.commitRun(current, decideHealth(current, facts, d.clock.now()));
    if (!current.stop && after.stop?.reason === 'unhealthy') await d.signalStop(after);
  });
}

/** The run's timeout timer fired: record the timeout stop and signal it (retried if the ledger refused). */
export function fireTimeout(d: Driver, runId: string): void {
  void d
    .withRun(runId, async (run) => {
      const after = await d.commitRun(run, decideTimeout(run, d.clock.now()));
      if (after !== run) await d.signalStop(after);
    })
    .catch(() => d.retryLater(() => fireTimeout(d, runId)));
}
