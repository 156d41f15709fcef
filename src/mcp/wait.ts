/**
 * The `wait` tool's engine: the daemon's wait route (`GET /v1/runs/:id/wait`,
 * the same judgement as `runledger wait`, projections/wait-condition.ts),
 * bounded by the tool's deadline, then the run as it stands.
 */
import type { RunView } from '../projections/run-view.js';
import type { ReadinessEvidence, WaitCondition } from '../projections/wait-condition.js';
import type { DaemonApi } from './daemon-api.js';

export type WaitFor = WaitCondition;

export interface ReadinessFailure extends ReadinessEvidence {
  /** The attempt the run had reached when the wait was decided. */
  attempt: number;
}

export interface WaitResult {
  for: WaitFor;
  met: boolean;
  timedOut: boolean;
  /** Why it was not met: `readiness-failed`, `ended` (before the condition), `timeout`, `cancelled` (the call was; nobody reads the answer), `daemon-stopped` (the daemon ended the wait). */
  why: string | null;
  exitCode: number | null;
  signal: string | null;
  readinessFailure: ReadinessFailure | null;
  run: RunView;
  /** The `wait` tool's timeout, when it was cut to the server's cap (wait-bound.ts), and the note saying so. */
  timeoutCapped?: { requestedMs: number; appliedMs: number };
  note?: string;
}

/** `cancel`: the tool call's own signal (the client cancelled, or went away); the daemon's wait stream is closed then too. */
export async function waitForRun(
  api: DaemonApi,
  id: string,
  target: WaitFor,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<WaitResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  // Either ends the wait (AbortSignal.any is newer than the Node 20 we support).
  const ended = new AbortController();
  const end = () => ended.abort();
  deadline.addEventListener('abort', end, { once: true });
  cancel?.addEventListener('abort', end, { once: true });
  if (cancel?.aborted) end();
  let answer: Awaited<ReturnType<DaemonApi['wait']>>;
  try {
    answer = await api.wait(id, target, ended.signal);
  } finally {
    deadline.removeEventListener('abort', end);
    cancel?.removeEventListener('abort', end);
  }
  const run = answer?.run ?? (await api.show(id)).run;
  const verdict = answer?.verdict;
  const readiness = verdict?.state === 'unreachable' ? verdict.readiness : null;
  const why =
    verdict === undefined
      ? deadline.aborted
        ? 'timeout'
        : cancel?.aborted
          ? 'cancelled'
          : 'daemon-stopped'
      : verdict.state === 'reached'
        ? null
        : readiness
          ? 'readiness-failed'
          : 'ended';
  return {
    for: target,
    met: verdict?.state === 'reached',
    timedOut: verdict === undefined && deadline.aborted,
    why,
    exitCode: run.exitCode,
    signal: run.signal,
    readinessFailure: readiness ? { ...readiness, attempt: run.attempts.length } : null,
    run,
  };
}
