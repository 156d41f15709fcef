/**
 * Properties of the fold over any valid generated ledger:
 * replay == live, snapshot + tail == fold, two chunks == one, and no anomalies.
 * States are compared through the snapshot serializer, which keeps Map order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { foldRuns, initialRunsState, type RunsState } from '../../src/projections/runs.js';
import { deserializeRunsState, serializeRunsState } from '../../src/projections/snapshot.js';
import { createProjectionRunner } from '../../src/projections/runner.js';
import { loadRunsState } from '../../src/projections/load.js';
import { stateAt } from '../../src/projections/state-at.js';
import { writeRunsSnapshot } from '../../src/projections/catch-up.js';
import { isTerminalStatus } from '../../src/projections/run-state.js';
import { appendGenerated, ledgerEventsArb, toEnvelopes } from '../support/arbitraries.js';
import { manualClock } from '../support/manual-clock.js';

const asJson = (s: RunsState) => JSON.parse(JSON.stringify(serializeRunsState(s))) as unknown;
/** A ledger and a cut point in it (0..length). */
const ledgerWithCut = ledgerEventsArb({ maxRuns: 5 }).chain((events) => fc.tuple(fc.constant(events), fc.nat({ max: events.length })));

describe('fold properties', () => {
  it('valid sequences fold without anomalies, and every ended run/attempt is closed once', () => {
    fc.assert(
      fc.property(ledgerEventsArb({ maxRuns: 6 }), (events) => {
        const state = foldRuns(toEnvelopes(events));
        expect(state.anomalies).toEqual([]);
        expect(state.position).toBe(events.length);
        for (const run of state.runs.values()) {
          expect(run.endedAt !== null).toBe(isTerminalStatus(run.status));
          for (const a of run.attempts.slice(0, -1)) expect(a.endedBy).not.toBeNull();
          if (isTerminalStatus(run.status)) expect(run.attempts.every((a) => a.endedBy !== null)).toBe(true);
        }
        for (const [slot, id] of state.activeBySlot) expect(state.runs.get(id)!.spec.slot).toBe(slot);
      }),
      { numRuns: 300 },
    );
  });

  it('folding in two chunks equals folding at once', () => {
    fc.assert(
      fc.property(ledgerWithCut, ([events, cut]) => {
        const log = toEnvelopes(events);
        const chunked = foldRuns(log.slice(cut), foldRuns(log.slice(0, cut)));
        expect(asJson(chunked)).toEqual(asJson(foldRuns(log)));
      }),
      { numRuns: 200 },
    );
  });

  it('a snapshot at any cut plus the tail equals the whole fold', () => {
    fc.assert(
      fc.property(ledgerWithCut, ([events, cut]) => {
        const log = toEnvelopes(events);
        const restored = deserializeRunsState(JSON.parse(JSON.stringify(serializeRunsState(foldRuns(log.slice(0, cut))))));
        expect(asJson(foldRuns(log.slice(cut), restored))).toEqual(asJson(foldRuns(log)));
      }),
      { numRuns: 200 },
    );
  });

  it('through a memory ledger: live runner == fresh fold of readAll == stored snapshot at a cut + tail', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerWithCut, async ([events, cut]) => {
        const store = createMemoryLedger();
        // Small snapshotEvery: snapshots are written while events keep arriving.
        const runner = await createProjectionRunner({ store, clock: manualClock(), snapshotEvery: 3 });
        const positions = await appendGenerated(store, events);
        await runner.waitFor(positions.at(-1) ?? 0);
        const replayed = foldRuns(await store.readAll(), initialRunsState());
        expect(replayed.anomalies).toEqual([]);
        expect(asJson(runner.state)).toEqual(asJson(replayed));

        // A second runner starting from whatever snapshot the first one left agrees too.
        await runner.close();
        const again = await createProjectionRunner({ store, clock: manualClock() });
        expect(asJson(again.state)).toEqual(asJson(replayed));
        await again.close();

        const atCut = await stateAt(store, { position: cut });
        expect(atCut.position).toBe(cut);
        await writeRunsSnapshot(store, 'cut', atCut);
        expect(asJson(await loadRunsState(store, { name: 'cut' }))).toEqual(asJson(replayed));
      }),
      { numRuns: 60 },
    );
  });
});
