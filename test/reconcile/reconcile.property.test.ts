/**
 * Reconcile's properties over any generated history and any observed world:
 * its events bring the projection in line with the world, applying it twice
 * adds nothing, no terminal run ever moves, and a reused pid is never signalled.
 */
import fc from 'fast-check';
import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Observation, ProcessIdentity, RuntimeAdapter } from '../../src/runtime/adapter.js';
import { TERMINAL_STATUSES } from '../../src/events/constants.js';
import { foldRuns } from '../../src/projections/runs.js';
import { isActive, liveAttempt, type RunState } from '../../src/projections/run-state.js';
import { serializeRunsState } from '../../src/projections/snapshot.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { ulidGenerator } from '../../src/ids.js';
import { appendGenerated, ledgerEventsArb, SCENARIO_EPOCH_MS } from '../support/arbitraries.js';
import { manualClock } from '../support/manual-clock.js';

type World = 'alive' | 'exit-0' | 'exit-7' | 'killed' | 'gone' | 'reused';
const worldArb = fc.array(fc.constantFrom<World>('alive', 'exit-0', 'exit-7', 'killed', 'gone', 'reused'), { minLength: 8, maxLength: 8 });

/** A runtime that reports the chosen world for each live attempt and records every signal it would deliver. */
function worldRuntime(worldOf: (runId: string) => World) {
  const delivered: { runId: string; pid: number; signal: string }[] = [];
  const byPid = new Map<number, string>();
  const observe = (runId: string, identity: ProcessIdentity): Observation => {
    byPid.set(identity.pid, runId);
    switch (worldOf(runId)) {
      case 'alive':
        return { state: 'alive', observed: identity };
      case 'exit-0':
        return { state: 'gone', exit: { exitCode: 0, signal: null, exitedAt: null }, observed: { pid: identity.pid, zombie: false } };
      case 'exit-7':
        return { state: 'gone', exit: { exitCode: 7, signal: null, exitedAt: null }, observed: { pid: identity.pid, zombie: false } };
      case 'killed':
        return {
          state: 'gone',
          exit: { exitCode: null, signal: 'SIGKILL', exitedAt: null },
          observed: { pid: identity.pid, zombie: false },
        };
      case 'gone':
        return { state: 'gone', observed: { pid: identity.pid, zombie: false } };
      case 'reused':
        return { state: 'reused', observed: { pid: identity.pid, startTime: '999999999', bootId: identity.bootId } };
    }
  };
  const runtime: RuntimeAdapter = {
    kind: 'background',
    async spawn() {
      throw new Error('no spawns in this property: the clock does not move');
    },
    async signal(identity, signal) {
      const runId = byPid.get(identity.pid) ?? '?';
      const w = worldOf(runId);
      if (w === 'reused') return 'mismatch';
      if (w !== 'alive') return 'gone';
      delivered.push({ runId, pid: identity.pid, signal });
      return 'sent';
    },
    async inspect(runId, _attempt, identity) {
      return observe(runId, identity);
    },
    waitExit: (_r, _a, _i, abort) => new Promise((resolve) => abort?.addEventListener('abort', () => resolve(undefined))),
    async groupAlive() {
      return false;
    },
    signalTree(ref, signal) {
      return this.signal(ref.identity, signal, 'group');
    },
    async listTree() {
      return [];
    },
    async releaseTree() {},
    tracking: () => ({ mode: 'process-group', detail: 'a fake world' }),
    output: () => NEVER,
    async probe() {
      return false;
    },
    async close() {},
  };
  return { runtime, delivered };
}

describe('reconcile, for any history and any observed world', () => {
  it('agrees with the world, is idempotent, never moves a terminal run, never signals a reused pid', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerEventsArb({ maxRuns: 5 }), worldArb, async (events, worlds) => {
        const store = createMemoryLedger();
        await appendGenerated(store, events);
        const before = foldRuns(await store.readAll());
        const runIds = [...before.runs.keys()];
        const worldOf = (runId: string): World => worlds[runIds.indexOf(runId) % worlds.length]!;
        const { runtime, delivered } = worldRuntime(worldOf);
        const clock = manualClock(SCENARIO_EPOCH_MS + 3_600_000);
        const sup = await Supervisor.open({ store, runtime, clock, ids: ulidGenerator(clock.now), gitInfo: false });
        try {
          const after = sup.state;
          expect(after.anomalies).toEqual([]);
          expect(serializeRunsState(foldRuns(await store.readAll()))).toEqual(serializeRunsState(after));

          for (const [id, was] of before.runs) {
            const now = after.runs.get(id)!;
            if (!isActive(was)) {
              expect(now).toEqual(was); // terminal is final
              continue;
            }
            checkAgainstWorld(was, now, worldOf(id), sup.supervisorId);
          }
          for (const d of delivered) expect(worldOf(d.runId)).toBe('alive');

          const head = (await store.head()).position;
          await sup.reconcile();
          expect((await store.head()).position).toBe(head);
        } finally {
          sup.abandon();
        }
      }),
      { numRuns: Number(process.env.RECONCILE_RUNS ?? 300) },
    );
  });
});

function checkAgainstWorld(was: RunState, now: RunState, world: World, supervisorId: string): void {
  const live = liveAttempt(was);
  if (!live) {
    // Requested but never recorded as spawned: the outcome cannot be known.
    if (was.status === 'pending' && was.attempts.length === 0) expect(now.status).toBe('unknown');
    // An ended attempt whose follow-up decision is missing gets one: the run ends or waits to restart.
    else if (was.status !== 'restarting') expect(['restarting', ...TERMINAL_STATUSES]).toContain(now.status);
    return;
  }
  const a = now.attempts.find((x) => x.n === live.n)!;
  switch (world) {
    case 'alive':
      expect(a.status).toBe('running');
      expect(a.adoptedBy).toContain(supervisorId);
      return;
    case 'exit-0':
    case 'exit-7':
    case 'killed':
      expect(a).toMatchObject({
        status: 'exited',
        endedBy: 'ExitRecovered',
        exitCode: world === 'killed' ? null : Number(world.slice(5)),
        signal: world === 'killed' ? 'SIGKILL' : null,
      });
      return;
    case 'gone':
      expect(a).toMatchObject({ status: 'unknown', endedBy: 'ProcessStatusUnknown' });
      expect(now.status).toBe('unknown');
      return;
    case 'reused':
      expect(a).toMatchObject({ status: 'stale', endedBy: 'ProcessMarkedStale' });
      expect(now.status).toBe('stale');
      return;
  }
}
