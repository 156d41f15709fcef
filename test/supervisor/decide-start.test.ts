import { describe, expect, it } from 'vitest';
import type { EventEnvelope, RunledgerEvent } from '../../src/events/envelope.js';
import { isRunledgerError } from '../../src/errors.js';
import { applyEvent, initialRunsState, type RunsState } from '../../src/projections/runs.js';
import { decideRequested, decideStart } from '../../src/supervisor/decide-start.js';
import { spec, spawned } from './given.js';

/** Fold (runId, event) pairs into a RunsState. */
function world(...items: [string, RunledgerEvent][]): RunsState {
  const state = initialRunsState();
  const versions = new Map<string, number>();
  items.forEach(([runId, e], i) => {
    const v = (versions.get(runId) ?? 0) + 1;
    versions.set(runId, v);
    applyEvent(state, {
      ...e,
      position: i + 1,
      streamId: `run-${runId}`,
      streamVersion: v,
      id: `ID${i}`,
      time: new Date(i * 1000).toISOString(),
      schemaVersion: 1,
      prevHash: '',
      hash: '',
    } as EventEnvelope);
  });
  return state;
}

const A = '01JD00000000000000000000AA';
const B = '01JD00000000000000000000BB';
const ended: RunledgerEvent = { type: 'RunEnded', data: { status: 'completed', reason: 'x', exitCode: 0, signal: null } };

describe('decideStart: slots and idempotency keys', () => {
  it('an active run with the same key is reused, whatever the slot', () => {
    const w = world([A, { type: 'RunRequested', data: { spec: spec({ key: 'build-42', slot: 'ci' }), git: null } }], [A, spawned()]);
    expect(decideStart(w, spec({ key: 'build-42', slot: 'ci' }))).toEqual({ kind: 'reuse', runId: A });
  });

  it('a slot held by an active run with another key is SLOT_BUSY naming the occupant', () => {
    const w = world([A, { type: 'RunRequested', data: { spec: spec({ key: 'k1', slot: 'gpu', name: 'train' }), git: null } }]);
    try {
      decideStart(w, spec({ key: 'k2', slot: 'gpu' }));
      expect.unreachable();
    } catch (err) {
      expect(isRunledgerError(err, 'SLOT_BUSY')).toBe(true);
      expect((err as Error).message).toContain('train');
      expect((err as { details: { occupant: { id: string } } }).details.occupant.id).toBe(A);
    }
  });

  it('after the run ended, the same key and slot start a fresh run', () => {
    const w = world(
      [A, { type: 'RunRequested', data: { spec: spec({ key: 'k', slot: 's' }), git: null } }],
      [A, spawned()],
      [A, { type: 'ProcessExited', data: { attempt: 1, exitCode: 0, signal: null } }],
      [A, ended],
    );
    expect(decideStart(w, spec({ key: 'k', slot: 's' }))).toEqual({ kind: 'create' });
  });

  it('runs without slot or key never conflict', () => {
    const w = world(
      [A, { type: 'RunRequested', data: { spec: spec(), git: null } }],
      [B, { type: 'RunRequested', data: { spec: spec({ slot: 'other' }), git: null } }],
    );
    expect(decideStart(w, spec())).toEqual({ kind: 'create' });
  });
});

describe('decideRequested: the intent recorded for a new run', () => {
  it('records the spec, the git facts and the optional start fields as given', () => {
    const s = spec({ key: 'build-42' });
    expect(decideRequested({ spec: s, git: null, batchId: 'B1' })).toEqual([
      { type: 'RunRequested', data: { spec: s, git: null, batchId: 'B1' } },
    ]);
  });
});
