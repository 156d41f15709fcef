import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldRuns, initialRunsState, type RunsState } from '../../src/projections/runs.js';
import { deserializeRunsState, serializeRunsState } from '../../src/projections/snapshot.js';
import { ledgerEventsArb, toEnvelopes } from '../support/arbitraries.js';
import { ended, exited, logOf, requested, RUN_A, RUN_B, spawned } from '../support/run-events.js';

/** Through JSON, as the store keeps it. */
const roundTrip = (s: RunsState): RunsState => deserializeRunsState(JSON.parse(JSON.stringify(serializeRunsState(s))));

function expectSameState(actual: RunsState, expected: RunsState): void {
  expect(actual).toEqual(expected);
  // toEqual ignores Map order; the order of runs and indexes is part of the state too.
  expect([...actual.runs.keys()]).toEqual([...expected.runs.keys()]);
  expect([...actual.activeBySlot]).toEqual([...expected.activeBySlot]);
  expect([...actual.byShortId]).toEqual([...expected.byShortId]);
}

describe('runs state snapshot', () => {
  it('round-trips the empty state', () => {
    expectSameState(roundTrip(initialRunsState()), initialRunsState());
  });

  it('round-trips runs, indexes, anomalies and the supervisor', () => {
    const state = foldRuns(
      logOf([
        ['supervisor', { type: 'SupervisorStarted', data: { supervisorId: 's', pid: 1, version: 'v', bootId: 'b', hostname: 'h' } }],
        [RUN_A, requested({ slot: 'web', key: 'k' })],
        [RUN_B, requested({ slot: 'db' })],
        [RUN_B, spawned()],
        [RUN_B, exited()],
        [RUN_B, ended()],
        [RUN_B, ended()],
      ]),
    );
    expect(state.anomalies).toHaveLength(1);
    expect(state.activeBySlot.size).toBe(1);
    expectSameState(roundTrip(state), state);
  });

  it('the serialized form shares no mutable container with the live state', () => {
    const state = foldRuns(logOf([[RUN_A, requested({ slot: 'web' })]]));
    const snap = serializeRunsState(state);
    const before = JSON.stringify(snap);
    foldRuns(
      logOf([
        [RUN_A, requested()],
        [RUN_B, requested({ slot: 'db' })],
      ]).slice(1),
      state,
    );
    expect(JSON.stringify(snap)).toBe(before);
  });

  it('rejects what is not a serialized state with CORRUPT_LEDGER', () => {
    for (const bad of [null, 3, {}, { position: 1, runs: [{}] }]) {
      expect(() => deserializeRunsState(bad)).toThrow(expect.objectContaining({ code: 'CORRUPT_LEDGER' }));
    }
  });

  it('property: any generated ledger folds to a state that round-trips exactly', () => {
    fc.assert(
      fc.property(ledgerEventsArb(), (events) => {
        const state = foldRuns(toEnvelopes(events));
        expectSameState(roundTrip(state), state);
      }),
      { numRuns: 100 },
    );
  });
});
