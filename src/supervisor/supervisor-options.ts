/** The shapes of the library API's options and results (Supervisor.open, start, stop, interrupt). */
import type { Clock } from '../clock.js';
import type { OwnerScope } from '../events/schemas.js';
import type { IdGenerator } from '../ids.js';
import type { RunState } from '../projections/run-state.js';
import type { RunsState } from '../projections/runs.js';
import type { RuntimeAdapter } from '../runtime/adapter.js';
import type { RunEnvStore } from '../runtime/run-env-file.js';
import type { EventStore } from '../store/event-store.js';
import type { GitInfo } from './git.js';

export interface SupervisorOptions {
  store: EventStore;
  /** One adapter, or one per runtime kind ('background', 'tmux'). */
  runtime: RuntimeAdapter | Partial<Record<'background' | 'tmux', RuntimeAdapter>>;
  clock?: Clock;
  ids?: IdGenerator;
  /** Default cwd of runs (default: process.cwd()). */
  cwd?: string;
  /** How to learn the git commit of a run's cwd; false to skip. */
  gitInfo?: ((cwd: string) => Promise<GitInfo | null>) | false;
  /** Reconcile on open (default true). */
  reconcile?: boolean;
  /** Start from an already folded state (e.g. a projection runner's) instead of reading the log. */
  initialState?: RunsState;
  version?: string;
  host?: { pid: number; bootId: string; hostname: string };
  /**
   * Where each run's captured environment is kept, so that attempts spawned
   * by a later supervisor get the same one (`createRunEnvFiles(stateDir)`).
   * Without it, only this supervisor's memory has it.
   */
  envStore?: RunEnvStore;
  /**
   * Sample the CPU and memory of live trees this often (ms), for the exit
   * event's peak RSS and CPU time and for `usage()`. Off when absent.
   */
  usageSampleMs?: number;
}

export interface StartOptions {
  batchId?: string;
  template?: string;
  rerunOf?: string;
  /** The environment the child extends (default: this process's, as it is now); never logged. */
  baseEnv?: Record<string, string | undefined>;
}

export interface StartResult {
  run: RunState;
  /** True when an active run with the same idempotency key was returned instead. */
  reused: boolean;
}

export interface StopOptions {
  force?: boolean;
  grace?: number | string;
  /** Resolve once the run has ended (default: once the stop signal was sent). */
  wait?: boolean;
}

export interface RunRef {
  id: string;
  shortId: string;
  name: string;
}

export interface InterruptReport {
  scope: OwnerScope;
  matched: RunRef[];
  signaled: RunRef[];
  /** Matched runs whose process identity no longer checked out: marked stale, never signalled. */
  stale: RunRef[];
}

export const ref = (r: RunState): RunRef => ({ id: r.id, shortId: r.shortId, name: r.spec.name });
