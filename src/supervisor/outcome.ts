/**
 * What an attempt's end means for its run: restart (per policy, with
 * exponential backoff) or end with one terminal status. Pure.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { TerminalStatus } from '../events/schemas.js';
import { isoTime } from '../clock.js';
import type { RunState } from '../projections/run-state.js';
import { describeExit, formatDuration } from '../projections/describe.js';
import { stopOutcome } from '../projections/stop-outcome.js';
import { STATUS_FOR_STOP } from './stop-status.js';

/** The attempt as the fold will see it once this end is recorded (a recovered exit may pre-date the stop). */
function endedAttempt(run: RunState, end: AttemptEnd): { endedAt: string; signals: RunState['attempts'][number]['signals'] } | undefined {
  const a = run.attempts.find((x) => x.n === end.attempt);
  return a && { endedAt: a.endedAt ?? isoTime(end.endedAtMs), signals: a.signals };
}

export interface AttemptEnd {
  attempt: number;
  exitCode: number | null;
  signal: string | null;
  /** When the attempt's process started and ended (ms), for the crash-loop check. */
  startedAtMs: number | null;
  endedAtMs: number;
  /** A finding that ended the attempt (stale/unknown): never restarted. */
  finding?: 'stale' | 'unknown';
  /** Extra words for the reason, e.g. "exited before ready". */
  note?: string;
  /** Seen to end with no status to be had, e.g. "shim lost": never counted as success. */
  codeUnknown?: string;
}

function ended(status: TerminalStatus, reason: string, end: AttemptEnd): RunledgerEvent {
  return { type: 'RunEnded', data: { status, reason, exitCode: end.exitCode, signal: end.signal } };
}

/** The events that follow an attempt's terminal event. */
export function decideAfterAttempt(run: RunState, end: AttemptEnd, now: number): RunledgerEvent[] {
  const what =
    (end.codeUnknown ? `code unknown (${end.codeUnknown})` : describeExit(end.exitCode, end.signal)) + (end.note ? ` (${end.note})` : '');
  if (end.finding) return [ended(end.finding, `attempt ${end.attempt}: ${what}`, end)];
  // A readiness or health stop is not a user's decision: the attempt failed, and the restart policy applies.
  const failedCheck = run.stop?.reason === 'readiness' || run.stop?.reason === 'unhealthy' ? run.stop.reason : null;
  if (run.stop && !failedCheck) {
    const table = STATUS_FOR_STOP[run.stop.reason];
    if (table === 'restart') return [restartEvent(run, end, now, 0, 'manual restart', false)];
    const mapped = table === 'stopped' ? stopOutcome({ stop: run.stop, attempt: endedAttempt(run, end), exit: end }) : table;
    const why =
      run.stop.reason === 'timeout' && run.spec.timeoutMs
        ? `timed out after ${formatDuration(run.spec.timeoutMs)}`
        : `stopped (${run.stop.reason})`;
    return [ended(mapped, `${why}; ${what}`, end)];
  }
  // The run's readiness failure belongs to its live attempt (the fold clears it at each spawn).
  const notReady = run.readinessFailure !== null || run.stop?.reason === 'readiness';
  const unhealthy = failedCheck === 'unhealthy';
  const failed = notReady || unhealthy || end.exitCode !== 0 || end.signal !== null;
  const told = failedCheck ? `stopped (${failedCheck}); ${what}` : what;
  const { policy, maxRestarts, backoffMs, maxBackoffMs, minUptimeMs } = run.spec.restart;
  // An unknown code is neither success nor failure: only "always" restarts it, and if not, the run's end is unknown.
  const wants = policy === 'always' || (policy === 'on-failure' && failed && !end.codeUnknown);
  const uptime = end.startedAtMs === null ? null : end.endedAtMs - end.startedAtMs;
  // supervisord's startsecs / PM2's min_uptime: an attempt that started properly and stayed up
  // starts a fresh count, so a server that crashes once a day never exhausts maxRestarts.
  // An attempt that was never healthy did not start properly either (a wrong health URL must not restart forever).
  const neverHealthy = unhealthy && !run.attempts.find((a) => a.n === end.attempt)?.healthyAt;
  const countReset = !notReady && !neverHealthy && uptime !== null && uptime >= minUptimeMs && run.restarts > 0;
  const count = countReset ? 0 : run.restarts;
  if (wants && count < maxRestarts) {
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** count);
    const why = countReset ? `${told}; up ${formatDuration(uptime!)}, restart count reset` : told;
    return [restartEvent(run, end, now, delay, why, (uptime ?? 0) < minUptimeMs, countReset)];
  }
  if (end.codeUnknown)
    return [ended('unknown', `attempt ${end.attempt}: ${what}${wants ? `; reached max restarts (${maxRestarts})` : ''}`, end)];
  const status: TerminalStatus = failed ? 'failed' : 'completed';
  const reason = wants ? `${told}; reached max restarts (${maxRestarts})` : told;
  return [ended(status, reason, end)];
}

function restartEvent(
  run: RunState,
  end: AttemptEnd,
  now: number,
  delayMs: number,
  reason: string,
  crashLoop: boolean,
  countReset = false,
): RunledgerEvent {
  const nextAttempt = Math.max(end.attempt, ...run.attempts.map((a) => a.n)) + 1;
  const why = crashLoop ? `${reason}; crash loop (up less than ${formatDuration(run.spec.restart.minUptimeMs)})` : reason;
  return {
    type: 'RestartScheduled',
    data: {
      attempt: end.attempt,
      nextAttempt,
      delayMs,
      at: isoTime(now + delayMs),
      reason: why,
      crashLoop,
      ...(countReset ? { countReset } : {}),
    },
  };
}
