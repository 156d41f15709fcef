/**
 * The daemon's HTTP+JSON API over its Unix socket: one contract for the CLI
 * and any later web page. Types only — importing this file loads nothing.
 *
 * Errors are `{ "error": { "code", "message", "details"? } }` with 400 (bad
 * request / usage), 404 (RUN_NOT_FOUND), 409 (SLOT_BUSY, AMBIGUOUS_ID,
 * RUN_TERMINAL, EMPTY_SCOPE…), 413 (body too large), 500 (a bug).
 * Streams (`follow=1`, export) are NDJSON: one JSON object per line.
 *
 * | method + path                     | body / query                                   | answer                         |
 * |-----------------------------------|------------------------------------------------|--------------------------------|
 * | GET  /v1/status                   |                                                | DaemonStatus                   |
 * | POST /v1/runs                     | StartRequest                                   | StartResponse                  |
 * | GET  /v1/runs                     | ListQuery (as query string)                    | ListResponse                   |
 * | GET  /v1/runs/:id                 |                                                | ShowResponse                   |
 * | POST /v1/runs/:id/stop            | StopRequest                                    | { run: RunView }               |
 * | POST /v1/stop                     | BulkStopRequest                                | { runs: RunView[] }            |
 * | POST /v1/runs/:id/restart         |                                                | { run: RunView }               |
 * | POST /v1/runs/:id/rerun           | RerunRequest                                   | StartResponse                  |
 * | GET  /v1/runs/:id/logs            | stream, n, follow=1, attempt, timestamps, since, from, cursor=1, resume=A:O:E | NDJSON LogLine |
 * | POST /v1/prune                   | PruneRequest                                   | PruneReport                    |
 * | GET  /v1/runs/:id/attach          |                                                | { command, args }              |
 * | POST /v1/interrupt                | { scope: OwnerScope }                          | InterruptReport                |
 * | GET  /v1/events                   | run, type, from, since, follow=1               | NDJSON EventEnvelope           |
 * | GET  /v1/replay                   | at=POS|TIME + ListQuery                        | ReplayResponse                 |
 * | GET  /v1/verify                   | anchor=POSITION:HASH                           | AnchoredVerifyResult           |
 * | POST /v1/reconcile                |                                                | ReconcileReport                |
 * | GET  /v1/export                   | run                                            | NDJSON stored envelopes        |
 * | POST /v1/shutdown                 | { stopRuns?: boolean }                         | { ok: true }                   |
 * | GET  /v1/runs/:id/wait            | for=ready|exit|healthy                         | NDJSON one { run, verdict }    |
 * | POST /v1/stacks/up                | StackUpRequest                                 | StackUpResponse                |
 * | POST /v1/stacks/down              | StackDownRequest                               | StackUpResponse                |
 * | POST /v1/ui                       | UiRequest                                      | UiResponse                     |
 *
 * Details the table does not show (implemented in src/daemon/routes/):
 * - Status codes: 404 also for an unknown route, 405 for a known path with
 *   another method (both code BAD_REQUEST); 409 also for NOT_ATTACHABLE,
 *   RUNTIME_UNAVAILABLE, SPAWN_FAILED; 503 SUPERVISOR_CLOSED / LEDGER_CLOSED
 *   while the daemon shuts down; 500 is code INTERNAL (stack in daemon.log only).
 * - Unknown query parameters and unknown top-level body fields are 400.
 * - ListQuery as a query string: see list-query.ts (`encodeListQuery`):
 *   all=1, status=a,b, label=k=v (repeat), slot, key, batch, session, turn,
 *   toolCall, terminal, extension, hook, limit. Without `all` or `status`
 *   only active runs are listed.
 * - POST /v1/runs: `spec.cwd`, when given, must be absolute (the daemon's
 *   own cwd means nothing to the caller); omitted, the daemon's cwd (the home) is used.
 * - StopRequest.wait defaults to false here; the CLI sends true.
 *   Stopping a run that already ended answers it as it is (idempotent).
 * - POST /v1/stop: `ids` are resolved before anything is stopped (an unknown
 *   id stops nothing); `all` / `label` select active runs only.
 * - POST /v1/runs/:id/rerun accepts `{ baseEnv?, env?, envFile? }`: secret env
 *   values were redacted in the ledger and cannot be replayed; unless `env` or
 *   the env file (`envFile`, else the recorded one) supplies every key of the
 *   recorded `redactedEnv`, the answer is 409 INVALID_SPEC with
 *   `details.missingEnv`. An unreadable env file is 409 ENV_FILE_UNREADABLE.
 * - GET /v1/runs/:id/logs: `n` is the last n lines of each selected stream;
 *   without follow, stdout lines come before stderr lines (they are separate
 *   files with no common clock). With follow=1 the stream continues across
 *   restarts and ends when the run has ended and its logs are drained.
 *   `from=K` skips the first K lines of each stream; without follow it also
 *   gives each line its `index` (so a reader can resume: the next `from` is
 *   the last index + 1), and `attempt` picks an earlier attempt (default the latest).
 *   `attempt=N|all` picks an earlier attempt (default the latest; with follow,
 *   N is followed alone, all from attempt 1 on); `timestamps=1` adds `time`;
 *   `since` (ISO) keeps lines read at or after it. A run whose logs were
 *   pruned is 410 LOGS_PRUNED naming the LogsPruned event.
 * - GET /v1/events: `type` is repeatable or comma-separated; `since` is an ISO
 *   time or a duration meaning "that long ago" (`5m`); `from` a position.
 *   History up to the head at request time, then live with follow=1.
 * - GET /v1/replay: `at` is a ledger position (digits) or an ISO time.
 * - Warnings (LedgerWarning): GET /v1/status carries the daemon-wide ones
 *   (records it skipped, a failed start-up verification), which every CLI
 *   connection fetches anyway; show and replay add their own. Records that
 *   do not decode are left out of /v1/events and the timelines. A passing
 *   GET /v1/verify clears the start-up verification warning.
 * - GET /v1/runs/:id/wait answers one line when the condition is decided
 *   (projections/wait-condition.ts: `verdict.state` reached | unreachable);
 *   it has no timeout of its own (the caller disconnects); a stream that
 *   ends with no line means the daemon is shutting down.
 * - POST /v1/stacks/up|down: the plan is the stack file resolved by the CLI
 *   (stacks/plan.ts); the daemon checks it again (graph, specs) and applies
 *   it under a per-stack lock. The answer comes when `up` has started every
 *   process (with `wait`: when each is ready), when `down` has requested the
 *   last stop (with `wait`: when each has ended). A failed dependency is 409
 *   DEPENDENCY_FAILED / DEPENDENCY_TIMEOUT; what did start stays up.
 * - A stream that fails after its 200 header ends with one last line
 *   `{"error":{code,message}}` (the client turns it into a RunledgerError).
 */
import type { ReplicationStatus } from '../fleet/replicator.js';
import type { OwnerScope, RunStatus } from '../events/schemas.js';
import type { RunView } from '../projections/run-view.js';
import type { ReconcileReport } from '../reconcile/report.js';
import type { TimelineEntry } from '../projections/timeline.js';
import type { LedgerWarning } from '../projections/warnings.js';

export type { LedgerWarning };
import type { RunSpecInput } from '../supervisor/spec.js';
import type { StackPlan, StackReport } from '../stacks/plan.js';

export const API_PREFIX = '/v1';
/** Requests larger than this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type Source = 'daemon' | 'ledger' | 'fleet';

export interface DaemonStatus {
  running: boolean;
  pid: number | null;
  socket: string;
  home: string;
  startedAt: string | null;
  version: string;
  supervisorId?: string;
  /** What every read answer must mention: records the daemon skipped, a failed start-up verification. Absent when none. */
  warnings?: LedgerWarning[];
  /** What the daemon's own reconcile pass found when it started. */
  startupReconcile?: ReconcileReport;
  /** How attempts' process trees are tracked (cgroup path, or why the process-group fallback); only from a running daemon. */
  tracking?: { mode: 'cgroup' | 'process-group'; detail: string };
  /** Replication to the fleet ledger, when this daemon is in a fleet (`lag`: local events not yet shipped). */
  fleet?: ReplicationStatus;
  /** The slots the home's config declares fleet-wide (`fleet.slots`); absent when it declares none. */
  fleetSlots?: string[];
  /** Why the home's config cannot say which slots are fleet-wide (starts with a slot are refused until it can). */
  fleetSlotsError?: { code: string; message: string };
}

export interface StartRequest {
  spec: RunSpecInput;
  batchId?: string;
  template?: string;
  rerunOf?: string;
  /** The caller's environment for the child to extend; used for spawning only, never logged. */
  baseEnv?: Record<string, string>;
  /** Lease the spec's slot across the fleet before starting (SLOT_BUSY names the holding host and run). */
  fleetSlot?: boolean;
}

export interface RerunRequest {
  /** The caller's environment for the child to extend; used for spawning only, never logged. */
  baseEnv?: Record<string, string>;
  /** Variables to set (the original's secret values among them); secret-named ones are redacted again. */
  env?: Record<string, string>;
  /** An absolute env file path, instead of the recorded one. */
  envFile?: string;
  /** Fields of the recorded spec to change: an absolute cwd, a timeout (a duration), a name, labels to set or change. */
  cwd?: string;
  timeout?: string | number;
  name?: string;
  labels?: Record<string, string>;
}

export interface StartResponse {
  run: RunView;
  reused: boolean;
}

export interface ListQuery {
  all?: boolean;
  status?: RunStatus[];
  /** k=v pairs, all must match. */
  label?: Record<string, string>;
  slot?: string;
  key?: string;
  batch?: string;
  owner?: Partial<OwnerScope>;
  limit?: number;
}

/** What a live run's tree uses, from the daemon's sampler (absent without a daemon). */
export interface LiveUsage {
  attempt: number;
  cpuSeconds: number;
  /** Percent of one core over the last sampling interval; null until two samples exist. */
  cpuPercent: number | null;
  rssBytes: number;
  peakRssBytes: number;
  processes: number;
  source: 'cgroup' | 'proc';
  /** When it was measured (ISO-8601). */
  at: string;
}

export interface ListResponse {
  source: Source;
  runs: RunView[];
  /** Live runs' CPU and memory by run id (daemon only). */
  usage?: Record<string, LiveUsage>;
  /** Ledger position the answer reflects. */
  position: number;
  /** Present when the answer could not stand behind everything (see LedgerWarning). */
  warnings?: LedgerWarning[];
}

export interface ShowResponse {
  source: Source;
  run: RunView;
  timeline: TimelineEntry[];
  /** Log file paths of the latest attempt, absolute. */
  logs: { stdout: string; stderr: string } | null;
  /** The live attempt's tree, now (daemon only). */
  usage?: LiveUsage;
  warnings?: LedgerWarning[];
  /** A live tmux run: `runledger attach <id>` and the raw tmux argv (added by the CLI, which knows the home). */
  attach?: { runledger: string; tmux: string[] };
}

export interface StopRequest {
  force?: boolean;
  /** A duration string ("5s") or ms. */
  grace?: string | number;
  /** Answer once the run has ended (default true for the CLI). */
  wait?: boolean;
}

export interface BulkStopRequest extends StopRequest {
  ids?: string[];
  all?: boolean;
  label?: Record<string, string>;
}

/** POST /v1/prune. `olderThan` is a duration (30d, 12h); runs that ended before now - olderThan qualify. */
export interface PruneRequest {
  olderThan: string;
  dryRun?: boolean;
}

/** What was (or, with dryRun, would be) deleted, and the LogsPruned event's position (null when nothing was). */
export interface PruneReport {
  dryRun: boolean;
  olderThan: string;
  cutoff: string;
  runs: { runId: string; shortId: string; attempts: number; bytes: number }[];
  attempts: number;
  bytes: number;
  position: number | null;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
  /** 0-based line number in its stream and attempt; only when the request gave `from` (without follow). */
  index?: number;
  /** With `attempt` in the query, or `cursor=1`/`resume`: the attempt the line belongs to. */
  attempt?: number;
  /** With `cursor=1` (or `resume`): the line's number in that attempt's stream (from 1). */
  seq?: number;
  /** With `timestamps=1`: when the shim read the line (ISO), null when no index recorded it (a log older than the index). */
  time?: string | null;
}

/**
 * Where a log follower stands: an attempt and how many lines of each of its
 * streams were delivered. `GET …/logs?follow=1&resume=A:O:E` continues right
 * after (a follower that lost its daemon resumes with the next one).
 */
export interface LogCursor {
  attempt: number;
  stdout: number;
  stderr: number;
}

export interface ReplayResponse {
  source: Source;
  /** The last position folded. */
  position: number;
  at: string;
  runs: RunView[];
  warnings?: LedgerWarning[];
}

/** Start (or find) the web UI's listener: `runledger ui`. */
export interface UiRequest {
  /** Listen on this port (default: a free one); refused when the listener already runs on another. */
  port?: number;
  /** Label per-run metrics with the run id too (more series: one per run). */
  metricsRunIds?: boolean;
}

export interface UiResponse {
  /** The page, with its token: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  port: number;
  /** False when the listener was already running. */
  started: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface StackUpRequest {
  plan: StackPlan;
  /** Only these processes (and, for up, their dependencies; for down, their dependents). */
  only?: string[];
  wait?: boolean;
  /** Deadline of each dependency wait: a duration string or ms (default 60 s). */
  timeout?: string | number;
  baseEnv?: Record<string, string>;
}

export type StackDownRequest = Omit<StackUpRequest, 'timeout' | 'baseEnv'>;

export interface StackUpResponse extends StackReport {
  /** The latest run of each process of the stack. */
  runs: RunView[];
}
