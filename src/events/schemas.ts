/**
 * The event catalogue: one JSON schema per event type (TypeBox), from which
 * both the TypeScript types and the runtime validators are derived, so the
 * two can never disagree. Durations are milliseconds, times ISO-8601 strings.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { HEALTH_STATES, RUN_STATUSES, STOP_REASONS, TERMINAL_STATUSES } from './constants.js';

const Str = Type.String();
const Int = Type.Integer();
const NonNegInt = Type.Integer({ minimum: 0 });
const PosInt = Type.Integer({ minimum: 1 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Signal = Type.String({ pattern: '^SIG[A-Z0-9+-]+$' });
const Evidence = Type.Record(Type.String(), Type.Unknown());

export { TERMINAL_STATUSES, RUN_STATUSES, OWNER_KEYS, STOP_REASONS, EVENT_TYPES, ATTEMPT_TERMINAL_TYPES } from './constants.js';

export const Owner = Type.Object(
  {
    session: Type.Optional(Str),
    turn: Type.Optional(Str),
    toolCall: Type.Optional(Str),
    terminal: Type.Optional(Str),
    extension: Type.Optional(Str),
    hook: Type.Optional(Str),
  },
  { additionalProperties: false },
);

export const ReadyCheck = Type.Object(
  {
    /** Regular expression matched against each stdout/stderr line. */
    line: Type.Optional(Str),
    /** TCP port that must accept a connection (on `host`, default 127.0.0.1). */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    host: Type.Optional(Str),
    /** Unix socket path that must accept a connection. */
    socket: Type.Optional(Str),
    /** One deadline for all checks together, from spawn. */
    timeoutMs: PosInt,
  },
  { additionalProperties: false },
);

export const RestartPolicy = Type.Object(
  {
    policy: Type.Union([Type.Literal('never'), Type.Literal('on-failure'), Type.Literal('always')]),
    maxRestarts: NonNegInt,
    backoffMs: NonNegInt,
    maxBackoffMs: NonNegInt,
    /**
     * An attempt that ran less than this counts as a crash (crash-loop reason); one that ran
     * at least this long (and did not fail readiness) resets the restart count and backoff.
     */
    minUptimeMs: NonNegInt,
  },
  { additionalProperties: false },
);

/**
 * A health probe, run periodically once the attempt is ready (or spawned, without a ready check)
 * plus `startPeriodMs`. Exactly one of http (healthy on 2xx/3xx), tcp (healthy on connect) or
 * exec (healthy on exit 0; no shell) is set.
 */
export const HealthCheck = Type.Object(
  {
    http: Type.Optional(Type.Object({ url: Str }, { additionalProperties: false })),
    tcp: Type.Optional(
      Type.Object({ port: Type.Integer({ minimum: 1, maximum: 65535 }), host: Type.Optional(Str) }, { additionalProperties: false }),
    ),
    exec: Type.Optional(Type.Object({ command: Type.String({ minLength: 1 }), args: Type.Array(Str) }, { additionalProperties: false })),
    intervalMs: PosInt,
    timeoutMs: PosInt,
    /** Consecutive failed probes that make the attempt unhealthy. */
    failureThreshold: PosInt,
    startPeriodMs: NonNegInt,
  },
  { additionalProperties: false },
);

/** What one probe saw, within the evidence caps: the HTTP status, the error, or the exit code and output tail. */
const HealthEvidence = Type.Object(
  {
    status: Type.Optional(Int),
    error: Type.Optional(Str),
    exitCode: Type.Optional(Nullable(Int)),
    signal: Type.Optional(Nullable(Str)),
    output: Type.Optional(Type.Array(Str)),
    timedOut: Type.Optional(Type.Boolean()),
    durationMs: NonNegInt,
  },
  { additionalProperties: false },
);
const ProbeKind = Type.Union([Type.Literal('http'), Type.Literal('tcp'), Type.Literal('exec')]);

export const LogLimits = Type.Object({ maxBytes: PosInt, keep: NonNegInt }, { additionalProperties: false });

/** The normalized, redacted run spec as recorded in the ledger. */
export const RunSpecRecord = Type.Object(
  {
    command: Type.String({ minLength: 1 }),
    args: Type.Array(Str),
    shell: Type.Boolean(),
    cwd: Str,
    /** Only the variables the caller set; secret-looking values are replaced by "[REDACTED]". */
    env: Type.Record(Type.String(), Type.String()),
    redactedEnv: Type.Array(Str),
    name: Str,
    labels: Type.Record(Type.String(), Type.String()),
    owner: Owner,
    slot: Nullable(Str),
    key: Nullable(Str),
    timeoutMs: Nullable(PosInt),
    ready: Nullable(ReadyCheck),
    stopSignal: Signal,
    graceMs: NonNegInt,
    restart: RestartPolicy,
    logs: LogLimits,
    runtime: Type.Union([Type.Literal('background'), Type.Literal('tmux')]),
    /** Absolute path of an env file read at every spawn (`--env-file`); its contents are never recorded. */
    envFile: Type.Optional(Str),
    /** Keep what is left of the tree when the main process exits (supervisord's way); absent means reap it. */
    keepLeftovers: Type.Optional(Type.Boolean()),
    /** A periodic health probe; absent: none. */
    health: Type.Optional(HealthCheck),
  },
  { additionalProperties: false },
);

const Tracking = Type.Union([Type.Literal('cgroup'), Type.Literal('process-group')]);
const TreeMember = Type.Object({ pid: PosInt, command: Str }, { additionalProperties: false });
const GitInfo = Type.Object({ commit: Str, dirty: Type.Boolean(), root: Str }, { additionalProperties: false });
const Attempt = { attempt: PosInt };
const AttemptUsage = Type.Object(
  {
    cpuSeconds: Type.Number({ minimum: 0 }),
    peakRssBytes: NonNegInt,
    source: Type.Union([Type.Literal('cgroup'), Type.Literal('proc')]),
  },
  { additionalProperties: false },
);
const TerminalStatus = Type.Union(TERMINAL_STATUSES.map((s) => Type.Literal(s)));
const StopReason = Type.Union(STOP_REASONS.map((s) => Type.Literal(s)));

export const EventDataSchemas = {
  RunRequested: Type.Object({
    spec: RunSpecRecord,
    git: Nullable(GitInfo),
    batchId: Type.Optional(Str),
    template: Type.Optional(Str),
    rerunOf: Type.Optional(Str),
  }),
  ProcessSpawned: Type.Object({
    ...Attempt,
    pid: PosInt,
    pgid: PosInt,
    /** Kernel start time of the process, clock ticks since boot (/proc/<pid>/stat field 22). */
    startTime: Str,
    bootId: Str,
    runtime: Type.Union([Type.Literal('background'), Type.Literal('tmux'), Type.Literal('sim')]),
    /** The exit-status shim that is the child's parent, if any. */
    shimPid: Type.Optional(PosInt),
    logs: Type.Object({ stdout: Str, stderr: Str }),
    /** How the attempt's tree is tracked: its own cgroup, or its process group plus /proc scans. */
    tracking: Type.Optional(Tracking),
  }),
  ProcessSpawnFailed: Type.Object({ ...Attempt, code: Str, message: Str }),
  ProcessReady: Type.Object({
    ...Attempt,
    via: Type.Union([Type.Literal('line'), Type.Literal('port'), Type.Literal('socket'), Type.Literal('protocol'), Type.Literal('none')]),
    detail: Type.Optional(Str),
  }),
  ReadinessFailed: Type.Object({
    ...Attempt,
    /** `port-held`: the ready port is held by a process outside the attempt's tree. */
    reason: Type.Union([Type.Literal('timeout'), Type.Literal('exited'), Type.Literal('invalid'), Type.Literal('port-held')]),
    message: Str,
    stderrTail: Type.Array(Str),
  }),
  Checkpointed: Type.Object({ ...Attempt, checkpoint: Type.Unknown() }),
  StopRequested: Type.Object({
    reason: StopReason,
    signal: Signal,
    graceMs: NonNegInt,
    force: Type.Boolean(),
    /** When SIGKILL follows if the group still lives (ISO time); in the log so a restarted supervisor resumes it. */
    escalateAt: Str,
    scope: Type.Optional(Owner),
  }),
  SignalSent: Type.Object({
    ...Attempt,
    signal: Signal,
    target: Type.Union([Type.Literal('group'), Type.Literal('process')]),
    pid: PosInt,
    pgid: PosInt,
    reason: Str,
  }),
  ProcessExited: Type.Object({
    ...Attempt,
    exitCode: Nullable(Int),
    signal: Nullable(Signal),
    /** Why exitCode and signal are both null although the process was seen to end, e.g. "shim lost". */
    codeUnknown: Type.Optional(Str),
    /**
     * CPU time and peak resident memory of the attempt's whole tree, sampled while it ran (cgroup
     * accounting, else summed over the tree from /proc). Absent when nothing was measured (older
     * events, a run too short for a sample, a runtime that cannot measure).
     */
    usage: Type.Optional(AttemptUsage),
  }),
  RunTimedOut: Type.Object({ timeoutMs: PosInt }),
  RestartScheduled: Type.Object({
    ...Attempt,
    nextAttempt: PosInt,
    delayMs: NonNegInt,
    at: Str,
    reason: Str,
    crashLoop: Type.Boolean(),
    /** The ended attempt ran at least `minUptimeMs`: the restart count starts again (this restart is number 1). */
    countReset: Type.Optional(Type.Boolean()),
  }),
  RunEnded: Type.Object({
    status: TerminalStatus,
    reason: Str,
    exitCode: Nullable(Int),
    signal: Nullable(Signal),
  }),
  ProcessAdopted: Type.Object({ ...Attempt, supervisorId: Str, evidence: Evidence }),
  ProcessMarkedStale: Type.Object({ ...Attempt, reason: Str, evidence: Evidence }),
  ProcessStatusUnknown: Type.Object({ ...Attempt, reason: Str, evidence: Evidence }),
  ExitRecovered: Type.Object({
    ...Attempt,
    exitCode: Nullable(Int),
    signal: Nullable(Signal),
    exitedAt: Nullable(Str),
    evidence: Evidence,
  }),
  SupervisorStarted: Type.Object({ supervisorId: Str, pid: PosInt, version: Str, bootId: Str, hostname: Str }),
  SupervisorStopped: Type.Object({ supervisorId: Str, reason: Str, leftRunning: NonNegInt }),
  ReconcileCompleted: Type.Object({
    supervisorId: Str,
    report: Type.Object({
      checked: NonNegInt,
      adopted: NonNegInt,
      recovered: NonNegInt,
      stale: NonNegInt,
      unknown: NonNegInt,
      resumedStops: NonNegInt,
    }),
  }),
  /** `runledger salvage` rebuilt the ledger from its verified prefix; the damaged directory was kept at `movedTo`. */
  LedgerSalvaged: Type.Object({
    /** First position not kept (the first bad record, or past the end when only the indexes were bad). */
    stoppedAt: PosInt,
    reason: Str,
    kept: NonNegInt,
    leftBehind: NonNegInt,
    /** The damaged ledger's recorded head. */
    previousHead: NonNegInt,
    movedTo: Str,
    checkpointsMovedTo: Nullable(Str),
  }),
  /** The attempt's exit-status shim died while its child lives on: the child is now watched directly. */
  ShimLost: Type.Object({ ...Attempt, shimPid: PosInt, childPid: PosInt, evidence: Evidence }),
  /**
   * What was left of an attempt's tree when its main process ended: reaped
   * (`signal` the last one it took, null if nothing needed one) or, with
   * keepLeftovers, `kept`. `survivors` are the processes still alive after
   * SIGKILL; `tracking` says whether the list can be trusted to be whole.
   */
  TreeReaped: Type.Object({
    ...Attempt,
    pids: Type.Array(TreeMember),
    signal: Nullable(Signal),
    kept: Type.Optional(Type.Literal(true)),
    survivors: Type.Array(TreeMember),
    tracking: Tracking,
  }),
  /** The attempt's first passing health probe (it was `starting`): the run is healthy. One per attempt at most. */
  HealthCheckPassed: Type.Object({ ...Attempt, probe: ProbeKind, evidence: HealthEvidence }),
  /**
   * `consecutiveFailures` probes in a row failed (at least the threshold): the attempt is unhealthy.
   * Recorded once per crossing, with the last probe's evidence; a stop with reason `unhealthy` follows
   * unless the restart policy is `never`.
   */
  HealthCheckFailed: Type.Object({
    ...Attempt,
    probe: ProbeKind,
    consecutiveFailures: PosInt,
    failureThreshold: PosInt,
    evidence: HealthEvidence,
  }),
  /** A probe passed again after HealthCheckFailed (in this attempt, or the first pass of the attempt that replaced it). */
  HealthRecovered: Type.Object({ ...Attempt, probe: ProbeKind, evidence: HealthEvidence }),
  /**
   * `runledger prune` (trigger `command`) or the daemon's retention deleted
   * the log files and attempt dirs of ended runs that ended before `cutoff`;
   * the ledger keeps every event of those runs. `olderThan` as it was given.
   */
  LogsPruned: Type.Object({
    olderThan: Str,
    cutoff: Str,
    trigger: Type.Union([Type.Literal('command'), Type.Literal('retention')]),
    runs: Type.Array(Type.Object({ runId: Str, attempts: NonNegInt, bytes: NonNegInt }, { additionalProperties: false })),
    attempts: NonNegInt,
    bytes: NonNegInt,
  }),
  /**
   * `runledger up` or `down` changed a stack (stream `stack-<name>`): what it
   * started, restarted (its spec hash changed) and stopped. Appended only when
   * something changed, so `up` twice appends nothing the second time.
   */
  StackApplied: Type.Object({
    stack: Str,
    /** The stack file, absolute. */
    file: Str,
    action: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    /** Hash over every process's spec hash (each run carries its own in the label runledger.spec-hash). */
    specHash: Str,
    started: Type.Array(Str),
    restarted: Type.Array(Str),
    stopped: Type.Array(Str),
  }),
  /** A stack process is held back until its dependency's condition holds (only when it does not hold yet). */
  DependencyWaiting: Type.Object({ stack: Str, process: Str, dependency: Str, condition: Str, dependencyRunId: Str, deadline: Str }),
  /** The condition held: the process may start now (always appended before a start that had dependencies). */
  DependencySatisfied: Type.Object({
    stack: Str,
    process: Str,
    dependency: Str,
    condition: Str,
    dependencyRunId: Str,
    waitedMs: NonNegInt,
  }),
  /** The condition can no longer hold (the dependency ended otherwise) or its deadline passed: the process is not started. */
  DependencyFailed: Type.Object({
    stack: Str,
    process: Str,
    dependency: Str,
    condition: Str,
    dependencyRunId: Nullable(Str),
    reason: Type.Union([Type.Literal('ended'), Type.Literal('timeout')]),
    message: Str,
    stderrTail: Type.Array(Str),
  }),
  /**
   * Another host's request (`run|stop|restart|interrupt --host`) that this
   * host claimed and acted on, appended to `host-<name>` after acting and
   * before answering: the audit of commands across hosts. The run ids it
   * touched (a started run carries the label runledger.request too).
   */
  RemoteCommandHandled: Type.Object({
    requestId: Str,
    fromHost: Str,
    command: Type.Union([Type.Literal('run'), Type.Literal('stop'), Type.Literal('restart'), Type.Literal('interrupt')]),
    ok: Type.Boolean(),
    runIds: Type.Array(Str),
    errorCode: Nullable(Str),
  }),
} as const;

export type EventType = keyof typeof EventDataSchemas;
export type EventData<T extends EventType> = Static<(typeof EventDataSchemas)[T]>;
export type RunSpecRecord = Static<typeof RunSpecRecord>;
export type OwnerScope = Static<typeof Owner>;
export type AttemptUsage = Static<typeof AttemptUsage>;
export type ReadyCheck = Static<typeof ReadyCheck>;
export type HealthCheck = Static<typeof HealthCheck>;
export type HealthEvidence = Static<typeof HealthEvidence>;
export type HealthProbeKind = Static<typeof ProbeKind>;
export type HealthState = (typeof HEALTH_STATES)[number];
export type RestartPolicy = Static<typeof RestartPolicy>;
export type LogLimits = Static<typeof LogLimits>;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export type StopReason = (typeof STOP_REASONS)[number];
