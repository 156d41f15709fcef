/**
 * The interleavings that matter, explored with fc.scheduler: every ledger
 * append and every runtime effect of the supervisor resolves in an order the
 * scheduler picks, while the racing actions run concurrently. The global
 * invariants must hold after each race.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { runStreamId, type EventEnvelope } from '../../src/events/index.js';
import { settle, SimWorld } from '../../src/sim/index.js';
import type { RunSpecInput } from '../../src/supervisor/spec.js';
import { simParams } from './config.js';
import { checkInvariants, newInvariantState } from './invariants.js';

// Hoisted above the imports: the factory loads its helper itself.
vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig as never));

const RUNS = 100;

/** A booted world whose supervisor's appends and runtime effects go through the scheduler. */
async function scheduledWorld(s: fc.Scheduler, seed: number): Promise<SimWorld> {
  const w = new SimWorld({ seed });
  expect(await w.boot()).toBe('up');
  const store = w.store!;
  const rt = w.runtime!;
  store.append = s.scheduleFunction(store.append.bind(store));
  rt.signal = s.scheduleFunction(rt.signal.bind(rt));
  rt.inspect = s.scheduleFunction(rt.inspect.bind(rt));
  rt.groupAlive = s.scheduleFunction(rt.groupAlive.bind(rt));
  return w;
}

/**
 * Release scheduled tasks one at a time (the scheduler picks which) until
 * `work` is done; when none is pending, let immediates run (the virtual
 * clock settles through them) so the next task can get scheduled.
 */
async function race<T>(s: fc.Scheduler, work: Promise<T>): Promise<T> {
  let done = false;
  const out = work
    .then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    )
    .finally(() => (done = true));
  for (let idle = 0; !done && idle < 200; ) {
    if (s.count() > 0) {
      idle = 0;
      await s.waitOne();
    } else {
      idle += 1;
      await settle(1);
    }
  }
  if (!done)
    throw new Error(
      `race: work is stuck with nothing scheduled\n${s
        .report()
        .map((r) => `${r.status} ${r.label}`)
        .join('\n')}`,
    );
  while (s.count() > 0) await s.waitOne();
  const r = await out;
  if (!r.ok) throw r.e;
  return r.v;
}

async function startOne(s: fc.Scheduler, w: SimWorld, spec: RunSpecInput): Promise<string> {
  const { run } = await race(s, w.sup.start(spec));
  return run.id;
}

function leaderOf(w: SimWorld, runId: string) {
  return [...w.host.attempts.values()].filter((a) => a.key.startsWith(`${runId}/`)).pop()!.leader;
}

async function settleAll(s: fc.Scheduler, w: SimWorld, ms = 20_000): Promise<void> {
  // Time passes in small steps so that scheduled work fired by timers is released in between.
  for (let t = 0; t < ms; t += 500) {
    await race(s, w.advance(500));
  }
}

describe('races under fc.scheduler', () => {
  it('exit vs stop: one terminal event, one RunEnded, group empty', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 1e9 }), fc.boolean(), async (s, seed, force) => {
        const w = await scheduledWorld(s, seed);
        const id = await startOne(s, w, { command: 'sim', args: ['--grandchild'], grace: 300 });
        const leader = leaderOf(w, id);
        await race(
          s,
          Promise.all([w.sup.stop(id, { force }), s.schedule(Promise.resolve()).then(() => w.host.table.exit(leader.pid, 1, null))]),
        );
        await settleAll(s, w);
        await checkInvariants(w, newInvariantState());
        // Forced is killed; otherwise stopped, or killed if the grandchild outlived the grace (checkStopWords says which).
        const status = w.sup.get(id).status;
        if (force) expect(status).toBe('killed');
        else expect(['stopped', 'killed']).toContain(status);
      }),
      simParams(RUNS, 0.1),
    );
  }, 600_000);

  it('restart timer vs stop: the run ends and no new attempt survives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 200 }), async (s, seed, stopAfter) => {
        const w = await scheduledWorld(s, seed);
        const id = await startOne(s, w, {
          command: 'sim',
          args: ['--exit-after=10:1'],
          restart: { policy: 'always', backoff: 100, maxRestarts: 5 },
          grace: 100,
        });
        await race(s, w.advance(10 + stopAfter));
        await race(s, Promise.all([w.sup.stop(id), w.advance(100)]));
        await settleAll(s, w);
        await checkInvariants(w, newInvariantState());
        const run = w.sup.get(id);
        // In backoff nothing was running (stopped); a live attempt ends stopped, or killed if it needed SIGKILL.
        expect(['stopped', 'killed']).toContain(run.status);
        const alive = [...w.host.table.procs.values()].filter((p) => p.owner.startsWith(`${id}/`) && p.state === 'alive');
        expect(alive).toEqual([]);
      }),
      simParams(RUNS, 0.1),
    );
  }, 600_000);

  it('two concurrent starts with one key: exactly one run is created, the other is reused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 1e9 }), async (s, seed) => {
        const w = await scheduledWorld(s, seed);
        const spec = { command: 'sim', key: 'build', slot: 'ci' };
        const [a, b] = await race(s, Promise.all([w.sup.start(spec), s.schedule(Promise.resolve()).then(() => w.sup.start(spec))]));
        expect([a.reused, b.reused].sort()).toEqual([false, true]);
        expect(a.run.id).toBe(b.run.id);
        const log = await (await w.inspector()).readAll();
        expect(log.filter((e) => e.type === 'RunRequested')).toHaveLength(1);
        await checkInvariants(w, newInvariantState());
      }),
      simParams(RUNS, 0.1),
    );
  }, 600_000);

  it('subscription catch-up vs appends: every position exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 6 }), async (s, seed, n) => {
        const w = await scheduledWorld(s, seed);
        const seen: EventEnvelope[] = [];
        const starts = Array.from({ length: n }, (_, i) =>
          s.schedule(Promise.resolve(), `start ${i}`).then(() => w.sup.start({ command: 'sim', args: ['--exit-after=5:0'] })),
        );
        const subscribed = s
          .schedule(Promise.resolve(), 'subscribe')
          .then(() => w.store!.subscribeAll({ from: 1 }).subscribe((e) => seen.push(e)));
        const [sub] = await race(s, Promise.all([subscribed, ...starts]));
        await settleAll(s, w, 1000);
        const head = (await w.store!.head()).position;
        sub.unsubscribe();
        expect(seen.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      }),
      simParams(RUNS, 0.1),
    );
  }, 600_000);

  it('reconcile vs a live exit: one terminal event for the attempt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(0, 1), async (s, seed, code) => {
        const w = await scheduledWorld(s, seed);
        const id = await startOne(s, w, { command: 'sim', args: [] });
        const leader = leaderOf(w, id);
        await race(
          s,
          Promise.all([w.sup.reconcile(), s.schedule(Promise.resolve()).then(() => w.host.table.exit(leader.pid, code, null))]),
        );
        await settleAll(s, w, 1000);
        const events = await (await w.inspector()).readStream(runStreamId(id));
        expect(
          events.filter((e) => ['ProcessExited', 'ExitRecovered', 'ProcessStatusUnknown', 'ProcessMarkedStale'].includes(e.type)),
        ).toHaveLength(1);
        await checkInvariants(w, newInvariantState());
      }),
      simParams(RUNS, 0.1),
    );
  }, 600_000);
});
