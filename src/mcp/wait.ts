/**
 * The `wait` tool's engine over the daemon's event stream: fold the run's
 * history, then follow from the next position (positions are gap-free, so
 * nothing slips between the two), until a verdict or the deadline.
 */
import type { RunView } from '../projections/run-view.js';
import type { DaemonApi } from './daemon-api.js';
import {
  evolveWait,
  initialWaitState,
  verdictOf,
  type ReadinessFailure,
  type Verdict,
  type WaitFor,
  type WaitState,
} from './wait-state.js';

export interface WaitResult {
  for: WaitFor;
  met: boolean;
  timedOut: boolean;
  /** Why it was not met: `readiness-failed`, `ended` (before ready), `timeout`, `daemon-stopped` (the stream ended first). */
  why: string | null;
  exitCode: number | null;
  signal: string | null;
  readinessFailure: ReadinessFailure | null;
  run: RunView;
}

export async function waitForRun(api: DaemonApi, id: string, target: WaitFor, timeoutMs: number): Promise<WaitResult> {
  const { run } = await api.show(id);
  const deadline = AbortSignal.timeout(timeoutMs);
  let state: WaitState = initialWaitState();
  let last = 0;
  await api.events({ run: run.id }, (e) => {
    state = evolveWait(state, e);
    last = e.position;
  });
  let verdict: Verdict = verdictOf(target, state);
  if (verdict === null && !deadline.aborted) {
    const done = new AbortController();
    const stop = () => done.abort();
    deadline.addEventListener('abort', stop);
    try {
      await api.events(
        { run: run.id, from: last + 1, follow: true },
        (e) => {
          if (done.signal.aborted) return;
          state = evolveWait(state, e);
          verdict = verdictOf(target, state);
          if (verdict !== null) done.abort();
        },
        done.signal,
      );
    } finally {
      deadline.removeEventListener('abort', stop);
    }
  }
  const now = (await api.show(run.id)).run;
  const v = verdict as Verdict;
  return {
    for: target,
    met: v?.met === true,
    timedOut: v === null && deadline.aborted,
    why: v === null ? (deadline.aborted ? 'timeout' : 'daemon-stopped') : v.met ? null : v.why,
    exitCode: now.exitCode,
    signal: now.signal,
    readinessFailure: state.readinessFailure,
    run: now,
  };
}
