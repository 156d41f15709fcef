/**
 * The simulated world: one virtual clock, one machine (SimHost), one disk
 * (SimDisk) and a seeded id generator, with the real Supervisor running on
 * top, unchanged. A supervisor "incarnation" can crash at any effect (a
 * ledger write, a spawn, a signal) — before it or after it — and a new one
 * is opened on the same disk and machine, reconciling what it finds.
 *
 * @example
 * const world = new SimWorld({ seed: 42 });
 * await world.boot();
 * const r = await world.call((sup) => sup.start({ command: 'sim', args: ['--exit-after=100:0'] }));
 * await world.advance(200);
 */
import { RunledgerError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { Ledger } from '../store/ledger.js';
import { Supervisor, type SupervisorOptions } from '../supervisor/supervisor.js';
import { SimDisk } from './faulty-ledger.js';
import { seededIds, seededRandom } from './seeded-ids.js';
import { settle, SimClock, type ClockView } from './sim-clock.js';
import { SimHost } from './sim-host.js';
import { SimRuntime, type SimSession } from './sim-runtime.js';

const CALL_STEP_MS = 25;

export type CrashMode = 'before' | 'after';
export type CallResult<T> = { kind: 'ok'; value: T } | { kind: 'error'; error: unknown } | { kind: 'crashed' } | { kind: 'down' };

export interface SimWorldOptions {
  seed: number;
  startMs?: number;
  pidRange?: { min: number; max: number };
  /** Extra supervisor options (e.g. reconcile: false). */
  supervisor?: Partial<SupervisorOptions>;
}

class Incarnation implements SimSession {
  dead = false;
  sup: Supervisor | undefined;
  store!: Ledger;
  readonly runtime: SimRuntime;
  readonly died: Promise<void>;
  private markDied!: () => void;

  constructor(
    private readonly world: SimWorld,
    readonly label: string,
    readonly clock: ClockView,
  ) {
    this.runtime = new SimRuntime(world.host, this);
    this.died = new Promise((resolve) => (this.markDied = resolve));
  }

  gate(op: string): 'proceed' | 'crash-before' | 'crash-after' {
    return this.world.takeCrash(op);
  }

  crash(): void {
    if (this.dead) return;
    this.dead = true;
    this.clock.kill();
    this.sup?.abandon();
    this.world.crashes += 1;
    this.markDied();
  }
}

export class SimWorld {
  readonly clock: SimClock;
  readonly host: SimHost;
  readonly disk = new SimDisk();
  readonly ids: IdGenerator;
  /** For the world's own choices (which foreign process takes which pid). */
  readonly random: () => number;
  crashes = 0;
  /** Longest virtual time a supervisor call had to wait (ms). */
  callWaitMs = 0;
  /** Why Supervisor.open rejected, each time it did. */
  readonly openErrors: unknown[] = [];
  boots = 0;
  /** Effects (writes, spawns, signals) seen, and the log of crash points hit. */
  readonly crashLog: string[] = [];
  private current: Incarnation | undefined;
  private crashPlan: { steps: number; mode: CrashMode } | undefined;

  constructor(readonly options: SimWorldOptions) {
    this.clock = new SimClock(options.startMs);
    this.host = new SimHost(this.clock, options.pidRange);
    this.ids = seededIds(() => this.clock.now(), options.seed);
    this.random = seededRandom(options.seed ^ 0x5bd1e995);
  }

  get up(): boolean {
    return this.current !== undefined && !this.current.dead && this.current.sup !== undefined;
  }

  /** The live supervisor; throws when down. */
  get sup(): Supervisor {
    if (!this.up) throw new Error('sim: the supervisor is down');
    return this.current!.sup!;
  }

  get store(): Ledger | undefined {
    return this.current?.store;
  }

  /** The current incarnation's runtime (race tests wrap its methods with a scheduler). */
  get runtime(): SimRuntime | undefined {
    return this.current?.runtime;
  }

  /** Crash the current incarnation at the `steps`-th effect from now (1 = the next one). */
  armCrash(steps: number, mode: CrashMode): void {
    this.crashPlan = { steps: Math.max(1, steps), mode };
  }

  get crashArmed(): boolean {
    return this.crashPlan !== undefined;
  }

  disarmCrash(): void {
    this.crashPlan = undefined;
  }

  /** @internal the gate every effect of an incarnation passes. */
  takeCrash(op: string): 'proceed' | 'crash-before' | 'crash-after' {
    if (!this.crashPlan) return 'proceed';
    if (--this.crashPlan.steps > 0) return 'proceed';
    const mode = this.crashPlan.mode;
    this.crashPlan = undefined;
    this.crashLog.push(`${mode} ${op} @${this.clock.now()}`);
    return mode === 'before' ? 'crash-before' : 'crash-after';
  }

  /**
   * Open a supervisor on the disk (Supervisor.open reconciles). 'crashed' if
   * it crashed while opening; 'failed' if open rejected (e.g. LEDGER_IO),
   * after which the incarnation is dead as a daemon that failed to start.
   */
  async boot(): Promise<'up' | 'crashed' | 'failed'> {
    if (this.current && !this.current.dead) throw new Error('sim: a supervisor is already running');
    this.boots += 1;
    const inc = new Incarnation(this, `sup#${this.boots}`, this.clock.view());
    this.current = inc;
    const opening = (async () => {
      inc.store = await this.disk.open(inc, { clock: inc.clock, ids: this.ids });
      const sup = await Supervisor.open({
        store: inc.store,
        runtime: inc.runtime,
        clock: inc.clock,
        ids: this.ids,
        cwd: '/',
        gitInfo: false,
        version: 'sim',
        host: { pid: 1, bootId: this.host.table.bootId, hostname: 'sim' },
        ...this.options.supervisor,
      });
      if (inc.dead) sup.abandon();
      else inc.sup = sup;
    })();
    const r = await Promise.race([
      opening.then(
        () => 'up' as const,
        (err: unknown) => {
          this.openErrors.push(err);
          inc.crash();
          return 'failed' as const;
        },
      ),
      inc.died.then(() => 'crashed' as const),
    ]);
    await settle();
    return r === 'up' && inc.dead ? 'crashed' : r;
  }

  /** Kill the running supervisor now, as kill -9 would: nothing more is recorded. */
  crash(): void {
    this.current?.crash();
  }

  /** Run an operation on the live supervisor; report a crash instead of hanging on it. */
  async call<T>(fn: (sup: Supervisor) => Promise<T>): Promise<CallResult<T>> {
    if (!this.up) return { kind: 'down' };
    const inc = this.current!;
    const op = fn(inc.sup!).then(
      (value): CallResult<T> => ({ kind: 'ok', value }),
      (error: unknown): CallResult<T> => ({ kind: 'error', error }),
    );
    let r: CallResult<T> | undefined;
    void Promise.race([op, inc.died.then((): CallResult<T> => ({ kind: 'crashed' }))]).then((x) => (r = x));
    await settle();
    // A call may wait on work that waits on time (a run's lock held by a linger poll): time passes
    // for the caller as it would for a real one, in small steps, up to a virtual hour.
    let waited = 0;
    for (; r === undefined && waited < 3_600_000; waited += CALL_STEP_MS) await this.clock.advance(CALL_STEP_MS);
    if (r === undefined) throw new Error('sim: a supervisor call never returned (a virtual hour passed)');
    this.callWaitMs = Math.max(this.callWaitMs, waited);
    return r;
  }

  /** Let virtual time pass (timers fire in order, async work settles between them). */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms);
  }

  settle(): Promise<void> {
    return settle();
  }

  /** Fill pids with foreign processes until `pid` is taken by one (pid reuse while we are not looking). */
  recyclePid(pid: number): boolean {
    const table = this.host.table;
    const span = table.pidRange.max - table.pidRange.min + 1;
    const made = [];
    for (let i = 0; i < span && table.get(pid) === undefined; i++) {
      try {
        made.push(table.spawn({ ppid: 1, pgid: 'new', role: 'foreign', owner: 'foreign' }));
      } catch {
        break;
      }
    }
    // Keep only the one on `pid`; the fillers exit (their pids free again).
    for (const p of made) if (p.pid !== pid) table.exit(p.pid, 0, null);
    return table.get(pid)?.owner === 'foreign';
  }

  /** A ledger on the same disk that never crashes, for checking invariants. */
  async inspector(): Promise<Ledger> {
    const calm: SimSession = { label: 'inspector', dead: false, gate: () => 'proceed', crash: () => undefined };
    return this.disk.open(calm, { clock: this.clock, ids: this.ids });
  }
}

export function isCode(err: unknown, code: string): boolean {
  return err instanceof RunledgerError && err.code === code;
}
