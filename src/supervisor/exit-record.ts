/** Recording how an attempt ended: the exit (or a finding when no exit record was left), then releasing its tree. */
import { isoTime } from '../clock.js';
import { liveAttempt, type RunState } from '../projections/run-state.js';
import type { ExitStatus } from '../runtime/adapter.js';
import { identityOf, refOf } from './attempt-ref.js';
import { decideExit, decideFinding } from './decide.js';
import { decideReadinessFailed } from './decide-readiness.js';
import type { Driver } from './driver.js';

/** Caller holds the run's lock and has stopped its watch; `tail` is the watch's last stderr lines. */
export async function recordAttemptExit(
  driver: Driver,
  run: RunState,
  n: number,
  status: ExitStatus | undefined,
  tail: string[],
): Promise<void> {
  const now = driver.clock.now();
  const a = run.attempts.find((x) => x.n === n);
  if (!status) {
    const a = liveAttempt(run);
    const reason = 'exited without an exit record';
    // The same evidence shape reconcile writes: what we expected, what we saw, when and why.
    const evidence = {
      ...(a ? { expected: identityOf(a) } : {}),
      observed: 'process gone and no exit record was left',
      checkedAt: isoTime(now),
      reason,
    };
    await driver.commitRun(run, decideFinding(run, { attempt: n, kind: 'unknown', reason, evidence }, now));
    if (a)
      void driver
        .runtimeOf(run, a)
        .releaseTree(refOf(run, a))
        .catch(() => undefined);
    return;
  }
  let current = run;
  const notReady = current.spec.ready && !liveAttempt(current)?.readyAt && !current.readinessFailure;
  const codeUnknown = status.fallback?.kind === 'shim-lost' ? 'shim lost' : undefined;
  if (notReady) {
    const how = status.signal ?? (codeUnknown ? `code unknown, ${codeUnknown}` : `code ${status.exitCode}`);
    current = await driver.commitRun(
      current,
      decideReadinessFailed(current, { attempt: n, reason: 'exited', message: `exited before ready (${how})`, stderrTail: tail }, now),
    );
  }
  // A status read from the shim's own exit (no exit.json) is recorded with its evidence, like a recovered one.
  const recovered =
    status.fallback?.kind === 'shim-exit-status' ? { exitedAt: status.exitedAt, evidence: status.fallback.evidence } : undefined;
  // Before the tree is released: a cgroup's accounting goes with it.
  const usage = a && driver.usage ? await driver.usage.final(run, a) : undefined;
  const facts = {
    attempt: n,
    exitCode: status.exitCode,
    signal: status.signal,
    ...(notReady ? { note: 'exited before ready' } : {}),
    ...(codeUnknown ? { codeUnknown } : {}),
    ...(recovered ? { recovered } : {}),
    ...(usage ? { usage } : {}),
  };
  await driver.commitRun(current, decideExit(current, facts, now));
  // The tree is empty (or recorded as survivors): its cgroup can go.
  if (a)
    void driver
      .runtimeOf(run, a)
      .releaseTree(refOf(run, a))
      .catch(() => undefined);
}
