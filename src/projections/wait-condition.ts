/**
 * When is a run "ready", "exited" or "healthy"? One pure judgement over a
 * run's state, shared by the daemon's wait route and anything else that
 * waits (`runledger wait`, `run --wait-ready`, later stacks and MCP).
 *
 * - `exit`: reached once the run ended (whatever its code).
 * - `ready`: the latest attempt passed its ready check (a run without one:
 *   once spawned), and the run is still active or completed (a quick job
 *   that exited 0 after it was ready was ready). A run that ended otherwise
 *   can never be ready: unreachable, with its readiness failure as evidence.
 *   A readiness failure that leads to a restart is not the end: pending.
 * - `healthy`: a run with a health check must report `healthy`; a run
 *   without one is judged as `ready`.
 */
import type { RunStatus } from '../events/schemas.js';
import { isTerminalStatus } from './run-state.js';

export const WAIT_CONDITIONS = ['ready', 'exit', 'healthy'] as const;
export type WaitCondition = (typeof WAIT_CONDITIONS)[number];

export interface ReadinessEvidence {
  reason: string;
  message: string;
  stderrTail: string[];
}

/** What the judgement reads of a run (RunState fits; `health` is optional until health checks exist). */
export interface WaitSubject {
  status: RunStatus;
  reason: string | null;
  spec: { ready: unknown; health?: unknown };
  attempts: readonly { status: string; readyAt: string | null }[];
  readinessFailure: ReadinessEvidence | null;
  /** The health check's verdict, for runs that have one (null or absent: no verdict yet). */
  health?: 'starting' | 'healthy' | 'unhealthy' | null;
}

export type WaitVerdict =
  | { state: 'pending' }
  | { state: 'reached' }
  | { state: 'unreachable'; why: string; readiness: ReadinessEvidence | null };

export function judgeWait(run: WaitSubject, condition: WaitCondition): WaitVerdict {
  if (condition === 'exit') return isTerminalStatus(run.status) ? { state: 'reached' } : { state: 'pending' };
  if (condition === 'healthy' && hasHealthCheck(run)) return judgeHealthy(run);
  return judgeReady(run);
}

/** The switch that turns `healthy` into `ready` for runs without a health check. */
export function hasHealthCheck(run: WaitSubject): boolean {
  return run.spec.health !== undefined && run.spec.health !== null;
}

function judgeReady(run: WaitSubject): WaitVerdict {
  const ended = isTerminalStatus(run.status);
  if (latestAttemptReady(run) && (!ended || run.status === 'completed')) return { state: 'reached' };
  if (!ended) return { state: 'pending' };
  return unreachable(run, 'ready');
}

function judgeHealthy(run: WaitSubject): WaitVerdict {
  if (isTerminalStatus(run.status)) return unreachable(run, 'healthy');
  return run.health === 'healthy' ? { state: 'reached' } : { state: 'pending' };
}

function latestAttemptReady(run: WaitSubject): boolean {
  const last = run.attempts[run.attempts.length - 1];
  if (!last) return false;
  if (last.readyAt !== null) return true;
  // Without a ready check an attempt is ready once it runs (or ran: a completed job).
  return !run.spec.ready && (last.status === 'running' || (last.status === 'exited' && run.status === 'completed'));
}

function unreachable(run: WaitSubject, what: string): WaitVerdict {
  const how = run.reason ? `${run.status}: ${run.reason}` : run.status;
  return { state: 'unreachable', why: `ended before it was ${what} (${how})`, readiness: run.readinessFailure };
}
