/**
 * The thin effectful shell around the deciders. For each kind of work it
 * either records intent first and acts after, or acts and then records what
 * happened, so that a crash between the two is visible to reconcile
 * (ARCHITECTURE.md, "Crash windows", lists the choice per command).
 * All work on one run is serialized by a per-run lock; runs proceed in parallel.
 */
import type { Clock } from '../clock.js';
import { runStreamId, type RunledgerEvent } from '../events/envelope.js';
import { isTerminalStatus, liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import type { ExitStatus, RuntimeAdapter, SignalOutcome, SpawnedProcess, TreeMember } from '../runtime/adapter.js';
import type { RunEnvStore } from '../runtime/run-env-file.js';
import type { GivenEnv } from './attempt-env.js';
import { identityOf, refOf } from './attempt-ref.js';
import type { AttemptWatch } from './attempt-watch.js';
import type { Book } from './book.js';
import { decideSpawned, decideStop, type StopCommand } from './decide.js';
import { fireEscalation, handleAttemptExit } from './driver-exit.js';
import { fireTimeout, newAttemptWatch, onHealthProbe } from './driver-reports.js';
import { sendCheckedSignal, signalRunStop } from './driver-signal.js';
import { HealthWatches } from './health-watch.js';
import { recordAttemptExit } from './exit-record.js';
import { KeyedMutex } from './keyed-mutex.js';
import { RunTimers } from './run-timers.js';
import { spawnOrDiscover } from './spawn-attempt.js';
import type { UsageSampler } from './usage-sampler.js';

/** What a run's starter gave this supervisor, in memory only (attempt-env.ts). */
export type RunSecrets = GivenEnv;

const EXIT_RETRY_MS = 1000;

/** Re-exported: reconcile and others name attempts through the driver module. */
export { identityOf, refOf };

export class Driver {
  private readonly locks = new KeyedMutex();
  private readonly secrets = new Map<string, RunSecrets>();
  /** Runs whose first spawn is queued: reconcile must not mistake them for crash leftovers. */
  private readonly spawning = new Set<string>();
  private watches = new Map<string, { attempt: number; watch: AttemptWatch }>();
  private readonly timers: RunTimers;
  private readonly health: HealthWatches;
  /** Leader exited during a stop while its group lives on: the exit is recorded once the group is gone. */
  readonly lingering = new Map<string, { attempt: number; status: ExitStatus | undefined; members: TreeMember[] }>();
  private halted = false;
  /** Samples live trees' CPU and memory, when the supervisor was asked to (SupervisorOptions.usageSampleMs). */
  usage?: UsageSampler;

  constructor(
    readonly book: Book,
    readonly clock: Clock,
    private readonly runtimes: (kind: string) => RuntimeAdapter,
    /** Where a run's captured environment is kept for attempts another supervisor spawns; none: memory only. */
    readonly envStore?: RunEnvStore,
  ) {
    this.timers = new RunTimers(clock);
    this.health = new HealthWatches(
      clock,
      (run) => this.runtimeOf(run, liveAttempt(run)),
      (id, facts) => onHealthProbe(this, id, facts),
    );
  }

  /** Run `fn` in the one critical section where runs are created (slots and keys are decided there). */
  withStartLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.locks.run('start', fn);
  }

  /** Resolves when no work holds a lock any more. */
  idle(): Promise<void> {
    return this.locks.idle();
  }

  /** A run was just created: keep its secret env for its spawns, and its first spawn is queued. */
  expectFirstSpawn(runId: string, secrets: RunSecrets): void {
    this.secrets.set(runId, secrets);
    this.spawning.add(runId);
  }

  /** The queued first spawn has begun (or will never happen). */
  spawnDequeued(runId: string): void {
    this.spawning.delete(runId);
  }

  isSpawning(runId: string): boolean {
    return this.spawning.has(runId);
  }

  /** The env values that were never stored; absent when another supervisor started the run. */
  secretsOf(runId: string): RunSecrets | undefined {
    return this.secrets.get(runId);
  }

  runtimeOf(run: RunState, attempt?: AttemptState): RuntimeAdapter {
    return this.runtimes(attempt?.runtime === 'sim' ? 'sim' : run.spec.runtime);
  }

  runtimeFor(kind: string): RuntimeAdapter {
    return this.runtimes(kind);
  }

  /** Append events for a run (guarded by its stream version) and re-arm its timers. */
  async commitRun(run: RunState, events: RunledgerEvent[]): Promise<RunState> {
    if (events.length > 0) await this.book.commit(runStreamId(run.id), events, run.version);
    const after = this.book.run(run.id)!;
    this.afterChange(after);
    return after;
  }

  /** Run `fn` under the run's lock with its current state, unless the driver halted. */
  withRun<T>(runId: string, fn: (run: RunState) => Promise<T>): Promise<T | undefined> {
    return this.locks.run(runId, async () => {
      const run = this.book.run(runId);
      if (this.halted || !run) return undefined;
      return fn(run);
    });
  }

  /** Spawn attempt n of a run (or record the one an earlier try left behind). */
  async spawnAttempt(runId: string, attempt: number): Promise<void> {
    await this.withRun(runId, (run) => this.spawnLocked(run, attempt));
  }

  /** Caller holds the run's lock. Safe to retry: a spawn that happened is found, never repeated. */
  spawnLocked(run: RunState, attempt: number): Promise<void> {
    return spawnOrDiscover(this, run, attempt);
  }

  /** Append ProcessSpawned for a process that exists (just spawned, or discovered). */
  async recordSpawned(run: RunState, attempt: number, p: SpawnedProcess): Promise<RunState> {
    const runtime = this.runtimeOf(run);
    return this.commitRun(
      run,
      decideSpawned(run, {
        attempt,
        ...p.identity,
        runtime: runtime.kind,
        logs: p.logs,
        ...(p.shimPid ? { shimPid: p.shimPid } : {}),
        ...(p.tracking ? { tracking: p.tracking } : {}),
      }),
    );
  }

  /**
   * Work a watch or a timer does for a run: it must neither vanish when the
   * ledger refuses an append (a timer fires once, a watch reports once) nor
   * become an unhandled rejection that would take the daemon down. Retried
   * until it succeeds or the driver halts; deciders make retries idempotent.
   */
  background(runId: string, fn: (run: RunState) => Promise<unknown>): void {
    void this.withRun(runId, fn).catch(() => this.retryLater(() => this.background(runId, fn)));
  }

  /** Start watching the run's live attempt (idempotent). */
  watch(run: RunState, skipCheckpoints: number): void {
    const a = liveAttempt(run);
    if (!a || this.halted) return;
    if (this.watches.get(run.id)?.attempt === a.n) return;
    this.unwatch(run.id);
    const watch = newAttemptWatch(this, run, a, skipCheckpoints);
    this.watches.set(run.id, { attempt: a.n, watch });
    watch.start();
  }

  private unwatch(runId: string): void {
    this.watches.get(runId)?.watch.stop();
    this.watches.delete(runId);
  }

  isWatching(runId: string, attempt: number): boolean {
    return this.watches.get(runId)?.attempt === attempt;
  }

  /** Record a stop decision and send its signal. Caller holds the run's lock. */
  async requestStop(run: RunState, cmd: StopCommand): Promise<SignalOutcome | 'none'> {
    const after = await this.commitRun(run, decideStop(run, cmd, this.clock.now()));
    if (after === run || !after.stop) return 'none';
    return this.signalStop(after);
  }

  /** Send the run's stop signal to its tree, then SIGCONT (driver-signal.ts). */
  signalStop(run: RunState): Promise<SignalOutcome | 'none'> {
    return signalRunStop(this, run);
  }

  /** Identity-checked signal to the attempt's tree; a mismatch marks the attempt stale (driver-signal.ts). */
  sendSignal(run: RunState, a: AttemptState, signal: string, reason: string): Promise<SignalOutcome> {
    return sendCheckedSignal(this, run, a, signal, reason);
  }

  /** Record how attempt n ended (exit-record.ts), then forget its watch and any held lingering exit. */
  /** @internal driver-exit.ts */
  async recordExit(run: RunState, n: number, status: ExitStatus | undefined): Promise<void> {
    const tail = this.watches.get(run.id)?.watch.tail() ?? [];
    this.unwatch(run.id);
    await recordAttemptExit(this, run, n, status, tail);
    // Only now: if an append above failed, the retried escalation must still find the held exit.
    this.lingering.delete(run.id);
  }

  /** Arm (or cancel) the run's timers to match its state. Idempotent. */
  afterChange(run: RunState): void {
    if (isTerminalStatus(run.status)) {
      this.timers.clear(run.id);
      this.health.clear(run.id);
      this.unwatch(run.id);
      this.secrets.delete(run.id);
      this.lingering.delete(run.id);
      return;
    }
    this.arm(run);
  }

  /** @internal driver-exit.ts arms the escalation of a lingering stop. */
  arm(run: RunState): void {
    if (this.halted) return;
    this.health.sync(run);
    const now = this.clock.now();
    const live = liveAttempt(run);
    if (run.spec.timeoutMs && run.startedAt && !run.timedOut && !run.stop) {
      this.timers.set(run.id, 'timeout', Date.parse(run.startedAt) + run.spec.timeoutMs - now, () => fireTimeout(this, run.id));
    } else this.timers.cancel(run.id, 'timeout');
    if (run.stop && (live || this.lingering.has(run.id))) {
      this.timers.set(run.id, 'escalate', Date.parse(run.stop.escalateAt) - now, () => fireEscalation(this, run.id));
    } else this.timers.cancel(run.id, 'escalate');
    if (run.status === 'restarting' && run.restart) {
      const next = run.restart.nextAttempt;
      this.timers.set(run.id, 'restart', Date.parse(run.restart.at) - now, () => this.background(run.id, (r) => this.spawnLocked(r, next)));
    } else this.timers.cancel(run.id, 'restart');
  }

  /** A timer fires once: if the ledger refused what it decided, nothing would ever decide it again. */
  retryLater(fn: () => void): void {
    if (!this.halted) this.clock.setTimer(EXIT_RETRY_MS, fn);
  }

  /** Stop all watching and timers; children keep running (adopted by the next supervisor). */
  halt(): void {
    this.halted = true;
    for (const id of [...this.watches.keys()]) this.unwatch(id);
    this.timers.clearAll();
    this.health.clearAll();
  }

  get isHalted(): boolean {
    return this.halted;
  }
}
