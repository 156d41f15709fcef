/**
 * Waiting for a run's condition, as a fold over its events (pure): the MCP
 * `wait` tool and `run { waitReady }` feed it the run's history, then its live
 * events, and stop at the first verdict. A local version until the CLI's
 * `runledger wait` module lands (the lead unifies them).
 */
import type { EventEnvelope } from '../events/envelope.js';

export type WaitFor = 'ready' | 'exit';

export interface ReadinessFailure {
  attempt: number;
  reason: string;
  message: string;
  stderrTail: string[];
}

export interface WaitState {
  hasReadyCheck: boolean;
  /** The latest attempt spawned (0 before the first). */
  attempt: number;
  /** The latest attempt passed its ready check (or has none and was spawned). */
  ready: boolean;
  readinessFailure: ReadinessFailure | null;
  ended: { status: string; reason: string; exitCode: number | null; signal: string | null } | null;
}

export type Verdict = { met: true } | { met: false; why: 'readiness-failed' | 'ended' } | null;

export const initialWaitState = (): WaitState => ({ hasReadyCheck: false, attempt: 0, ready: false, readinessFailure: null, ended: null });

export function evolveWait(s: WaitState, e: EventEnvelope): WaitState {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'RunRequested':
      return { ...s, hasReadyCheck: ((d.spec as { ready?: unknown } | undefined)?.ready ?? null) !== null };
    case 'ProcessSpawned':
      // Each attempt is judged afresh: readiness is per attempt.
      return { ...s, attempt: d.attempt as number, ready: !s.hasReadyCheck, readinessFailure: null };
    case 'ProcessReady':
      return d.attempt === s.attempt ? { ...s, ready: true } : s;
    case 'ReadinessFailed':
      return {
        ...s,
        readinessFailure: {
          attempt: d.attempt as number,
          reason: d.reason as string,
          message: d.message as string,
          stderrTail: d.stderrTail as string[],
        },
      };
    case 'RunEnded':
      return {
        ...s,
        ended: {
          status: d.status as string,
          reason: d.reason as string,
          exitCode: d.exitCode as number | null,
          signal: d.signal as string | null,
        },
      };
    default:
      return s;
  }
}

/** Met, failed for good (a readiness failure, or the run ended first), or null: keep waiting. */
export function verdictOf(target: WaitFor, s: WaitState): Verdict {
  if (target === 'exit') return s.ended ? { met: true } : null;
  if (s.ready && !s.ended) return { met: true };
  if (s.readinessFailure) return { met: false, why: 'readiness-failed' };
  if (s.ended) return { met: false, why: 'ended' };
  return null;
}
