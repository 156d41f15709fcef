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
 * | GET  /v1/runs/:id/logs            | stream=stdout|stderr|both, n, follow=1         | NDJSON LogLine                 |
 * | GET  /v1/runs/:id/attach          |                                                | { command, args }              |
 * | POST /v1/interrupt                | { scope: OwnerScope }                          | InterruptReport                |
 * | GET  /v1/events                   | run, type, from, since, follow=1               | NDJSON EventEnvelope           |
 * | GET  /v1/replay                   | at=POS|TIME + ListQuery                        | ReplayResponse                 |
 * | GET  /v1/verify                   | anchor=POSITION:HASH                           | AnchoredVerifyResult           |
 * | POST /v1/reconcile                |                                                | ReconcileReport                |
 * | GET  /v1/export                   | run                                            | NDJSON stored envelopes        |
 * | POST /v1/shutdown                 | { stopRuns?: boolean }                         | { ok: true }                   |
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
 * - GET /v1/events: `type` is repeatable or comma-separated; `since` is an ISO
 *   time or a duration meaning "that long ago" (`5m`); `from` a position.
 *   History up to the head at request time, then live with follow=1.
 * - GET /v1/replay: `at` is a ledger position (digits) or an ISO time.
 * - Warnings (LedgerWarning): GET /v1/status carries the daemon-wide ones
 *   (records it skipped, a failed start-up verification), which every CLI
 *   connection fetches anyway; show and replay add their own. Records that
 *   do not decode are left out of /v1/events and the timelines. A passing
 *   GET /v1/verify clears the start-up verification warning.
 * - A stream that fails after its 200 header ends with one last line
 *   `{"error":{code,message}}` (the client turns it into a RunledgerError).
 */
import type { OwnerScope, RunStatus } from '../events/schemas.js';
import type { RunView } from '../projections/run-view.js';
import type { ReconcileReport } from '../reconcile/report.js';
import type { TimelineEntry } from '../projections/timeline.js';
import type { LedgerWarning } from '../projections/warnings.js';

export type { LedgerWarning };
import type { RunSpecInput } from '../supervisor/spec.js';

export const API_PREFIX = '/v1';
/** Requests larger than this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type Source = 'daemon' | 'ledger';

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
}

export interface StartRequest {
  spec: RunSpecInput;
  batchId?: string;
  template?: string;
  rerunOf?: string;
  /** The caller's environment for the child to extend; used for spawning only, never logged. */
  baseEnv?: Record<string, string>;
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

export interface ListResponse {
  source: Source;
  runs: RunView[];
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

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ReplayResponse {
  source: Source;
  /** The last position folded. */
  position: number;
  at: string;
  runs: RunView[];
  warnings?: LedgerWarning[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
