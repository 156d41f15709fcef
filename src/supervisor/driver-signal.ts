/**
 * How the driver signals a run's tree: identity-checked before every signal
 * (a reused pid is recorded as stale, never signalled), and a stop followed
 * by SIGCONT so a stopped process can handle it. Split from driver.ts.
 */
import { isoTime } from '../clock.js';
import { liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import type { SignalOutcome } from '../runtime/adapter.js';
import { identityOf, refOf } from './attempt-ref.js';
import { decideFinding, decideSignalSent } from './decide.js';
import type { Driver } from './driver.js';

/**
 * Send the run's current stop signal to its live attempt's whole tree,
 * then SIGCONT: a stopped (SIGSTOP, Ctrl-Z) process only runs its handler
 * once continued; without it, it would wait for SIGKILL at grace.
 */
export async function signalRunStop(d: Driver, run: RunState): Promise<SignalOutcome | 'none'> {
  const a = liveAttempt(run);
  if (!run.stop || !a) return 'none';
  const outcome = await sendCheckedSignal(d, run, a, run.stop.signal, `stop (${run.stop.reason})`);
  if (outcome === 'sent' && run.stop.signal !== 'SIGKILL' && run.stop.signal !== 'SIGCONT') {
    await sendCheckedSignal(d, d.book.run(run.id)!, a, 'SIGCONT', 'continue stopped processes so they can handle the stop signal');
  }
  return outcome;
}

/** Identity-checked signal to the attempt's tree; a mismatch marks the attempt stale instead of signalling. */
export async function sendCheckedSignal(d: Driver, run: RunState, a: AttemptState, signal: string, reason: string): Promise<SignalOutcome> {
  const runtime = d.runtimeOf(run, a);
  const identity = identityOf(a);
  const outcome = await runtime.signalTree(refOf(run, a), signal);
  const current = d.book.run(run.id)!;
  if (outcome === 'sent') await d.commitRun(current, decideSignalSent(current, { attempt: a.n, signal, target: 'group', reason }));
  else if (outcome === 'mismatch') {
    const obs = await runtime.inspect(run.id, a.n, identity);
    const evidence = { expected: identity, observed: obs.observed, checkedAt: isoTime(d.clock.now()), before: `sending ${signal}` };
    await d.commitRun(
      current,
      decideFinding(
        current,
        { attempt: a.n, kind: 'stale', reason: 'pid reused: identity did not match before signalling', evidence },
        d.clock.now(),
      ),
    );
  }
  return outcome;
}
