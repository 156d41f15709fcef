/**
 * The model-based commands: what a user, a child process, the machine, the
 * disk and fate can do to a supervisor. Each command acts on the SimWorld,
 * asserts what it can about the immediate answer, and leaves the global
 * invariants (invariants.ts) to the runner, which checks them after every step.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { RunledgerError } from '../../src/errors.js';
import { liveAttempt } from '../../src/projections/run-state.js';
import type { RunSpecInput } from '../../src/supervisor/spec.js';
import type { CallResult, CrashMode, SimWorld } from '../../src/sim/index.js';
import { checkInvariants, type InvariantState } from './invariants.js';

export interface SimModel {
  world: SimWorld;
  inv: InvariantState;
  /** Run ids in creation order (the log's), so commands can name them by index. */
  runs: string[];
  /** Operations that crashed the supervisor. */
  crashes: number;
  /** Commands run. */
  steps: number;
}

export type SimCommand = fc.AsyncCommand<SimModel, SimWorld>;

/** Errors a caller may legitimately get; anything else fails the test. */
const EXPECTED = new Set(['SLOT_BUSY', 'LEDGER_IO', 'RUN_TERMINAL']);

function expectCallOk<T>(r: CallResult<T>, what: string): T | undefined {
  if (r.kind === 'error') {
    if (r.error instanceof RunledgerError && EXPECTED.has(r.error.code)) return undefined;
    throw new Error(`${what} failed unexpectedly: ${String((r.error as Error)?.stack ?? r.error)}`);
  }
  return r.kind === 'ok' ? r.value : undefined;
}

async function afterStep(m: SimModel): Promise<void> {
  m.steps += 1;
  await m.world.settle();
  const { log } = await checkInvariants(m.world, m.inv);
  m.runs = log.filter((e) => e.type === 'RunRequested').map((e) => e.streamId.slice(4));
}

function runAt(m: SimModel, index: number): string | undefined {
  return m.runs.length === 0 ? undefined : m.runs[index % m.runs.length];
}

// ---------- the spec a start asks for ----------

export interface StartPlan {
  slot?: string;
  key?: string;
  session: string;
  ready: 'none' | 'protocol' | 'line' | 'port' | 'never';
  readyAfterMs: number;
  restart: 'never' | 'on-failure' | 'always';
  maxRestarts: number;
  backoffMs: number;
  timeoutMs?: number;
  graceMs: number;
  exit?: { afterMs: number; code: number };
  ignoreTerm: boolean;
  grandchild: 'none' | 'plain' | 'ignore-term' | 'zombie';
  checkpoint: boolean;
  missing: boolean;
  /** A health probe whose answers fail in a window of the attempt's life (ms after spawn; toMs null: for ever). */
  health?: { kind: 'http' | 'tcp' | 'exec'; fromMs: number; toMs: number | null; threshold: number; intervalMs: number };
}

export const startPlanArb: fc.Arbitrary<StartPlan> = fc.record(
  {
    slot: fc.constantFrom('s1', 's2'),
    key: fc.constantFrom('k1', 'k2'),
    session: fc.constantFrom('A', 'B'),
    ready: fc.constantFrom('none', 'none', 'protocol', 'line', 'port', 'never'),
    readyAfterMs: fc.integer({ min: 0, max: 400 }),
    restart: fc.constantFrom('never', 'on-failure', 'always'),
    maxRestarts: fc.integer({ min: 0, max: 3 }),
    backoffMs: fc.integer({ min: 0, max: 500 }),
    timeoutMs: fc.integer({ min: 50, max: 3000 }),
    graceMs: fc.integer({ min: 0, max: 2000 }),
    exit: fc.record({ afterMs: fc.integer({ min: 1, max: 3000 }), code: fc.constantFrom(0, 1, 2) }),
    ignoreTerm: fc.boolean(),
    grandchild: fc.constantFrom('none', 'none', 'plain', 'ignore-term', 'zombie'),
    checkpoint: fc.boolean(),
    missing: fc.constantFrom(false, false, false, false, false, false, false, true),
    health: fc.record({
      kind: fc.constantFrom('http' as const, 'tcp' as const, 'exec' as const),
      fromMs: fc.integer({ min: 0, max: 1500 }),
      toMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
      threshold: fc.integer({ min: 1, max: 3 }),
      intervalMs: fc.integer({ min: 100, max: 400 }),
    }),
  },
  {
    requiredKeys: [
      'session',
      'ready',
      'readyAfterMs',
      'restart',
      'maxRestarts',
      'backoffMs',
      'graceMs',
      'ignoreTerm',
      'grandchild',
      'checkpoint',
      'missing',
    ],
  },
);

let portSeq = 4000;

export function specOf(p: StartPlan): RunSpecInput {
  const args: string[] = [];
  const port = 4000 + (portSeq++ % 60_000);
  if (p.ready === 'protocol') args.push(`--ready-after=${p.readyAfterMs}`);
  if (p.ready === 'line') args.push(`--line-after=${p.readyAfterMs}:listening on ${port}`);
  if (p.ready === 'port') args.push(`--listen=${port}:${p.readyAfterMs}`);
  if (p.exit) args.push(`--exit-after=${p.exit.afterMs}:${p.exit.code}`);
  if (p.ignoreTerm) args.push('--ignore-term');
  if (p.grandchild === 'plain' || p.grandchild === 'zombie') args.push('--grandchild');
  if (p.grandchild === 'ignore-term') args.push('--grandchild=ignore-term');
  if (p.grandchild === 'zombie') args.push('--zombie-after=50');
  if (p.checkpoint) args.push('--checkpoint-after=5');
  if (p.health) args.push(`--unhealthy=${p.health.fromMs}${p.health.toMs === null ? '' : `:${p.health.toMs}`}`);
  const readyTimeout = 1000;
  return {
    command: p.missing ? 'no-such-command' : 'sim',
    args,
    owner: { session: p.session },
    ...(p.slot ? { slot: p.slot } : {}),
    ...(p.key ? { key: p.key } : {}),
    ...(p.ready === 'line' || p.ready === 'never' ? { ready: { line: '^listening', timeout: readyTimeout } } : {}),
    ...(p.ready === 'protocol' ? { ready: { line: '^never-printed', timeout: readyTimeout } } : {}),
    ...(p.ready === 'port' ? { ready: { port, timeout: readyTimeout } } : {}),
    restart: { policy: p.restart, maxRestarts: p.maxRestarts, backoff: p.backoffMs, maxBackoff: 2000, minUptime: 100 },
    ...(p.timeoutMs ? { timeout: p.timeoutMs } : {}),
    grace: p.graceMs,
    ...(p.health ? { health: healthOf(p.health, port) } : {}),
  };
}

function healthOf(h: NonNullable<StartPlan['health']>, port: number): NonNullable<RunSpecInput['health']> {
  const probe =
    h.kind === 'http'
      ? { http: { url: `http://127.0.0.1:${port}/health` } }
      : h.kind === 'tcp'
        ? { tcp: { port } }
        : { exec: { command: 'check' } };
  return { ...probe, interval: h.intervalMs, timeout: 50, failureThreshold: h.threshold };
}

// ---------- commands ----------

export class Start implements SimCommand {
  constructor(readonly plan: StartPlan) {}
  check = (m: Readonly<SimModel>) => m.world.up;
  async run(m: SimModel, w: SimWorld) {
    const spec = specOf(this.plan);
    const before = w.sup.state;
    const keyHolder = spec.key ? before.activeByKey.get(spec.key) : undefined;
    const slotHolder = spec.slot ? before.activeBySlot.get(spec.slot) : undefined;
    const r = await w.call((s) => s.start(spec));
    if (r.kind === 'ok') {
      if (keyHolder) expect(r.value, 'an active run with the key is reused').toMatchObject({ reused: true, run: { id: keyHolder } });
      else expect(r.value.reused, 'no active run had the key: a new run').toBe(false);
      if (!keyHolder && slotHolder) throw new Error(`start took slot ${spec.slot} held by ${slotHolder}`);
    } else if (r.kind === 'error' && r.error instanceof RunledgerError && r.error.code === 'SLOT_BUSY') {
      expect(slotHolder, 'SLOT_BUSY names a real occupant').toBe((r.error.details.occupant as { id: string }).id);
    }
    expectCallOk(r, 'start');
    await afterStep(m);
  }
  toString = () => `Start(${JSON.stringify(this.plan)})`;
}

export class Stop implements SimCommand {
  constructor(
    readonly index: number,
    readonly force: boolean,
    readonly graceMs: number | undefined,
  ) {}
  check = (m: Readonly<SimModel>) => m.world.up && m.runs.length > 0;
  async run(m: SimModel, w: SimWorld) {
    const id = runAt(m, this.index)!;
    expectCallOk(
      await w.call((s) => s.stop(id, { force: this.force, ...(this.graceMs === undefined ? {} : { grace: this.graceMs }) })),
      'stop',
    );
    await afterStep(m);
  }
  toString = () => `Stop(#${this.index}, force=${this.force}, grace=${this.graceMs})`;
}

export class Restart implements SimCommand {
  constructor(readonly index: number) {}
  check = (m: Readonly<SimModel>) => m.world.up && m.runs.length > 0;
  async run(m: SimModel, w: SimWorld) {
    const id = runAt(m, this.index)!;
    expectCallOk(await w.call((s) => s.restart(id)), 'restart');
    await afterStep(m);
  }
  toString = () => `Restart(#${this.index})`;
}

export class Interrupt implements SimCommand {
  constructor(readonly session: string) {}
  check = (m: Readonly<SimModel>) => m.world.up;
  async run(m: SimModel, w: SimWorld) {
    const active = w.sup
      .list({ active: true })
      .filter((r) => r.spec.owner.session === this.session)
      .map((r) => r.id);
    const r = await w.call((s) => s.interrupt({ session: this.session }));
    const report = expectCallOk(r, 'interrupt');
    if (report) {
      expect(report.matched.map((x) => x.id).sort(), 'interrupt matches exactly the active runs of the scope').toEqual(active.sort());
      for (const x of [...report.signaled, ...report.stale]) expect(active).toContain(x.id);
    }
    await afterStep(m);
  }
  toString = () => `Interrupt(session=${this.session})`;
}

/** The child (the live attempt's leader) exits by itself, or is killed from outside. */
export class ChildEnds implements SimCommand {
  constructor(
    readonly index: number,
    readonly how: { code: number } | { signal: 'SIGKILL' | 'SIGSEGV' },
  ) {}
  check = (m: Readonly<SimModel>) => m.runs.length > 0;
  async run(m: SimModel, w: SimWorld) {
    const id = runAt(m, this.index)!;
    const leader = latestLeader(w, id);
    if (leader) {
      if ('code' in this.how) w.host.table.exit(leader.pid, this.how.code, null);
      else w.host.table.exit(leader.pid, null, this.how.signal);
    }
    await afterStep(m);
  }
  toString = () => `ChildEnds(#${this.index}, ${JSON.stringify(this.how)})`;
}

/** The shim dies (SIGKILL from outside): ShimLost, and the child's exit will leave no record (code unknown). */
export class LoseExitRecord implements SimCommand {
  constructor(readonly index: number) {}
  check = (m: Readonly<SimModel>) => m.runs.length > 0;
  async run(m: SimModel, w: SimWorld) {
    const id = runAt(m, this.index)!;
    const a = [...w.host.attempts.values()].filter((x) => x.key.startsWith(`${id}/`)).pop();
    if (a && w.host.table.isAlive(a.shim)) w.host.table.exit(a.shim.pid, null, 'SIGKILL');
    await afterStep(m);
  }
  toString = () => `LoseExitRecord(#${this.index})`;
}

export class Advance implements SimCommand {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: SimModel, w: SimWorld) {
    await w.advance(this.ms);
    await afterStep(m);
  }
  toString = () => `Advance(${this.ms}ms)`;
}

/** Long enough for every grace period, escalation and linger poll; then stopped runs must have ended. */
export class AdvancePastEscalation implements SimCommand {
  check = () => true;
  async run(m: SimModel, w: SimWorld) {
    const stopping = w.up
      ? w.sup
          .list({ active: true })
          .filter((r) => r.stop && liveAttempt(r))
          .map((r) => ({ id: r.id, n: liveAttempt(r)!.n }))
      : [];
    const crashesBefore = w.crashes;
    const failedBefore = w.disk.failedWrites;
    await w.advance(8_000);
    if (w.up && w.crashes === crashesBefore && w.disk.failedWrites === failedBefore) {
      for (const { id, n } of stopping) {
        const a = w.sup.get(id).attempts.find((x) => x.n === n)!;
        expect(a.status, `run ${id} attempt ${n} was being stopped 8s ago and has not ended`).not.toBe('running');
      }
    }
    await afterStep(m);
  }
  toString = () => 'AdvancePastEscalation()';
}

export class CrashNow implements SimCommand {
  check = (m: Readonly<SimModel>) => m.world.up;
  async run(m: SimModel, w: SimWorld) {
    w.crash();
    await afterStep(m);
  }
  toString = () => 'CrashNow()';
}

export class ArmCrash implements SimCommand {
  constructor(
    readonly steps: number,
    readonly mode: CrashMode,
  ) {}
  check = (m: Readonly<SimModel>) => !m.world.crashArmed;
  async run(m: SimModel, w: SimWorld) {
    w.armCrash(this.steps, this.mode);
    await afterStep(m);
  }
  toString = () => `ArmCrash(at effect ${this.steps}, ${this.mode})`;
}

export class FailWrites implements SimCommand {
  constructor(readonly n: number) {}
  check = () => true;
  async run(m: SimModel, w: SimWorld) {
    w.disk.failNextWrite(this.n);
    await afterStep(m);
  }
  toString = () => `FailWrites(${this.n})`;
}

/** While we are down, a stranger gets the pid of one of our attempts. */
export class RecyclePid implements SimCommand {
  constructor(readonly index: number) {}
  check = (m: Readonly<SimModel>) => m.runs.length > 0;
  async run(m: SimModel, w: SimWorld) {
    const id = runAt(m, this.index)!;
    const leader = [...w.host.attempts.values()].filter((x) => x.key.startsWith(`${id}/`)).pop()?.leader;
    if (leader && leader.state === 'dead' && w.host.table.get(leader.pid) === undefined) w.recyclePid(leader.pid);
    await afterStep(m);
  }
  toString = () => `RecyclePid(#${this.index})`;
}

export class RebootMachine implements SimCommand {
  check = (m: Readonly<SimModel>) => !m.world.up;
  async run(m: SimModel, w: SimWorld) {
    w.host.table.reboot();
    await afterStep(m);
  }
  toString = () => 'RebootMachine()';
}

/** Open a new supervisor on the same disk (it reconciles); then reconcile again must append nothing. */
export class Boot implements SimCommand {
  check = (m: Readonly<SimModel>) => !m.world.up;
  async run(m: SimModel, w: SimWorld) {
    const r = await w.boot();
    if (r === 'failed') {
      const err = w.openErrors[w.openErrors.length - 1];
      if (!(err instanceof RunledgerError && err.code === 'LEDGER_IO')) throw err;
    }
    if (r === 'up') await reconcileIsIdempotent(w);
    await afterStep(m);
  }
  toString = () => 'Boot()';
}

export class ReconcileTwice implements SimCommand {
  check = (m: Readonly<SimModel>) => m.world.up;
  async run(m: SimModel, w: SimWorld) {
    const failed = w.disk.failedWrites;
    const first = await w.call((s) => s.reconcile());
    expectCallOk(first, 'reconcile');
    if (first.kind === 'ok' && w.disk.failedWrites === failed && w.up) await reconcileIsIdempotent(w);
    await afterStep(m);
  }
  toString = () => 'ReconcileTwice()';
}

/** With the world at rest, a reconcile right after a reconcile appends nothing. */
async function reconcileIsIdempotent(w: SimWorld): Promise<void> {
  if (w.crashArmed) return;
  await w.settle();
  const failed = w.disk.failedWrites;
  const head = w.sup.state.position;
  const r = await w.call((s) => s.reconcile());
  if (r.kind !== 'ok' || w.disk.failedWrites !== failed) return;
  const after = (await (await w.inspector()).readAll({ from: head + 1 })).map((e) => `${e.type} ${e.streamId}`);
  expect(after, `a second reconcile appends nothing (report ${JSON.stringify(r.value)})`).toEqual([]);
}

function latestLeader(w: SimWorld, runId: string) {
  const a = [...w.host.attempts.values()].filter((x) => x.key.startsWith(`${runId}/`)).pop();
  return a && w.host.table.isAlive(a.leader) ? a.leader : undefined;
}

const weighted = (n: number, arb: fc.Arbitrary<SimCommand>): fc.Arbitrary<SimCommand>[] => Array.from({ length: n }, () => arb);

/** fc.commands picks uniformly among these: the weights are repetitions. */
export const commandArbs: fc.Arbitrary<SimCommand>[] = [
  ...weighted(
    5,
    startPlanArb.map((p) => new Start(p)),
  ),
  ...weighted(
    2,
    fc
      .tuple(fc.nat(), fc.boolean(), fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }))
      .map(([i, f, g]) => new Stop(i, f, g)),
  ),
  fc.nat().map((i) => new Restart(i)),
  fc.constantFrom('A', 'B').map((s) => new Interrupt(s)),
  ...weighted(
    2,
    fc
      .tuple(
        fc.nat(),
        fc.oneof(
          fc.record({ code: fc.constantFrom(0, 1, 3) }),
          fc.record({ signal: fc.constantFrom('SIGKILL' as const, 'SIGSEGV' as const) }),
        ),
      )
      .map(([i, h]) => new ChildEnds(i, h)),
  ),
  fc.nat().map((i) => new LoseExitRecord(i)),
  ...weighted(
    4,
    fc.integer({ min: 1, max: 3000 }).map((ms) => new Advance(ms)),
  ),
  fc.constant(new AdvancePastEscalation()),
  fc.constant(new CrashNow()),
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom<CrashMode>('before', 'after')).map(([n, mode]) => new ArmCrash(n, mode)),
  fc.integer({ min: 1, max: 2 }).map((n) => new FailWrites(n)),
  fc.nat().map((i) => new RecyclePid(i)),
  fc.constant(new RebootMachine()),
  ...weighted(3, fc.constant(new Boot())),
  fc.constant(new ReconcileTwice()),
];
