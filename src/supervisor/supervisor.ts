/**
 * The in-process library API. One Supervisor owns one ledger (LevelDB's lock
 * makes it the only writer) and drives processes through a RuntimeAdapter.
 *
 * @example
 * const sup = await Supervisor.open({ store: await openLedger({ dir }), runtime: createBackgroundRuntime({ stateDir }) });
 * const { run } = await sup.start({ command: 'node', args: ['server.js'], ready: { port: 3000 } });
 * await sup.stop(run.id, { wait: true });
 * await sup.close();
 */
import { filter, map, type Observable } from 'rxjs';
import { systemClock, type Clock } from '../clock.js';
import { RunledgerError } from '../errors.js';
import { SUPERVISOR_STREAM, type EventEnvelope, type RunledgerEvent } from '../events/envelope.js';
import type { OwnerScope } from '../events/schemas.js';
import { ulidGenerator, type IdGenerator } from '../ids.js';
import { loadRunsState } from '../projections/load.js';
import { getRun, listRuns, type RunFilter } from '../projections/queries.js';
import { isActive, isTerminalStatus, liveAttempt, type RunState } from '../projections/run-state.js';
import type { RunsState } from '../projections/runs.js';
import type { ReconcileReport } from '../reconcile/report.js';
import { reconcile } from './reconcile-pass.js';
import { decideRestart } from './decide.js';
import { decideLogsPruned, type LogsPrunedFacts } from './decide-prune.js';
import { decideSupervisorStopped } from './decide-supervisor.js';
import type { Driver } from './driver.js';
import type { UsageSample } from './usage-sampler.js';
import { parseDuration } from './durations.js';
import type { RunSpecInput } from './spec.js';
import { interruptRuns } from './supervisor-interrupt.js';
import { startRun } from './supervisor-start.js';
import { openDriver, recordStarted } from './supervisor-open.js';
import {
  type InterruptReport,
  type StartOptions,
  type StartResult,
  type StopOptions,
  type SupervisorOptions,
} from './supervisor-options.js';

export type { InterruptReport, RunRef, StartOptions, StartResult, StopOptions, SupervisorOptions } from './supervisor-options.js';

export class Supervisor {
  private closed = false;
  private openingReport: ReconcileReport | null = null;

  private constructor(
    private readonly driver: Driver,
    private readonly opts: SupervisorOptions,
    private readonly ids: IdGenerator,
    readonly supervisorId: string,
  ) {}

  static async open(opts: SupervisorOptions): Promise<Supervisor> {
    const clock = opts.clock ?? systemClock;
    const ids = opts.ids ?? ulidGenerator(() => clock.now());
    const state = opts.initialState ?? (await loadRunsState(opts.store));
    const { driver, supervisorId } = openDriver(opts, clock, ids, state);
    const sup = new Supervisor(driver, opts, ids, supervisorId);
    await recordStarted(driver, supervisorId, opts);
    if (opts.reconcile !== false) sup.openingReport = await sup.reconcile();
    return sup;
  }

  /** Every event appended from now on, in position order. */
  get events$(): Observable<EventEnvelope> {
    return this.driver.book.events$.asObservable();
  }

  /** Every change of a run's state, as the new (immutable) RunState. */
  get runs$(): Observable<RunState> {
    return this.driver.book.runs$.asObservable();
  }

  /** The live projection (read-only by convention). */
  get state(): RunsState {
    return this.driver.book.state;
  }

  /** A new run (or the one its slot or idempotency key already names), its first attempt spawned. */
  async start(input: RunSpecInput, options: StartOptions = {}): Promise<StartResult> {
    return startRun({ driver: this.driver, ids: this.ids, opts: this.opts, assertOpen: () => this.assertOpen() }, input, options);
  }

  async stop(id: string, options: StopOptions = {}): Promise<RunState> {
    this.assertOpen();
    const run = this.get(id);
    const graceMs = options.grace === undefined ? undefined : parseDuration(options.grace, 'grace');
    await this.driver.withRun(run.id, (r) =>
      this.driver.requestStop(r, { reason: 'user', force: options.force ?? false, ...(graceMs === undefined ? {} : { graceMs }) }),
    );
    return options.wait ? this.wait(run.id) : this.get(run.id);
  }

  /** Stop the live attempt and start the next one at once (the run keeps its id). */
  async restart(id: string): Promise<RunState> {
    this.assertOpen();
    const run = this.get(id);
    await this.driver.withRun(run.id, async (r) => {
      const after = await this.driver.commitRun(r, decideRestart(r, this.driver.clock.now()));
      if (after !== r) await this.driver.signalStop(after);
    });
    return this.get(run.id);
  }

  /** Signal exactly the active runs whose owner matches every given scope key. */
  async interrupt(scope: OwnerScope): Promise<InterruptReport> {
    this.assertOpen();
    return interruptRuns(this.driver, this.state, scope);
  }

  /** A run by full id, `run-<id>`, short id or unique prefix (RUN_NOT_FOUND / AMBIGUOUS_ID). */
  get(id: string): RunState {
    return getRun(this.state, id);
  }

  list(filter: RunFilter = {}): RunState[] {
    return listRuns(this.state, filter);
  }

  /** Resolves when the run has ended (or, with 'ready', is ready or ended). */
  wait(id: string, until: 'end' | 'ready' = 'end'): Promise<RunState> {
    const runId = this.get(id).id;
    const done = (r: RunState) => isTerminalStatus(r.status) || (until === 'ready' && r.readyAt !== null);
    const now = this.state.runs.get(runId)!;
    if (done(now)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const sub = this.runs$
        .pipe(
          filter((r) => r.id === runId && done(r)),
          map((r) => r),
        )
        .subscribe((r) => {
          sub.unsubscribe();
          resolve(r);
        });
    });
  }

  /** The clock this supervisor decides with (a stack's dependency deadlines use it too). */
  get clock(): Clock {
    return this.driver.clock;
  }

  /**
   * Append decided events to a stream that is not a run's nor the
   * supervisor's (a stack's: `stack-<name>`), through the one writer.
   */
  async record(streamId: string, events: readonly RunledgerEvent[]): Promise<void> {
    this.assertOpen();
    if (streamId === SUPERVISOR_STREAM || streamId.startsWith('run-'))
      throw new RunledgerError('INVALID_STREAM_ID', `${streamId} is written by the supervisor itself`, { streamId });
    await this.driver.book.commit(streamId, events, 'any');
  }

  /** What the reconcile pass run by `open` found (null when opened with `reconcile: false`). */
  get startupReconcile(): ReconcileReport | null {
    return this.openingReport;
  }

  /** Record that the log files of these ended runs were deleted; the event (none when nothing was removed). */
  async recordLogsPruned(facts: LogsPrunedFacts): Promise<EventEnvelope | null> {
    this.assertOpen();
    const events = decideLogsPruned(this.driver.book.state, facts);
    return (await this.driver.book.commit(SUPERVISOR_STREAM, events, 'any'))[0] ?? null;
  }

  async reconcile(): Promise<ReconcileReport> {
    this.assertOpen();
    return reconcile(this.driver, this.supervisorId);
  }

  /**
   * Append SupervisorStopped and stop watching. Children keep running (the
   * next supervisor adopts them) unless `stopRuns` is set.
   */
  async close(options: { stopRuns?: boolean; reason?: string } = {}): Promise<void> {
    if (this.closed) return;
    if (options.stopRuns) {
      const active = this.list({ active: true });
      await Promise.all(
        active.map((r) => this.driver.withRun(r.id, (x) => this.driver.requestStop(x, { reason: 'shutdown', force: false }))),
      );
      await Promise.all(active.map((r) => this.wait(r.id)));
    }
    this.closed = true;
    this.driver.usage?.stop();
    this.driver.halt();
    await this.driver.idle();
    const leftRunning = [...this.state.runs.values()].filter((r) => isActive(r) && liveAttempt(r)).length;
    await this.driver.book.commit(
      SUPERVISOR_STREAM,
      decideSupervisorStopped({ supervisorId: this.supervisorId, reason: options.reason ?? 'closed', leftRunning }),
      'any',
    );
    this.driver.book.events$.complete();
    this.driver.book.runs$.complete();
  }

  /** CPU and memory of each live run's tree, measured now (empty unless opened with usageSampleMs). */
  async usage(): Promise<Map<string, UsageSample>> {
    return this.driver.usage ? this.driver.usage.sampleAll() : new Map();
  }

  /** The latest sample of each live run's tree, without measuring again (what `ps` shows). */
  latestUsage(): Map<string, UsageSample> {
    return this.driver.usage ? this.driver.usage.byRun() : new Map();
  }

  /** Stop all work without recording anything, as a crash would (tests and the simulator). */
  abandon(): void {
    this.closed = true;
    this.driver.usage?.stop();
    this.driver.halt();
  }

  private assertOpen(): void {
    if (this.closed) throw new RunledgerError('SUPERVISOR_CLOSED', 'this supervisor is closed');
  }
}
