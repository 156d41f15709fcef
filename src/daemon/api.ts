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
 * | POST /v1/runs/:id/rerun           | { baseEnv? }                                   | StartResponse                  |
 * | GET  /v1/runs/:id/logs            | stream=stdout|stderr|both, n, follow=1         | NDJSON LogLine                 |
 * | GET  /v1/runs/:id/attach          |                                                | { command, args }              |
 * | POST /v1/interrupt                | { scope: OwnerScope }                          | InterruptReport                |
 * | GET  /v1/events                   | run, type, from, since, follow=1               | NDJSON EventEnvelope           |
 * | GET  /v1/replay                   | at=POS|TIME + ListQuery                        | ReplayResponse                 |
 * | GET  /v1/verify                   |                                                | VerifyResult                   |
 * | POST /v1/reconcile                |                                                | ReconcileReport                |
 * | GET  /v1/export                   | run                                            | NDJSON stored envelopes        |
 * | POST /v1/shutdown                 | { stopRuns?: boolean }                         | { ok: true }                   |
 */
import type { OwnerScope, RunStatus } from '../events/schemas.js';
import type { RunView } from '../projections/run-view.js';
import type { TimelineEntry } from '../projections/timeline.js';
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
}

export interface StartRequest {
  spec: RunSpecInput;
  batchId?: string;
  template?: string;
  rerunOf?: string;
  /** The caller's environment for the child to extend; used for spawning only, never logged. */
  baseEnv?: Record<string, string>;
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
}

export interface ShowResponse {
  source: Source;
  run: RunView;
  timeline: TimelineEntry[];
  /** Log file paths of the latest attempt, absolute. */
  logs: { stdout: string; stderr: string } | null;
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
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
