/**
 * The one table from a stop reason to the status a stopped run ends with.
 * `stopped` is refined by `stopOutcome` (projections/stop-outcome.ts): a stop
 * that needed SIGKILL, or a process some other signal ended, is `killed`.
 * The attempt-end decider, the stop decider and reconcile's lost-decision
 * path all read it, so they cannot disagree again (they once did for
 * `readiness`). Pure.
 */
import type { StopReason, TerminalStatus } from '../events/schemas.js';

/** `restart` is no end: the attempt's exit schedules the next one at once. */
export const STATUS_FOR_STOP: Readonly<Record<StopReason, TerminalStatus | 'restart'>> = {
  user: 'stopped',
  shutdown: 'stopped',
  interrupt: 'interrupted',
  timeout: 'timeout',
  readiness: 'failed',
  restart: 'restart',
  // Like readiness: the attempt failed its health probe; only an attempt-less stop ends on this row.
  unhealthy: 'failed',
};

/**
 * The status of a run stopped before any process was running: nothing is
 * left to restart, so a manual restart's stop ends it like a user's stop.
 */
export function statusForStop(reason: StopReason): TerminalStatus {
  const mapped = STATUS_FOR_STOP[reason];
  return mapped === 'restart' ? 'stopped' : mapped;
}

/** Why a run ended without a process to stop: "during restart backoff" says nothing was killed between attempts. */
export function nothingRunningReason(reason: StopReason, attemptsSoFar: number): string {
  return attemptsSoFar > 0
    ? `stopped (${reason}) during restart backoff; nothing was running`
    : `stopped (${reason}) before a process was running`;
}
