/**
 * RunView: the stable public JSON shape of a run for the CLI (`--json`) and
 * the daemon's API. Fields are only ever added, never renamed or removed;
 * internal RunState may change freely behind it.
 */
import type { AttemptUsage, HealthState, OwnerScope, RunStatus } from '../events/schemas.js';
import { isTerminalStatus, type AttemptState, type AttemptStatus, type RunState, type TreeState } from './run-state.js';

export interface AttemptView {
  n: number;
  pid: number | null;
  pgid: number | null;
  startTime: string | null;
  bootId: string | null;
  exitCode: number | null;
  signal: string | null;
  startedAt: string | null;
  endedAt: string | null;
  status: AttemptStatus;
  /** Why the attempt could not be spawned: an error code such as SPAWN_FAILED or ENV_FILE_UNREADABLE. */
  spawnError?: string;
  /** 'cgroup' or 'process-group' (null for attempts recorded before tracking was). */
  tracking: string | null;
  /** What was left of its tree when the main process ended: reaped, kept, survivors. */
  tree: TreeState | null;
  /** CPU time and peak RSS of its tree, recorded with its exit; absent when not measured. */
  usage?: AttemptUsage;
}

export interface RunView {
  id: string;
  shortId: string;
  name: string;
  status: RunStatus;
  reason: string | null;
  exitCode: number | null;
  signal: string | null;
  command: string;
  args: string[];
  cwd: string;
  labels: Record<string, string>;
  slot: string | null;
  key: string | null;
  owner: OwnerScope;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  attempts: AttemptView[];
  batchId: string | null;
  /** The latest attempt passed its ready check. */
  ready: boolean;
  restarts: number;
  lastCheckpoint: unknown;
  /** The git commit of the work tree around `cwd` when the run was requested, and whether it had changes. */
  git: { commit: string; dirty: boolean; root: string } | null;
  /** The run this one re-ran (`runledger rerun`), if any. */
  rerunOf: string | null;
  /** From the first start to the end, or to `now` while the run is active (null when not started, or active and no `now` given). */
  durationMs: number | null;
  /**
   * Only for an active run with a health check: `starting` until a probe of the current attempt passes,
   * `healthy`, or `unhealthy` from a failure past the threshold until a probe passes again.
   */
  health?: HealthState;
  /** Its log files were deleted (`prune`, retention): when, and the LogsPruned event's position. */
  logsPruned: { at: string; position: number } | null;
  /** The fleet host that ran it (only in answers read from the fleet ledger). */
  host?: string;
  /** Where the process lives: `background` or `tmux` (`sim` in the simulator). */
  runtime: string;
}

/** The public view of a run; `now` (ms, from the caller's clock) gives active runs a duration. */
export function toRunView(run: RunState, now?: number): RunView {
  const last = run.attempts[run.attempts.length - 1];
  return {
    id: run.id,
    shortId: run.shortId,
    name: run.spec.name,
    status: run.status,
    reason: run.reason,
    exitCode: run.exitCode,
    signal: run.signal,
    command: run.spec.command,
    args: run.spec.args.slice(),
    cwd: run.spec.cwd,
    labels: { ...run.spec.labels },
    slot: run.spec.slot,
    key: run.spec.key,
    owner: { ...run.spec.owner },
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    attempts: run.attempts.map(toAttemptView),
    batchId: run.batchId,
    ready: last?.readyAt != null,
    restarts: run.restarts,
    lastCheckpoint: run.lastCheckpoint ?? null,
    durationMs: durationOf(run, now),
    git: run.git ? { ...run.git } : null,
    rerunOf: run.rerunOf,
    ...(run.health !== null && !isTerminalStatus(run.status) ? { health: run.health } : {}),
    logsPruned: run.logsPruned ? { ...run.logsPruned } : null,
    runtime: run.spec.runtime,
  };
}

function toAttemptView(a: AttemptState): AttemptView {
  const { n, pid, pgid, startTime, bootId, exitCode, signal, startedAt, endedAt, status, tracking, tree } = a;
  const view: AttemptView = { n, pid, pgid, startTime, bootId, exitCode, signal, startedAt, endedAt, status, tracking, tree };
  if (status === 'spawn-failed' && a.finding) view.spawnError = a.finding.reason;
  if (a.usage) view.usage = { ...a.usage };
  return view;
}

function durationOf(run: RunState, now: number | undefined): number | null {
  if (run.startedAt === null) return null;
  const end = run.endedAt !== null ? Date.parse(run.endedAt) : now;
  return end === undefined ? null : Math.max(0, end - Date.parse(run.startedAt));
}
