/**
 * What the driver does when an attempt's leader exits: record it at once,
 * reap the tree it left behind first, or (during a stop) hold the exit while
 * the group lingers and record it once the group is gone or was SIGKILLed at
 * escalateAt. Split from driver.ts; the held exits live in Driver.lingering.
 */
import { liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import type { ExitStatus, TreeMember } from '../runtime/adapter.js';
import { refOf, trackingOf } from './attempt-ref.js';
import { decideSignalSent } from './decide.js';
import { decideTreeReaped } from './decide-tree.js';
import type { Driver } from './driver.js';
import { KILL_WAIT_MS, reapLeftovers, waitTreeEmpty } from './tree-reaper.js';

/** An exit the watch of attempt n saw; retried until recorded, since nobody else would ever report it. */
export function handleAttemptExit(d: Driver, runId: string, n: number, status: ExitStatus | undefined): Promise<unknown> {
  const handled = d.withRun(runId, async (run) => {
    const a = liveAttempt(run);
    if (!a || a.n !== n) return;
    const runtime = d.runtimeOf(run, a);
    const members = await runtime.listTree(refOf(run, a));
    if (members.length > 0 && run.stop) {
      // The leader is gone but its tree lives on (e.g. a TERM-ignoring grandchild): finish the stop first.
      d.lingering.set(runId, { attempt: n, status, members });
      d.arm(run);
      void awaitLingerEnd(d, runId).catch(() => undefined); // not under the lock: a stop --force must get through
      return;
    }
    if (members.length > 0) {
      // Its tree ends with it (or is kept and recorded): outside the lock, the grace period may be long.
      void reap(d, run, a, status, members);
      return;
    }
    await d.recordExit(run, n, status);
  });
  // The watch that saw this exit is gone: if the ledger refused the record, nobody else would
  // ever report it (the run would stay running forever), so keep the fact and try again.
  return handled.catch(() => d.retryLater(() => void handleAttemptExit(d, runId, n, status)));
}

/** The main process ended on its own and left processes behind: end them (or keep them), record it, then the exit. */
async function reap(d: Driver, run: RunState, a: AttemptState, status: ExitStatus | undefined, members: TreeMember[]): Promise<void> {
  const facts = await reapLeftovers({
    runtime: d.runtimeOf(run, a),
    clock: d.clock,
    ref: refOf(run, a),
    members,
    stopSignal: run.spec.stopSignal,
    graceMs: run.spec.graceMs,
    keep: run.spec.keepLeftovers === true,
    tracking: trackingOf(a),
  }).catch(() => undefined);
  d.background(run.id, async (current) => {
    if (liveAttempt(current)?.n !== a.n) return;
    const after = facts ? await d.commitRun(current, decideTreeReaped(current, facts)) : current;
    await d.recordExit(after, a.n, status);
  });
}

/** A lingering stop whose tree empties before escalateAt is done then, not at escalateAt. */
async function awaitLingerEnd(d: Driver, runId: string): Promise<void> {
  const run = d.book.run(runId);
  const linger = d.lingering.get(runId);
  const a = run && liveAttempt(run);
  if (!run || !linger || !a || a.n !== linger.attempt || !run.stop) return;
  const within = Date.parse(run.stop.escalateAt) - d.clock.now();
  if (within <= 0 || !(await waitTreeEmpty(d.runtimeOf(run, a), d.clock, refOf(run, a), within))) return;
  d.background(runId, async (current) => {
    const held = d.lingering.get(runId);
    if (!held || held.attempt !== a.n || !current.stop) return;
    const facts = { attempt: a.n, pids: held.members, signal: current.stop.signal, kept: false, survivors: [], tracking: trackingOf(a) };
    await d.recordExit(await d.commitRun(current, decideTreeReaped(current, facts)), a.n, held.status);
  });
}

/** The stop's grace period is over: SIGKILL the attempt, or the tree that outlived its leader and then record the held exit. */
export function fireEscalation(d: Driver, runId: string): void {
  void d
    .withRun(runId, async (run) => {
      const linger = d.lingering.get(runId);
      const a = liveAttempt(run);
      if (!a || !run.stop) return;
      if (!linger) {
        await d.sendSignal(run, a, 'SIGKILL', 'grace period over');
        return;
      }
      const runtime = d.runtimeOf(run, a);
      const ref = refOf(run, a);
      if ((await runtime.listTree(ref)).length > 0) {
        await runtime.signalTree(ref, 'SIGKILL');
        const current = d.book.run(runId)!;
        await d.commitRun(
          current,
          decideSignalSent(current, {
            attempt: a.n,
            signal: 'SIGKILL',
            target: 'group',
            reason: 'grace period over (the tree outlived its leader)',
          }),
        );
      }
      await waitTreeEmpty(runtime, d.clock, ref, KILL_WAIT_MS);
      const survivors = await runtime.listTree(ref);
      const current = d.book.run(runId)!;
      const facts = { attempt: a.n, pids: linger.members, signal: 'SIGKILL', kept: false, survivors, tracking: trackingOf(a) };
      await d.recordExit(await d.commitRun(current, decideTreeReaped(current, facts)), linger.attempt, linger.status);
    })
    .catch(() => d.retryLater(() => fireEscalation(d, runId)));
}
