/** The derived state of one run and its attempts: only ever computed from events. */
import type { AttemptUsage, HealthEvidence, HealthState, RunSpecRecord, RunStatus, StopReason } from '../events/schemas.js';
import { TERMINAL_STATUSES } from '../events/constants.js';

export type AttemptStatus = 'running' | 'exited' | 'spawn-failed' | 'stale' | 'unknown';

export interface AttemptState {
  n: number;
  status: AttemptStatus;
  pid: number | null;
  pgid: number | null;
  startTime: string | null;
  bootId: string | null;
  shimPid: number | null;
  runtime: string | null;
  logs: { stdout: string; stderr: string } | null;
  exitCode: number | null;
  signal: string | null;
  startedAt: string | null;
  endedAt: string | null;
  readyAt: string | null;
  /** Which event ended this attempt (exactly one per attempt). */
  endedBy: string | null;
  /** The reason and evidence of a reconcile finding (stale/unknown/recovered). */
  finding: { reason: string; evidence: Record<string, unknown> } | null;
  adoptedBy: string[];
  signals: { signal: string; target: string; at: string }[];
  /** Set once the attempt's shim was found dead while its child lived (ShimLost). */
  shimLost: { at: string; evidence: Record<string, unknown> } | null;
  /** 'cgroup' or 'process-group' (null: recorded before tracking was). */
  tracking: string | null;
  /** What was left of the tree when the main process ended (TreeReaped). */
  tree: TreeState | null;
  /** When a health probe of this attempt first passed (HealthCheckPassed / HealthRecovered). */
  healthyAt: string | null;
  /** CPU time and peak RSS of the tree, as recorded with its exit (absent when not measured). */
  usage?: AttemptUsage;
}

/** The health failure not yet followed by a passing probe (HealthCheckFailed), for `show` and HealthRecovered. */
export interface HealthFailureState {
  attempt: number;
  at: string;
  consecutiveFailures: number;
  evidence: HealthEvidence;
}

export interface TreeState {
  pids: { pid: number; command: string }[];
  signal: string | null;
  kept: boolean;
  survivors: { pid: number; command: string }[];
}

export interface StopState {
  reason: StopReason;
  signal: string;
  graceMs: number;
  force: boolean;
  requestedAt: string;
  escalateAt: string;
}

export interface RunState {
  id: string;
  /** Short, typeable id derived from a hash of the id (ULID prefixes are timestamps and collide). */
  shortId: string;
  spec: RunSpecRecord;
  git: { commit: string; dirty: boolean; root: string } | null;
  batchId: string | null;
  template: string | null;
  rerunOf: string | null;
  status: RunStatus;
  reason: string | null;
  exitCode: number | null;
  signal: string | null;
  createdAt: string;
  startedAt: string | null;
  readyAt: string | null;
  endedAt: string | null;
  attempts: AttemptState[];
  stop: StopState | null;
  /** Pending restart (status `restarting`). */
  restart: { nextAttempt: number; at: string; delayMs: number; reason: string } | null;
  restarts: number;
  timedOut: boolean;
  readinessFailure: { reason: string; message: string; stderrTail: string[] } | null;
  /**
   * Null without a health check. `starting` from each spawn until a probe passes; `unhealthy` from
   * HealthCheckFailed until a probe passes again (also across the restart it caused).
   */
  health: HealthState | null;
  healthFailure: HealthFailureState | null;
  lastCheckpoint: unknown;
  checkpoints: number;
  /** Events folded into this run (its stream version). */
  version: number;
  /** Position of the last event folded into this run. */
  position: number;
  /** Its log files were deleted by `prune` or the retention (the LogsPruned event at `position`). */
  logsPruned?: { at: string; position: number };
}

const TERMINAL: ReadonlySet<RunStatus> = new Set(TERMINAL_STATUSES);

export function isTerminalStatus(status: RunStatus): boolean {
  return TERMINAL.has(status);
}

export function isActive(run: RunState): boolean {
  return !TERMINAL.has(run.status);
}

/** The attempt currently holding a live process, if any. */
export function liveAttempt(run: RunState): AttemptState | undefined {
  const last = run.attempts[run.attempts.length - 1];
  return last && last.status === 'running' ? last : undefined;
}
