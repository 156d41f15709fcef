/**
 * Waiting for runs from the CLI (`wait`, `run --wait`, `run --wait-ready`):
 * one daemon request per run that answers when the condition is decided
 * (GET /v1/runs/:id/wait, driven by the live projection: no polling), a
 * timeout owned here, and the errors scripts branch on: WAIT_TIMEOUT (exit
 * 124), NEVER_READY (1, with the readiness error and the stderr tail), and
 * DAEMON_UNAVAILABLE (125) when the daemon went away while we waited.
 */
import { constants as osConstants } from 'node:os';
import { isRunledgerError, RunledgerError } from '../errors.js';
import type { RunView } from '../projections/run-view.js';
import type { ReadinessEvidence, WaitCondition } from '../projections/wait-condition.js';
import { formatDuration } from '../projections/describe.js';
import type { Backend } from './backend.js';

/** Lines of stderr shown when a run ended before it was ready and recorded no tail of its own. */
const STDERR_TAIL_LINES = 10;

export interface WaitOptions {
  /** Give up after this long (WAIT_TIMEOUT); none: wait as long as it takes. */
  timeoutMs?: number;
  /** Called once the daemon watches every run (all waits are open). */
  onWatching?: () => void;
}

/** Every run once `condition` is reached, in the order given; throws on the first that cannot reach it. */
export async function waitForRuns(
  backend: Backend,
  ids: readonly string[],
  condition: WaitCondition,
  o: WaitOptions = {},
): Promise<RunView[]> {
  const abort = new AbortController();
  const decided = new Set<string>();
  let timedOut = false;
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, o.timeoutMs);
  let open = 0;
  const opened = () => {
    if (++open === ids.length) o.onWatching?.();
  };
  try {
    return await Promise.all(
      ids.map(async (id) => {
        const run = await waitForOne(backend, id, condition, abort.signal, opened);
        decided.add(id);
        return run;
      }),
    );
  } catch (err) {
    if (!timedOut) throw err;
    throw await timeoutError(
      backend,
      ids.filter((id) => !decided.has(id)),
      condition,
      o.timeoutMs ?? 0,
    );
  } finally {
    clearTimeout(timer);
    // One failure ends the other waits (their requests close).
    abort.abort();
  }
}

async function waitForOne(
  backend: Backend,
  id: string,
  condition: WaitCondition,
  signal: AbortSignal,
  onWatching: () => void,
): Promise<RunView> {
  const answer = await backend.wait(id, condition, { signal, onWatching }).catch((err: unknown) => {
    // A daemon shutting down answers 503 with these: for the waiter it is the same as a daemon gone.
    if (isRunledgerError(err, 'SUPERVISOR_CLOSED') || isRunledgerError(err, 'LEDGER_CLOSED'))
      throw new RunledgerError('DAEMON_UNAVAILABLE', `the daemon shut down while waiting for run ${id}`, { runId: id }, { cause: err });
    throw err;
  });
  if (signal.aborted) throw new RunledgerError('WAIT_TIMEOUT', 'timed out');
  if (!answer)
    throw new RunledgerError(
      'DAEMON_UNAVAILABLE',
      `the daemon stopped while waiting for run ${id}; the run goes on under the next daemon`,
      {
        runId: id,
      },
    );
  const { run, verdict } = answer;
  if (verdict.state === 'reached') return run;
  if (verdict.state === 'pending') throw new RunledgerError('INTERNAL', `the daemon answered the wait for ${run.shortId} undecided`);
  throw await neverReady(backend, run, condition, verdict.why, verdict.readiness);
}

async function neverReady(
  backend: Backend,
  run: RunView,
  condition: WaitCondition,
  why: string,
  readiness: ReadinessEvidence | null,
): Promise<RunledgerError> {
  const tail = readiness && readiness.stderrTail.length > 0 ? readiness.stderrTail : await stderrTail(backend, run.id);
  const lines = [`run ${run.shortId} (${run.name}) ${why}`];
  if (readiness) lines.push(`  readiness: ${readiness.message}`);
  if (tail.length > 0) lines.push(`  stderr (last ${tail.length} lines):`, ...tail.map((l) => `    ${l}`));
  else lines.push('  stderr: (empty)');
  return new RunledgerError('NEVER_READY', lines.join('\n'), {
    runId: run.id,
    shortId: run.shortId,
    condition,
    status: run.status,
    reason: run.reason,
    readiness,
    stderrTail: tail,
  });
}

async function stderrTail(backend: Backend, id: string): Promise<string[]> {
  const lines: string[] = [];
  await backend.logs(id, { stream: 'stderr', n: STDERR_TAIL_LINES, follow: false }, (l) => lines.push(l.line)).catch(() => undefined);
  return lines.slice(-STDERR_TAIL_LINES);
}

/** Names the runs still pending as people know them (short id, name, status). */
async function timeoutError(backend: Backend, pending: string[], condition: WaitCondition, timeoutMs: number): Promise<RunledgerError> {
  const named = await Promise.all(
    pending.map(async (id) => {
      const run = await backend.show(id).then(
        (s) => s.run,
        () => undefined,
      );
      return run ? `${run.shortId} (${run.name}, ${run.status})` : id;
    }),
  );
  const what = condition === 'exit' ? 'ended' : condition;
  return new RunledgerError(
    'WAIT_TIMEOUT',
    `not ${what} after ${formatDuration(timeoutMs)}: ${named.join(', ')}; stopped waiting, the run${pending.length === 1 ? ' goes' : 's go'} on`,
    { pending, condition, timeoutMs },
  );
}

/** The child's exit code; 128 + n when killed by signal n (as a shell reports it); 1 when unknown. */
export function exitCodeOf(run: RunView): number {
  if (run.signal) {
    const n = (osConstants.signals as Record<string, number>)[run.signal];
    return n === undefined ? 1 : 128 + n;
  }
  if (run.exitCode !== null) return run.exitCode;
  return run.status === 'completed' ? 0 : 1;
}

/** `wait --for exit` over several runs: the first non-zero code in the order given, else 0. */
export function firstFailureCode(runs: readonly RunView[]): number {
  for (const run of runs) {
    const code = exitCodeOf(run);
    if (code !== 0) return code;
  }
  return 0;
}
