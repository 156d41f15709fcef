import { describe, expect, it } from 'vitest';
import { initialRunsState, type RunsState } from '../../src/projections/runs.js';
import type { RunState } from '../../src/projections/run-state.js';
import { decideLogsPruned } from '../../src/supervisor/decide-prune.js';
import { exited, given, requested, RUN_ID, spawned } from './given.js';

function stateWith(run: RunState): RunsState {
  const state = initialRunsState();
  state.runs.set(run.id, run);
  return state;
}

const ended = given(requested(), spawned(1), exited(1, 0), {
  type: 'RunEnded',
  data: { status: 'completed', reason: 'exited', exitCode: 0, signal: null },
} as never);
const facts = { olderThan: '30d', cutoff: '2026-01-01T00:00:00.000Z', trigger: 'command' as const };

describe('decideLogsPruned', () => {
  it('given removed files of an ended run, then one LogsPruned with the totals', () => {
    const events = decideLogsPruned(stateWith(ended), { ...facts, runs: [{ runId: RUN_ID, attempts: 2, bytes: 300 }] });
    expect(events).toEqual([
      { type: 'LogsPruned', data: { ...facts, runs: [{ runId: RUN_ID, attempts: 2, bytes: 300 }], attempts: 2, bytes: 300 } },
    ]);
  });

  it('given nothing removed, then nothing is recorded (an hourly pass does not grow the ledger)', () => {
    expect(decideLogsPruned(stateWith(ended), { ...facts, runs: [] })).toEqual([]);
    expect(decideLogsPruned(stateWith(ended), { ...facts, runs: [{ runId: RUN_ID, attempts: 0, bytes: 0 }] })).toEqual([]);
  });

  it('refuses to name a live run (a live run’s files are never pruned)', () => {
    const live = given(requested(), spawned(1));
    expect(() => decideLogsPruned(stateWith(live), { ...facts, runs: [{ runId: RUN_ID, attempts: 1, bytes: 1 }] })).toThrow(/ended runs/);
  });
});
