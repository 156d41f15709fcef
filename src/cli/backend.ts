/**
 * Where answers come from. A running daemon answers everything; with no
 * daemon, read-only commands open the ledger directly (`source: 'ledger'`)
 * and never start one. Mutating commands go through ensureDaemon.
 *
 * @example
 * const backend = await openReadBackend(ctx);
 * try { print(await backend.list({ all: true })); } finally { await backend.close(); }
 */
import type {
  BulkStopRequest,
  ListQuery,
  ListResponse,
  LogCursor,
  LogLine,
  ReplayResponse,
  RerunRequest,
  ShowResponse,
  Source,
  StartRequest,
  StartResponse,
  StopRequest,
  UiRequest,
  UiResponse,
} from '../daemon/api.js';
import { isRunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { OwnerScope } from '../events/schemas.js';
import type { RunView } from '../projections/run-view.js';
import type { LedgerWarning } from '../projections/warnings.js';
import type { ReconcileReport } from '../reconcile/report.js';
import type { AnchoredVerifyResult, UserAnchor } from '../anchor/verify-anchored.js';
import type { InterruptReport } from '../supervisor/supervisor.js';
import type { WaitCondition, WaitVerdict } from '../projections/wait-condition.js';
import type { CliContext } from './context.js';
import { loadClient, loadHome, loadLifecycle } from './daemon-link.js';

export interface LogsQuery {
  stream: 'stdout' | 'stderr' | 'both';
  /** Only the last n lines (of each stream, of each attempt shown) before following. */
  n?: number;
  follow: boolean;
  /** Daemon only, with follow: number each line (`attempt`, `seq`), and/or resume after a cursor. */
  cursor?: boolean;
  resume?: LogCursor;
  /** An earlier attempt, or all of them (default: the latest). */
  attempt?: number | 'all';
  /** Add each line's time (when the shim read it). */
  timestamps?: boolean;
  /** ISO: only lines read at or after it. */
  since?: string;
}

export interface EventsQuery {
  run?: string;
  type?: string[];
  from?: number;
  /** ISO-8601. */
  since?: string;
  follow: boolean;
}

export type ReplayAt = { position: number } | { time: string };

export interface ReadBackend {
  readonly source: Source;
  /** Which daemon answers (pid and start time), so a follower can tell its daemon from the next one. */
  readonly daemonId?: string;
  list(query: ListQuery): Promise<ListResponse>;
  show(id: string): Promise<ShowResponse>;
  logs(id: string, query: LogsQuery, onLine: (line: LogLine) => void, signal?: AbortSignal): Promise<void>;
  events(query: EventsQuery, onEvent: (e: EventEnvelope) => void, signal?: AbortSignal): Promise<void>;
  replay(at: ReplayAt, query: ListQuery): Promise<ReplayResponse>;
  /** The store's checks, the signed checkpoints outside the ledger, and an anchor the user kept. */
  verify(options?: { anchor?: UserAnchor }): Promise<AnchoredVerifyResult>;
  /** Stored envelopes exactly as hashed, one JSON text each. */
  exportLog(run: string | undefined, onLine: (json: string) => void): Promise<void>;
  /** What the answers so far could not stand behind (skipped records, a discarded snapshot, a failed verification). */
  warnings(): LedgerWarning[];
  close(): Promise<void>;
}

export interface Backend extends ReadBackend {
  start(request: StartRequest): Promise<StartResponse>;
  stop(id: string, request: StopRequest): Promise<RunView>;
  bulkStop(request: BulkStopRequest): Promise<RunView[]>;
  restart(id: string): Promise<RunView>;
  rerun(id: string, request: RerunRequest): Promise<StartResponse>;
  attach(id: string): Promise<{ command: string; args: string[] }>;
  interrupt(scope: OwnerScope): Promise<InterruptReport>;
  reconcile(): Promise<ReconcileReport>;
  /** The run once `condition` is decided (reached or unreachable); undefined when the daemon ended the wait (shutting down). */
  wait(
    id: string,
    condition: WaitCondition,
    o?: { signal?: AbortSignal; onWatching?: () => void },
  ): Promise<{ run: RunView; verdict: WaitVerdict } | undefined>;
  /** Start (or find) the daemon's web UI listener. */
  ui(request: UiRequest): Promise<UiResponse>;
}

/** The daemon if one answers, else the ledger itself, read-only. Never starts a daemon. */
export async function openReadBackend(ctx: CliContext): Promise<ReadBackend> {
  if (ctx.fleet) return (await import('./backend-fleet.js')).openFleetReadBackend(ctx.fleet, ctx.now);
  const home = await ctx.home();
  const daemon = await connectIfRunning(home, ctx);
  if (daemon) return daemon;
  const { openLedgerBackend } = await import('./backend-ledger.js');
  try {
    return await openLedgerBackend((await loadHome()).daemonPaths(home), ctx.now);
  } catch (err) {
    // A daemon took the ledger between our two looks: it is starting, so ask it.
    if (!isRunledgerError(err, 'LEDGER_LOCKED')) throw err;
    return waitForDaemon(home, ctx, err);
  }
}

/** A daemon-backed backend, starting the daemon if none runs (race-safe: exactly one wins). */
export async function openBackend(ctx: CliContext): Promise<Backend> {
  const home = await ctx.home();
  const [{ ensureDaemon }, { createDaemonBackend }] = await Promise.all([loadLifecycle(), import('./backend-daemon.js')]);
  return createDaemonBackend(await ensureDaemon(home), ctx.now);
}

/** The running daemon as a backend, or null (no daemon starts). */
export async function connectIfRunning(home: string, ctx: CliContext): Promise<Backend | null> {
  const client = await (await loadClient()).connectDaemon(home);
  if (!client) return null;
  const { createDaemonBackend } = await import('./backend-daemon.js');
  return createDaemonBackend(client, ctx.now);
}

async function waitForDaemon(home: string, ctx: CliContext, lockError: unknown): Promise<Backend> {
  for (let i = 0; i < 50; i++) {
    const daemon = await connectIfRunning(home, ctx);
    if (daemon) return daemon;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw lockError;
}
