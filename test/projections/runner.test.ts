import { tap } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { createProjectionRunner, type ProjectionRunner, type RunChange } from '../../src/projections/runner.js';
import { loadRunsState } from '../../src/projections/load.js';
import { foldRuns } from '../../src/projections/runs.js';
import { PROJECTION_VERSION, serializeRunsState } from '../../src/projections/snapshot.js';
import { stateAt } from '../../src/projections/state-at.js';
import { appendGenerated, SCENARIO_EPOCH_MS, type GeneratedEvent } from '../support/arbitraries.js';
import { manualClock } from '../support/manual-clock.js';
import { ended, exited, logOf, requested, RUN_A, spawned } from '../support/run-events.js';
import { isoTime } from '../../src/clock.js';

/** n events: runs that each request, spawn, exit and end (4 events per run). */
function someEvents(n: number, firstRun = 0): GeneratedEvent[] {
  const out: GeneratedEvent[] = [];
  for (let i = 0; out.length < n; i++) {
    const id = `01J0000000${String(firstRun + i).padStart(16, '0')}`;
    for (const e of [requested(), spawned(), exited(), ended()])
      out.push({ ...e, streamId: `run-${id}`, time: isoTime(SCENARIO_EPOCH_MS + out.length) } as GeneratedEvent);
  }
  return out.slice(0, n);
}

/** Counts every event the projection reads from the store, whichever way it reads them, and each snapshot written. */
function countingStore(store: EventStore) {
  const counts = { eventsRead: 0, snapshots: [] as number[] };
  const overrides: Partial<EventStore> = {
    async *scan(options) {
      for await (const page of store.scan(options)) {
        counts.eventsRead += page.length;
        yield page;
      }
    },
    async readAll(options) {
      const events = await store.readAll(options);
      counts.eventsRead += events.length;
      return events;
    },
    subscribeAll: (options) => store.subscribeAll(options).pipe(tap(() => counts.eventsRead++)),
    writeSnapshot(name, snap) {
      counts.snapshots.push(snap.position);
      return store.writeSnapshot(name, snap);
    },
  };
  // A Proxy forwards everything else, so the wrapper keeps up as the EventStore interface grows.
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof EventStore];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, counts };
}

const runners: ProjectionRunner[] = [];
async function startRunner(
  store: EventStore,
  options: { snapshotEvery?: number; snapshotIntervalMs?: number } = {},
  clock = manualClock(),
) {
  const runner = await createProjectionRunner({ store, clock, snapshotIntervalMs: 60_000, ...options });
  runners.push(runner);
  return runner;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});

describe('projection runner', () => {
  it('follows the log live and resolves waitFor; changes$ carries the event and the changed run', async () => {
    const store = createMemoryLedger();
    const runner = await startRunner(store);
    const changes: RunChange[] = [];
    runner.changes$.subscribe((c) => changes.push(c));
    const positions = await appendGenerated(store, someEvents(3));
    await runner.waitFor(positions.at(-1)!);
    expect(runner.state.position).toBe(3);
    expect(changes.map((c) => [c.event.position, c.run?.status, c.anomaly])).toEqual([
      [1, 'pending', undefined],
      [2, 'running', undefined],
      [3, 'running', undefined],
    ]);
  });

  it('writes a snapshot every N events, and a final one on close', async () => {
    const { store, counts } = countingStore(createMemoryLedger());
    const runner = await startRunner(store, { snapshotEvery: 10 });
    for (const e of someEvents(25)) await appendGenerated(store, [e]);
    await runner.waitFor(25);
    await runner.close();
    expect(counts.snapshots.length).toBeGreaterThanOrEqual(3);
    expect(counts.snapshots.at(-1)).toBe(25);
    // Never more often than every N events (the final one on close aside).
    counts.snapshots.slice(0, -1).forEach((p, i, all) => expect(p - (all[i - 1] ?? 0)).toBeGreaterThanOrEqual(10));
    const snap = await store.readSnapshot<ReturnType<typeof serializeRunsState>>('runs');
    expect(snap).toMatchObject({ position: 25, version: PROJECTION_VERSION });
  });

  it('writes a snapshot after the interval when events are waiting, using the injected clock', async () => {
    const { store, counts } = countingStore(createMemoryLedger());
    const clock = manualClock();
    const runner = await startRunner(store, { snapshotEvery: 1000, snapshotIntervalMs: 5000 }, clock);
    await appendGenerated(store, someEvents(3));
    await runner.waitFor(3);
    clock.advance(4999);
    expect(counts.snapshots).toEqual([]);
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(counts.snapshots).toEqual([3]);
    clock.advance(5000);
    expect(counts.snapshots).toEqual([3]);
  });

  it('a restarted runner loads the snapshot and reads only the tail', async () => {
    const memory = createMemoryLedger();
    await appendGenerated(memory, someEvents(100));
    const first = await startRunner(memory);
    await first.close();
    await appendGenerated(memory, someEvents(7, 1000));

    const { store, counts } = countingStore(memory);
    const second = await startRunner(store);
    await second.waitFor(107);
    expect(counts.eventsRead).toBe(7);
    expect(serializeRunsState(second.state)).toEqual(serializeRunsState(foldRuns(await memory.readAll())));
  });

  it('discards a snapshot of another projection version and rebuilds from position 1', async () => {
    const memory = createMemoryLedger();
    await appendGenerated(memory, someEvents(12));
    const bogus = serializeRunsState(foldRuns(logOf([[RUN_A, requested()]])));
    await memory.writeSnapshot('runs', { position: 12, version: PROJECTION_VERSION + 1, state: bogus });
    const { store, counts } = countingStore(memory);
    const runner = await startRunner(store);
    expect(counts.eventsRead).toBe(12);
    expect(serializeRunsState(runner.state)).toEqual(serializeRunsState(foldRuns(await memory.readAll())));
  });

  it('waitFor rejects LEDGER_CLOSED when the runner closes first', async () => {
    const runner = await startRunner(createMemoryLedger());
    const waiting = runner.waitFor(5);
    await runner.close();
    await expect(waiting).rejects.toMatchObject({ code: 'LEDGER_CLOSED' });
  });
});

describe('loadRunsState and stateAt', () => {
  it('loadRunsState folds snapshot + tail and writes the snapshot back when the tail was long', async () => {
    const { store, counts } = countingStore(createMemoryLedger());
    await appendGenerated(store, someEvents(30));
    const state = await loadRunsState(store, { snapshotEvery: 20 });
    expect(state.position).toBe(30);
    expect(counts.snapshots).toEqual([30]);
    await appendGenerated(store, someEvents(5, 100));
    counts.eventsRead = 0;
    expect((await loadRunsState(store, { snapshotEvery: 20 })).position).toBe(35);
    expect(counts.eventsRead).toBe(5);
    expect(counts.snapshots).toEqual([30]);
  });

  it('stateAt a position or a time folds exactly that prefix and reads no further', async () => {
    const { store, counts } = countingStore(createMemoryLedger());
    // More than one scan page (1000), so stopping early is visible in what was read.
    await appendGenerated(store, someEvents(2500));
    const all = await store.readAll();
    counts.eventsRead = 0;
    const at = await stateAt(store, { position: 10 });
    expect(serializeRunsState(at)).toEqual(serializeRunsState(foldRuns(all.slice(0, 10))));
    expect(counts.eventsRead).toBeLessThanOrEqual(1000);
    const byTime = await stateAt(store, { time: all[14]!.time });
    expect(byTime.position).toBe(15);
    expect((await stateAt(store, { time: Date.parse(all[0]!.time) - 1 })).position).toBe(0);
  });
});

describe('projection runner over a closed ledger', () => {
  it('stops at once and leaves no timer behind', async () => {
    const store = createMemoryLedger();
    await appendGenerated(store, someEvents(4));
    const clock = manualClock();
    const runner = await createProjectionRunner({ store, clock });
    await store.close();
    await expect(runner.waitFor(10)).rejects.toMatchObject({ code: 'LEDGER_CLOSED' });
    expect(runner.state.position).toBe(4);
    expect(clock.pending).toBe(0);
    await runner.close();
  });
});
