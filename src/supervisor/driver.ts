/**
 * The thin effectful shell around the deciders. For each kind of work it
 * either records intent first and acts after, or acts and then records what
 * happened, so that a crash between the two is visible to reconcile
 * (ARCHITECTURE.md, "Crash windows", lists the choice per command).
 * All work on one run is serialized by a per-run lock; runs proceed in parallel.
 */
import { isoTime, type Clock } from '../clock.js';
import { runStreamId, type RunledgerEvent } from '../events/envelope.js';
import { isTerminalStatus, liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import type { ExitStatus, RuntimeAdapter, SignalOutcome, SpawnedProcess, TreeMember } from '../runtime/adapter.js';
import type { RunEnvStore } from '../runtime/run-env-file.js';
import type { GivenEnv } from './attempt-env.js';
import { identityOf, refOf, trackingOf } from './attempt-ref.js';
import { AttemptWatch } from './attempt-watch.js';
import type { Book } from './book.js';
import {
  decideCheckpoint,
  decideFinding,
  decideReadinessFailed,
  decideReady,
  decideShimLost,
  decideSignalSent,
  decideSpawnFailed,
  decideSpawned,
  decideStop,
  decideTimeout,
  type StopCommand,
} from './decide.js';
import { decideHealth, type HealthProbeFacts } from './decide-health.js';
import { decideTreeReaped } from './decide-tree.js';
import { HealthWatches } from './health-watch.js';
import { recordAttemptExit } from './exit-record.js';
import { KeyedMutex } from './keyed-mutex.js';
import { RunTimers } from './run-timers.js';
import { spawnOrDiscover } from './spawn-attempt.js';
import type { UsageSampler } from './usage-sampler.js';
import { KILL_WAIT_MS, reapLeftovers, waitTreeEmpty } from './tree-reaper.js';

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
  private lingering = new Map<string, { attempt: number; status: ExitStatus | undefined; members: TreeMember[] }>();
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
      (id, facts) => this.onHealthProbe(id, facts),
    );
  }

  /**
   * A health probe's result. Most change nothing (decide-health says so without the lock); one that
   * does is recorded, and a stop it decided (reason `unhealthy`) is signalled like a readiness stop.
   */
  private onHealthProbe(runId: string, facts: HealthProbeFacts): void {
    const run = this.book.run(runId);
    if (!run || decideHealth(run, facts, this.clock.now()).length === 0) return;
    this.background(runId, async (current) => {
      const after = await this.commitRun(current, decideHealth(current, facts, this.clock.now()));
      if (!current.stop && after.stop?.reason === 'unhealthy') await this.signalStop(after);
    });
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
    const runId = run.id;
    const n = a.n;
    const watch = new AttemptWatch({
      runtime: this.runtimeOf(run, a),
      clock: this.clock,
      runId,
      attempt: n,
      identity: identityOf(a),
      shimPid: a.shimPid ?? undefined,
      ready: a.readyAt || run.readinessFailure ? null : run.spec.ready,
      startedAtMs: Date.parse(a.startedAt!),
      skipCheckpoints,
      handlers: {
        onExit: (status) => void this.handleExit(runId, n, status),
        onReady: (via, detail) => this.background(runId, (r) => this.commitRun(r, decideReady(r, { attempt: n, via, detail }))),
        onCheckpoint: (cp) => this.background(runId, (r) => this.commitRun(r, decideCheckpoint(r, n, cp))),
        onReadinessFailed: (reason, message) =>
          this.background(runId, async (r) => {
            const after = await this.commitRun(
              r,
              decideReadinessFailed(r, { attempt: n, reason, message, stderrTail: watch.tail() }, this.clock.now()),
            );
            await this.signalStop(after);
          }),
        onShimLost: (report) => this.background(runId, (r) => this.commitRun(r, decideShimLost(r, n, report))),
      },
    });
    this.watches.set(runId, { attempt: n, watch });
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

  /**
   * Send the run's current stop signal to its live attempt's whole tree,
   * then SIGCONT: a stopped (SIGSTOP, Ctrl-Z) process only runs its handler
   * once continued; without it, it would wait for SIGKILL at grace.
   */
  async signalStop(run: RunState): Promise<SignalOutcome | 'none'> {
    const a = liveAttempt(run);
    if (!run.stop || !a) return 'none';
    const outcome = await this.sendSignal(run, a, run.stop.signal, `stop (${run.stop.reason})`);
    if (outcome === 'sent' && run.stop.signal !== 'SIGKILL' && run.stop.signal !== 'SIGCONT') {
      await this.sendSignal(this.book.run(run.id)!, a, 'SIGCONT', 'continue stopped processes so they can handle the stop signal');
    }
    return outcome;
  }

  /** Identity-checked signal to the attempt's tree; a mismatch marks the attempt stale instead of signalling. */
  async sendSignal(run: RunState, a: AttemptState, signal: string, reason: string): Promise<SignalOutcome> {
    const runtime = this.runtimeOf(run, a);
    const identity = identityOf(a);
    const outcome = await runtime.signalTree(refOf(run, a), signal);
    const current = this.book.run(run.id)!;
    if (outcome === 'sent') await this.commitRun(current, decideSignalSent(current, { attempt: a.n, signal, target: 'group', reason }));
    else if (outcome === 'mismatch') {
      const obs = await runtime.inspect(run.id, a.n, identity);
      const evidence = { expected: identity, observed: obs.observed, checkedAt: isoTime(this.clock.now()), before: `sending ${signal}` };
      await this.commitRun(
        current,
        decideFinding(
          current,
          { attempt: a.n, kind: 'stale', reason: 'pid reused: identity did not match before signalling', evidence },
          this.clock.now(),
        ),
      );
    }
    return outcome;
  }

  private handleExit(runId: string, n: number, status: ExitStatus | undefined): Promise<unknown> {
    const handled = this.withRun(runId, async (run) => {
      const a = liveAttempt(run);
      if (!a || a.n !== n) return;
      const runtime = this.runtimeOf(run, a);
      const members = await runtime.listTree(refOf(run, a));
      if (members.length > 0 && run.stop) {
        // The leader is gone but its tree lives on (e.g. a TERM-ignoring grandchild): finish the stop first.
        this.lingering.set(runId, { attempt: n, status, members });
        this.arm(run);
        void this.awaitLingerEnd(runId).catch(() => undefined); // not under the lock: a stop --force must get through
        return;
      }
      if (members.length > 0) {
        // Its tree ends with it (or is kept and recorded): outside the lock, the grace period may be long.
        void this.reap(run, a, status, members);
        return;
      }
      await this.recordExit(run, n, status);
    });
    // The watch that saw this exit is gone: if the ledger refused the record, nobody else would
    // ever report it (the run would stay running forever), so keep the fact and try again.
    return handled.catch(() => this.retryLater(() => void this.handleExit(runId, n, status)));
  }

  /** The main process ended on its own and left processes behind: end them (or keep them), record it, then the exit. */
  private async reap(run: RunState, a: AttemptState, status: ExitStatus | undefined, members: TreeMember[]): Promise<void> {
    const facts = await reapLeftovers({
      runtime: this.runtimeOf(run, a),
      clock: this.clock,
      ref: refOf(run, a),
      members,
      stopSignal: run.spec.stopSignal,
      graceMs: run.spec.graceMs,
      keep: run.spec.keepLeftovers === true,
      tracking: trackingOf(a),
    }).catch(() => undefined);
    this.background(run.id, async (current) => {
      if (liveAttempt(current)?.n !== a.n) return;
      const after = facts ? await this.commitRun(current, decideTreeReaped(current, facts)) : current;
      await this.recordExit(after, a.n, status);
    });
  }

  /** A lingering stop whose tree empties before escalateAt is done then, not at escalateAt. */
  private async awaitLingerEnd(runId: string): Promise<void> {
    const run = this.book.run(runId);
    const linger = this.lingering.get(runId);
    const a = run && liveAttempt(run);
    if (!run || !linger || !a || a.n !== linger.attempt || !run.stop) return;
    const within = Date.parse(run.stop.escalateAt) - this.clock.now();
    if (within <= 0 || !(await waitTreeEmpty(this.runtimeOf(run, a), this.clock, refOf(run, a), within))) return;
    this.background(runId, async (current) => {
      const held = this.lingering.get(runId);
      if (!held || held.attempt !== a.n || !current.stop) return;
      const facts = { attempt: a.n, pids: held.members, signal: current.stop.signal, kept: false, survivors: [], tracking: trackingOf(a) };
      await this.recordExit(await this.commitRun(current, decideTreeReaped(current, facts)), a.n, held.status);
    });
  }

  /** Record how attempt n ended (exit-record.ts), then forget its watch and any held lingering exit. */
  private async recordExit(run: RunState, n: number, status: ExitStatus | undefined): Promise<void> {
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

  private arm(run: RunState): void {
    if (this.halted) return;
    this.health.sync(run);
    const now = this.clock.now();
    const live = liveAttempt(run);
    if (run.spec.timeoutMs && run.startedAt && !run.timedOut && !run.stop) {
      this.timers.set(run.id, 'timeout', Date.parse(run.startedAt) + run.spec.timeoutMs - now, () => this.fireTimeout(run.id));
    } else this.timers.cancel(run.id, 'timeout');
    if (run.stop && (live || this.lingering.has(run.id))) {
      this.timers.set(run.id, 'escalate', Date.parse(run.stop.escalateAt) - now, () => this.fireEscalation(run.id));
    } else this.timers.cancel(run.id, 'escalate');
    if (run.status === 'restarting' && run.restart) {
      const next = run.restart.nextAttempt;
      this.timers.set(run.id, 'restart', Date.parse(run.restart.at) - now, () => this.background(run.id, (r) => this.spawnLocked(r, next)));
    } else this.timers.cancel(run.id, 'restart');
  }

  private fireTimeout(runId: string): void {
    void this.withRun(runId, async (run) => {
      const after = await this.commitRun(run, decideTimeout(run, this.clock.now()));
      if (after !== run) await this.signalStop(after);
    }).catch(() => this.retryLater(() => this.fireTimeout(runId)));
  }

  /** A timer fires once: if the ledger refused what it decided, nothing would ever decide it again. */
  private retryLater(fn: () => void): void {
    if (!this.halted) this.clock.setTimer(EXIT_RETRY_MS, fn);
  }

  private fireEscalation(runId: string): void {
    void this.withRun(runId, async (run) => {
      const linger = this.lingering.get(runId);
      const a = liveAttempt(run);
      if (!a || !run.stop) return;
      if (!linger) {
        await this.sendSignal(run, a, 'SIGKILL', 'grace period over');
        return;
      }
      const runtime = this.runtimeOf(run, a);
      const ref = refOf(run, a);
      if ((await runtime.listTree(ref)).length > 0) {
        await runtime.signalTree(ref, 'SIGKILL');
        const current = this.book.run(runId)!;
        await this.commitRun(
          current,
          decideSignalSent(current, {
            attempt: a.n,
            signal: 'SIGKILL',
            target: 'group',
            reason: 'grace period over (the tree outlived its leader)',
          }),
        );
      }
      await waitTreeEmpty(runtime, this.clock, ref, KILL_WAIT_MS);
      const survivors = await runtime.listTree(ref);
      const current = this.book.run(runId)!;
      const facts = { attempt: a.n, pids: linger.members, signal: 'SIGKILL', kept: false, survivors, tracking: trackingOf(a) };
      await this.recordExit(await this.commitRun(current, decideTreeReaped(current, facts)), linger.attempt, linger.status);
    }).catch(() => this.retryLater(() => this.fireEscalation(runId)));
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
