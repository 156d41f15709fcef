/**
 * How the supervisor touches the operating system. Real adapters
 * (background, tmux) and the simulator's fake implement this one interface,
 * and the shared contract suite (test/runtime/contract.ts) holds them to it.
 *
 * Rules every adapter keeps:
 * - the identity it returns is the *real child's* (not a shim's), with the
 *   kernel start time and boot id, so a recycled pid is recognised later;
 * - `signal` checks the identity first and never signals a mismatch;
 * - exit status is captured by something that outlives the supervisor (the
 *   shim's exit file), so `waitExit` and `inspect` work for adopted processes.
 *
 * @example
 * const p = await runtime.spawn({ runId, attempt: 1, command: 'sleep', args: ['5'], ... });
 * const exit = await runtime.waitExit(runId, 1, p.identity, abortSignal);
 */
import type { Observable } from 'rxjs';
import type { HealthCheck, LogLimits } from '../events/schemas.js';
import type { HealthProbeResult } from './health-probe.js';

export type { HealthProbeResult };

/** One health probe of one attempt (the simulator needs to know whose). */
export interface HealthProbeRequest {
  runId: string;
  attempt: number;
  check: HealthCheck;
  /** The run's working directory: where an exec probe runs. */
  cwd: string;
}

export interface ProcessIdentity {
  pid: number;
  pgid: number;
  /** Kernel start time in clock ticks since boot, as a decimal string. */
  startTime: string;
  bootId: string;
}

export interface SpawnRequest {
  runId: string;
  attempt: number;
  command: string;
  args: readonly string[];
  /** Run through /bin/sh -c only when the user asked for a shell. */
  shell: boolean;
  cwd: string;
  /** The caller's variables, unredacted; laid over `baseEnv`. */
  env: Readonly<Record<string, string>>;
  /** The environment to extend (default: the supervisor's own). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  logs: LogLimits;
}

export interface SpawnedProcess {
  identity: ProcessIdentity;
  /** The exit-status shim that parents the child, when the adapter uses one. */
  shimPid?: number;
  /** How this attempt's tree is tracked (tracking.ts); absent for the simulator. */
  tracking?: TrackingMode;
  /** Log files of this attempt, relative to the state directory. */
  logs: { stdout: string; stderr: string };
}

export interface ExitStatus {
  exitCode: number | null;
  /** Signal name such as "SIGKILL" when the child died of a signal. */
  signal: string | null;
  /** ISO time the shim saw the exit, when known. */
  exitedAt: string | null;
  /**
   * Set when the status did not come from the shim's exit record:
   * - `shim-exit-status`: exit.json could not be written (a full disk); the
   *   shim's own exit status, which mirrors its child's, is the status;
   * - `shim-lost`: the shim died before its child, which was then watched
   *   directly: it was seen to end, its code is unknown (both null).
   */
  fallback?: { kind: 'shim-exit-status' | 'shim-lost'; evidence: Record<string, unknown> };
}

/** A shim found dead while its child lives on (see ShimLost). */
export interface ShimLostReport {
  shimPid: number;
  childPid: number;
  evidence: Record<string, unknown>;
}

export interface WaitExitHooks {
  /** The shim's pid as the caller recorded it (ProcessSpawned); else it is read from child.json. */
  shimPid?: number | undefined;
  /** Called at most once per wait, when the attempt's shim is found dead while its child lives. */
  onShimLost?(report: ShimLostReport): void;
}

export type Observation =
  /** pid alive (not a zombie) and its start time and boot id match. */
  | { state: 'alive'; observed: ProcessIdentity }
  /** No such live process; `exit` is the shim's record if one was left. */
  | { state: 'gone'; exit?: ExitStatus; observed: { pid: number; zombie: boolean }; recordSpace?: RecordSpace }
  /**
   * The pid is alive but belongs to another process (recycled, or another boot),
   * or, with `notSpawnedHere`, it is the recorded process but no attempt of it was
   * spawned from this home (a ledger imported while its runs still live elsewhere).
   */
  | { state: 'reused'; observed: { pid: number; startTime: string | null; bootId: string }; notSpawnedHere?: true };

/** Free space where the exit record should be, when it is missing: a full disk is the usual reason. */
export interface RecordSpace {
  freeBytes: number;
  /** Whether the shim's placeholder (.exit.json.tmp) is still there: it was reserved, but the record never filled it. */
  placeholderLeft: boolean;
}

export type SignalOutcome = 'sent' | 'gone' | 'mismatch';

export type TrackingMode = 'cgroup' | 'process-group';

/** Which tracking an adapter uses and why: the cgroup's path, or the reason there is none. */
export interface TrackingReport {
  mode: TrackingMode;
  detail: string;
}

/** One attempt, as the whole-tree operations need it. */
export interface AttemptRef {
  runId: string;
  attempt: number;
  identity: ProcessIdentity;
  /** The shim that parents the leader: never part of the tree. */
  shimPid?: number;
}

/** A live process of an attempt's tree. */
export interface TreeMember {
  pid: number;
  command: string;
}

/** CPU time and memory of an attempt's whole tree at one moment (runtime/tree-usage.ts). */
export interface TreeUsage {
  cpuSeconds: number;
  rssBytes: number;
  /** The cgroup's own high-water mark, where the kernel keeps one (memory.peak). */
  peakRssBytes?: number;
  processes: number;
  source: 'cgroup' | 'proc';
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  line: string;
  /** Where the line starts in its log file (the file's inode, the byte offset): the key to its time in the shim's index. */
  at?: LineStart;
}

export interface LineStart {
  ino: number;
  offset: number;
}

export interface ProbeTarget {
  port?: number;
  host?: string;
  socket?: string;
}

/** Who holds a listening TCP port (see runtime/port-owner.ts). */
export type PortOwner =
  | { state: 'none' }
  /** A process of the attempt's tree (group, session or descendant) holds the listening socket. */
  | { state: 'ours'; pid: number }
  /** Another process holds it; its pid and command when /proc lets us see them. */
  | { state: 'foreign'; pid?: number; command?: string; uid: number };

export interface RuntimeAdapter {
  readonly kind: 'background' | 'tmux' | 'sim';
  /** Start one attempt; rejects with RunledgerError SPAWN_FAILED (e.g. command not found). */
  spawn(req: SpawnRequest): Promise<SpawnedProcess>;
  /**
   * Verify `identity` (pid + start time + boot id), then send `signal` to the
   * whole process group (`target: 'group'`) or the pid alone.
   * 'mismatch' means the pid was recycled and nothing was sent.
   */
  signal(identity: ProcessIdentity, signal: string, target: 'group' | 'process'): Promise<SignalOutcome>;
  /** What the machine says about an attempt right now (for reconcile). */
  inspect(runId: string, attempt: number, identity: ProcessIdentity): Promise<Observation>;
  /**
   * Resolves once the attempt's child has exited: with its status if the shim
   * recorded one, or undefined if it vanished without a record. Works for
   * processes spawned by an earlier supervisor. Resolves undefined if aborted.
   * A shim that dies before its child does not end the wait: the child is
   * watched directly (`hooks.onShimLost`) until it ends (`fallback: shim-lost`).
   */
  waitExit(
    runId: string,
    attempt: number,
    identity: ProcessIdentity,
    signal?: AbortSignal,
    hooks?: WaitExitHooks,
  ): Promise<ExitStatus | undefined>;
  /** Is any process of the group still alive (zombies do not count)? */
  groupAlive(pgid: number): Promise<boolean>;
  /**
   * Send `signal` to every process of the attempt's tree: its cgroup's
   * members, or (fallback) its group plus the session and descendants a
   * /proc scan finds. 'mismatch' as for `signal`.
   */
  signalTree(ref: AttemptRef, signal: string): Promise<SignalOutcome>;
  /** The live processes of the attempt's tree (the leader too, while it lives). */
  listTree(ref: AttemptRef): Promise<TreeMember[]>;
  /** CPU time and memory of the attempt's tree now; adapters that cannot measure leave it out. */
  usage?(ref: AttemptRef): Promise<TreeUsage>;
  /** The tree is done with: remove its cgroup (when empty) and forget it. */
  releaseTree(ref: AttemptRef): Promise<void>;
  /** Which tracking new attempts get, and why. */
  tracking(): TrackingReport;
  /** The attempt's output lines from the start of its logs, then live, until the child exits. */
  output(runId: string, attempt: number): Observable<OutputLine>;
  /** Does the TCP port or Unix socket accept a connection right now? */
  probe(target: ProbeTarget): Promise<boolean>;
  /**
   * Who listens on `port` (as reached through `host`): the tree of the
   * process `owner`, another process, or nobody. Adapters that cannot tell
   * leave it out and readiness trusts `probe` alone.
   */
  portOwner?(port: number, host: string | undefined, owner: ProcessIdentity): Promise<PortOwner>;
  /** One health probe (runtime/health-probe.ts). Never rejects. Adapters without it get no health probing. */
  healthProbe?(req: HealthProbeRequest): Promise<HealthProbeResult>;
  /**
   * The process an earlier spawn of this attempt started, from the facts it
   * left behind (the shim's child.json): for a spawn whose ProcessSpawned never
   * reached the ledger (a crash or a refused append in between), so the
   * supervisor records that process instead of starting a second one.
   */
  discover?(runId: string, attempt: number): Promise<SpawnedProcess | undefined>;
  /** The command a terminal runs to attach to a run, for runtimes that support it. */
  attachCommand?(runId: string): { command: string; args: string[] };
  close(): Promise<void>;
}
