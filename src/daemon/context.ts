/** What every route handler gets: the daemon's supervisor, ledger, runtimes and paths. */
import type { ReplicationStatus } from '../fleet/replicator.js';
import type { StartOptions, StartResult, Supervisor } from '../supervisor/supervisor.js';
import type { RunSpecInput } from '../supervisor/spec.js';
import type { RuntimeAdapter } from '../runtime/adapter.js';
import type { EventStore } from '../store/event-store.js';
import type { DaemonPaths } from './home.js';
import type { Logger } from './logger.js';
import type { LedgerWarning } from '../projections/warnings.js';
import type { UiRequest, UiResponse } from './api.js';

export interface DaemonContext {
  supervisor: Supervisor;
  store: EventStore;
  runtimes: { background: RuntimeAdapter; tmux?: RuntimeAdapter };
  paths: DaemonPaths;
  startedAt: string;
  version: string;
  now(): number;
  log: Logger;
  /** Seals the projection snapshots this daemon writes and checks the ones it reads. */
  snapshotKey?: Buffer;
  /** Warnings every read answer carries (skipped records, a failed start-up verification). */
  warnings(): LedgerWarning[];
  /** A full verify passed: clear the start-up verification warning and record the point. */
  verificationPassed?(head: { position: number; hash: string }): void;
  /** Begin an orderly shutdown after the current answer is sent. */
  requestShutdown(options: { stopRuns: boolean }): void;
  /** The web UI's listener, started on demand (absent in daemons that serve none). */
  ui?: { ensure(request: UiRequest): Promise<UiResponse> };
  /** Ends every open stream (follow=1) so the server can close; streams register here. */
  readonly openStreams: Set<() => void>;
  /** Replication to the fleet ledger (absent when the daemon is not in a fleet). */
  fleet?: {
    host: string;
    status(): ReplicationStatus;
    /** Start with the run's slot leased across the fleet (`run --slot S --fleet`). */
    startLeased?(spec: RunSpecInput, slot: string, options: StartOptions): Promise<StartResult>;
  };
}
