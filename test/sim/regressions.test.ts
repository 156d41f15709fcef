/**
 * Bugs the simulator found, each pinned as the shrunk command sequence that
 * showed it (run through the same runner and invariants as the model test).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  Advance,
  AdvancePastEscalation,
  ArmCrash,
  Boot,
  RebootMachine,
  RecyclePid,
  ChildEnds,
  FailWrites,
  Interrupt,
  ReconcileTwice,
  Start,
  Stop,
  type StartPlan,
} from './commands.js';
import { runSequence } from './run-sequence.js';

// Hoisted above the imports: the factory loads its helper itself.
vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig as never));

const plain: StartPlan = {
  session: 'A',
  ready: 'none',
  readyAfterMs: 0,
  restart: 'never',
  maxRestarts: 0,
  backoffMs: 0,
  graceMs: 0,
  ignoreTerm: false,
  grandchild: 'none',
  checkpoint: false,
  missing: false,
};

describe('simulator regressions', () => {
  it('regression: reconcile recorded the exit of a stopping run whose group still lived, leaking a TERM-ignoring grandchild', async () => {
    // SIGTERM kills the leader; its grandchild ignores it. The driver holds the exit until the group
    // is gone (SIGKILL at escalateAt), but reconcile recovered the exit from the shim's record and
    // ended the run, so the escalation never came.
    await runSequence(1, [
      new Start({ ...plain, grandchild: 'ignore-term' }),
      new Stop(0, false, undefined),
      new ReconcileTwice(),
      new AdvancePastEscalation(),
    ]);
  });

  it('regression: an exit whose append failed (LEDGER_IO) was lost for good, leaving the run running forever', async () => {
    // The watch reports an exit once; recordExit's append failed and the error was swallowed by the
    // run's lock, so the run stayed running (then stopping after its timeout) with its process long dead.
    await runSequence(1, [
      new Start({ ...plain, timeoutMs: 50 }),
      new FailWrites(1),
      new ChildEnds(0, { signal: 'SIGKILL' }),
      new Advance(50),
      new AdvancePastEscalation(),
    ]);
  });

  it('regression: a failed SignalSent append during a lingering stop left the run stopping forever', async () => {
    // SIGTERM killed the leader, the TERM-ignoring grandchild kept the group alive (linger). At
    // escalateAt the group got its SIGKILL, but the SignalSent append failed, the escalation threw
    // before recording the exit, and no timer was left to try again.
    await runSequence(1, [
      new Start({ ...plain, grandchild: 'ignore-term' }),
      new Interrupt('A'),
      new FailWrites(1),
      new Advance(1),
      new AdvancePastEscalation(),
    ]);
  });

  it('regression: a run timeout whose append failed never fired again', async () => {
    const world = await runSequence(1, [
      new Start({ ...plain, timeoutMs: 50 }),
      new FailWrites(1),
      new Advance(50),
      new AdvancePastEscalation(),
    ]);
    expect(world.sup.list().map((r) => r.status)).toEqual(['timeout']);
  });

  it('regression: a lingering exit was forgotten when its record failed to append, so the retry never recorded it', async () => {
    // Timeout -> SIGTERM; the grandchild ignores it, so the exit is held (linger). Both the SignalSent
    // and then the exit append failed; recordExit had already dropped the held exit, so the retried
    // escalation took the plain SIGKILL path ('gone') and the run stayed stopping forever.
    const plan: StartPlan = { ...plain, timeoutMs: 50, graceMs: 1, exit: { afterMs: 51, code: 0 }, grandchild: 'ignore-term' };
    await runSequence(1, [new Start(plan), new Advance(50), new FailWrites(2), new Advance(1001), new AdvancePastEscalation()]);
  });

  it('regression: reconcile ended a run a second time when it ended while reconcile waited for its lock', async () => {
    // Reconcile lists the active runs, then takes each run's lock. This run's timeout (whose first
    // append failed and was retried) ended it in between; reconcile's "missing decision" branch
    // did not re-check that the run was still active and appended a second RunEnded.
    await runSequence(1, [
      new Start({ ...plain, timeoutMs: 50, exit: { afterMs: 1, code: 0 } }),
      new FailWrites(1),
      new Advance(50),
      new RecyclePid(0),
      new Advance(951),
      new ReconcileTwice(),
    ]);
  });

  it('regression: after a reboot, an attempt whose spawn was never recorded was spawned a second time', async () => {
    // The supervisor crashed between spawning attempt 2 (a restart) and recording it; the machine
    // rebooted. discover() ignored the other boot's record, so attempt 2 was spawned again into the
    // same attempt dir. Now the earlier spawn is recorded and found gone with its boot.
    await runSequence(1, [
      new ArmCrash(7, 'before'),
      new Start({ ...plain, ready: 'line', restart: 'always', maxRestarts: 1 }),
      new ChildEnds(0, { code: 0 }),
      new Advance(1),
      new RebootMachine(),
      new Boot(),
      new Advance(1),
      new Start(plain),
    ]);
  });
});
