/**
 * From a plan to events: the deterministic half of the arbitraries. A plan
 * says *what happens* to one run (how each attempt ends, whether it restarts,
 * when it is stopped); `scriptRun` turns it into the exact events the
 * supervisor would append, following the status machine and the supervisor's
 * own rules (outcome.ts): a spawn failure ends the run; an exit restarts while
 * attempts remain in the plan (policy 'always', maxRestarts = attempts - 1);
 * a stop, timeout or reconcile finding ends it.
 *
 * Each event gets a virtual time (ms from the scenario start) that never goes
 * backwards within the run and honours the times it announces (a restart
 * spawns no earlier than its `at`, SIGKILL no earlier than `escalateAt`).
 */
import { isoTime } from '../../src/clock.js';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { runStreamId } from '../../src/events/envelope.js';
import type { RunSpecRecord, StopReason, TerminalStatus } from '../../src/events/schemas.js';

export type AttemptEndPlan =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'recovered'; exitCode: number }
  | { kind: 'stop'; reason: Extract<StopReason, 'user' | 'interrupt' | 'shutdown'>; escalate: boolean }
  | { kind: 'timeout'; escalate: boolean }
  | { kind: 'stale' }
  | { kind: 'unknown' }
  | { kind: 'spawn-failed' };

export interface AttemptPlan {
  /** With a ready check: the attempt passes it, or fails it (then is stopped). Ignored without one. */
  ready: 'ready' | 'failed';
  checkpoints: { phase: string; pct: number }[];
  /** A restarted supervisor adopts the live process (reconcile found it alive). */
  adopted: boolean;
  end: AttemptEndPlan;
  /** After this attempt's exit schedules a restart, the user stops the run during the backoff. */
  stopDuringBackoff: boolean;
}

export interface RunPlan {
  runId: string;
  /** Spec without the fields the plan decides (ready, timeoutMs, restart). */
  spec: Omit<RunSpecRecord, 'ready' | 'timeoutMs' | 'restart'>;
  readyCheck: boolean;
  batchId: string | null;
  /** Stopped before its first spawn. */
  stopWhilePending: boolean;
  attempts: AttemptPlan[];
  /** Keep only this many leading events (a run still in flight); null keeps all. */
  keep: number | null;
  /** Virtual ms before the first event, and between events (cycled). */
  startAt: number;
  gaps: number[];
}

/** A generated event: what a caller hands to `append`, plus its stream and time. */
export type GeneratedEvent = RunledgerEvent & { streamId: string; time: string };

/** An event with its virtual time, before interleaving. */
export interface TimedEvent {
  at: number;
  event: RunledgerEvent;
  streamId: string;
}

const RESTARTABLE = new Set<AttemptEndPlan['kind']>(['exit', 'recovered']);

/** Attempts that can actually happen: everything up to the first end that ends the run. */
export function effectiveAttempts(plan: RunPlan): AttemptPlan[] {
  const i = plan.attempts.findIndex(
    (a) => !RESTARTABLE.has(a.end.kind) || (plan.readyCheck && a.ready === 'failed') || a.stopDuringBackoff,
  );
  return i < 0 ? plan.attempts : plan.attempts.slice(0, i + 1);
}

/** Does this attempt's end schedule a restart? Every effective attempt but the last does; the last only to be stopped in its backoff. */
function schedulesRestart(plan: RunPlan, a: AttemptPlan, last: boolean): boolean {
  return !last || (a.stopDuringBackoff && RESTARTABLE.has(a.end.kind) && !(plan.readyCheck && a.ready === 'failed'));
}

export function specOf(plan: RunPlan): RunSpecRecord {
  const attempts = effectiveAttempts(plan);
  const restarts = attempts.filter((a, i) => schedulesRestart(plan, a, i === attempts.length - 1)).length;
  return {
    ...plan.spec,
    ready: plan.readyCheck ? { line: '^ready$', timeoutMs: 5000 } : null,
    timeoutMs: attempts.some((a) => a.end.kind === 'timeout') ? 60_000 : null,
    restart:
      restarts > 0
        ? { policy: 'always', maxRestarts: restarts, backoffMs: 1000, maxBackoffMs: 30_000, minUptimeMs: 0 }
        : { policy: 'never', maxRestarts: 0, backoffMs: 1000, maxBackoffMs: 30_000, minUptimeMs: 0 },
  };
}

export function exitWords(exitCode: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  return exitCode === null ? 'exit status unknown' : `exited with code ${exitCode}`;
}

const STOP_STATUS: Record<Exclude<StopReason, 'restart'>, TerminalStatus> = {
  user: 'killed',
  shutdown: 'killed',
  interrupt: 'interrupted',
  timeout: 'timeout',
  readiness: 'failed',
  unhealthy: 'failed',
};

/** The events of one run, each with its virtual time. `adopter` is the supervisor id used by ProcessAdopted. */
export function scriptRun(plan: RunPlan, adopter: string): TimedEvent[] {
  const streamId = runStreamId(plan.runId);
  const spec = specOf(plan);
  const out: TimedEvent[] = [];
  let t = plan.startAt;
  const emit = (event: RunledgerEvent): void => {
    out.push({ at: t, event, streamId });
    t += plan.gaps[out.length % plan.gaps.length] ?? 0;
  };
  const end = (status: TerminalStatus, reason: string, exitCode: number | null, signal: string | null): void =>
    emit({ type: 'RunEnded', data: { status, reason, exitCode, signal } });
  /** StopRequested, TERM (and KILL after the grace period) to the group, the exit, the end. */
  const stopAttempt = (n: number, pid: number, reason: keyof typeof STOP_STATUS, escalate: boolean): void => {
    emit({
      type: 'StopRequested',
      data: { reason, signal: spec.stopSignal, graceMs: spec.graceMs, force: false, escalateAt: isoTime(t + spec.graceMs) },
    });
    const escalateAt = t + spec.graceMs;
    emit({ type: 'SignalSent', data: { attempt: n, signal: spec.stopSignal, target: 'group', pid, pgid: pid, reason } });
    if (escalate) {
      t = Math.max(t, escalateAt);
      emit({ type: 'SignalSent', data: { attempt: n, signal: 'SIGKILL', target: 'group', pid, pgid: pid, reason: 'grace period over' } });
    }
    const signal = escalate ? 'SIGKILL' : spec.stopSignal;
    emit({ type: 'ProcessExited', data: { attempt: n, exitCode: null, signal } });
    end(STOP_STATUS[reason], `stopped (${reason}); ${exitWords(null, signal)}`, null, signal);
  };

  emit({
    type: 'RunRequested',
    data: { spec, git: null, ...(plan.batchId ? { batchId: plan.batchId } : {}) },
  });
  if (plan.stopWhilePending) {
    emit({
      type: 'StopRequested',
      data: { reason: 'user', signal: spec.stopSignal, graceMs: spec.graceMs, force: false, escalateAt: isoTime(t + spec.graceMs) },
    });
    end('killed', 'stopped (user) before a process was running', null, null);
    return truncate(out, plan.keep);
  }
  const attempts = effectiveAttempts(plan);
  for (const [i, a] of attempts.entries()) {
    const n = i + 1;
    const last = i === attempts.length - 1;
    if (a.end.kind === 'spawn-failed') {
      emit({ type: 'ProcessSpawnFailed', data: { attempt: n, code: 'ENOENT', message: `${spec.command}: not found` } });
      end('failed', `spawn failed: ${spec.command}: not found`, null, null);
      break;
    }
    const pid = pidOf(plan.runId, n);
    emit({
      type: 'ProcessSpawned',
      data: {
        attempt: n,
        pid,
        pgid: pid,
        startTime: String(1000 + t),
        bootId: 'boot-1',
        runtime: 'background',
        logs: { stdout: `/logs/${plan.runId}/${n}.out`, stderr: `/logs/${plan.runId}/${n}.err` },
      },
    });
    if (plan.readyCheck && a.ready === 'failed') {
      emit({
        type: 'ReadinessFailed',
        data: {
          attempt: n,
          reason: 'timeout',
          message: 'no line matched /^ready$/ within 5s',
          stderrTail: ['listening…', 'error: port in use'],
        },
      });
      stopAttempt(n, pid, 'readiness', false);
      break;
    }
    if (plan.readyCheck) emit({ type: 'ProcessReady', data: { attempt: n, via: 'line', detail: 'ready' } });
    for (const checkpoint of a.checkpoints) emit({ type: 'Checkpointed', data: { attempt: n, checkpoint } });
    if (a.adopted)
      emit({ type: 'ProcessAdopted', data: { attempt: n, supervisorId: adopter, evidence: { pid, startTime: String(1000 + t) } } });
    const e = a.end;
    if (e.kind === 'stop') {
      stopAttempt(n, pid, e.reason, e.escalate);
      break;
    }
    if (e.kind === 'timeout') {
      emit({ type: 'RunTimedOut', data: { timeoutMs: spec.timeoutMs ?? 60_000 } });
      stopAttempt(n, pid, 'timeout', e.escalate);
      break;
    }
    if (e.kind === 'stale' || e.kind === 'unknown') {
      const reason = e.kind === 'stale' ? 'pid reused by another process' : 'process gone, no exit record';
      const evidence = e.kind === 'stale' ? { expectedStartTime: String(1000 + t), observedStartTime: '99' } : { pid };
      emit({ type: e.kind === 'stale' ? 'ProcessMarkedStale' : 'ProcessStatusUnknown', data: { attempt: n, reason, evidence } });
      end(e.kind, `attempt ${n}: exit status unknown (${reason})`, null, null);
      break;
    }
    if (e.kind === 'recovered') {
      emit({
        type: 'ExitRecovered',
        data: { attempt: n, exitCode: e.exitCode, signal: null, exitedAt: isoTime(t - 1), evidence: { source: 'shim' } },
      });
    } else if (e.kind === 'exit') {
      emit({ type: 'ProcessExited', data: { attempt: n, exitCode: e.exitCode, signal: null } });
    }
    const what = exitWords(e.exitCode, null);
    if (!schedulesRestart(plan, a, last)) {
      const reason = attempts.length > 1 ? `${what}; reached max restarts (${attempts.length - 1})` : what;
      end(e.exitCode === 0 ? 'completed' : 'failed', reason, e.exitCode, null);
      break;
    }
    const delayMs = Math.min(30_000, 1000 * 2 ** i);
    emit({
      type: 'RestartScheduled',
      data: { attempt: n, nextAttempt: n + 1, delayMs, at: isoTime(t + delayMs), reason: what, crashLoop: false },
    });
    if (a.stopDuringBackoff) {
      emit({
        type: 'StopRequested',
        data: { reason: 'user', signal: spec.stopSignal, graceMs: spec.graceMs, force: false, escalateAt: isoTime(t + spec.graceMs) },
      });
      end('killed', 'stopped (user) before a process was running', null, null);
      break;
    }
    t += delayMs;
  }
  return truncate(out, plan.keep);
}

/** A pid per attempt that is stable for a given run (no randomness outside the plan). */
function pidOf(runId: string, n: number): number {
  let h = 0;
  for (const c of runId) h = (h * 31 + c.charCodeAt(0)) % 4_000_000;
  return 100 + ((h + n * 7919) % 4_000_000);
}

function truncate(events: TimedEvent[], keep: number | null): TimedEvent[] {
  return keep === null ? events : events.slice(0, 1 + (keep % events.length));
}
