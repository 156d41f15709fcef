import { describe, expect, it } from 'vitest';
import { isRunledgerError, type RunledgerError } from '../../src/errors.js';
import { foldRuns, type RunsState } from '../../src/projections/runs.js';
import { getRun, interruptMatches, listRuns, toRunView } from '../../src/projections/queries.js';
import { shortIdOf } from '../../src/projections/short-id.js';
import { ended, exited, logOf, ready, requested, RUN_A, RUN_B, RUN_C, spawned } from '../support/run-events.js';

function catchError(fn: () => unknown): RunledgerError {
  try {
    fn();
  } catch (err) {
    if (isRunledgerError(err)) return err;
    throw err;
  }
  throw new Error('expected a RunledgerError');
}

describe('listRuns', () => {
  const state = foldRuns(
    logOf([
      [
        RUN_A,
        requested({ name: 'a', slot: 'web', labels: { team: 'x', env: 'dev' }, owner: { session: 's1', turn: 't1' } }, { batchId: 'b1' }),
      ],
      [RUN_B, requested({ name: 'b', key: 'k1', labels: { team: 'x' }, owner: { session: 's1', turn: 't2' } }, { batchId: 'b1' })],
      [RUN_C, requested({ name: 'c', owner: { session: 's2' } })],
      [RUN_B, spawned()],
      [RUN_B, exited()],
      [RUN_B, ended()],
    ]),
  );
  const names = (runs: { spec: { name: string } }[]) => runs.map((r) => r.spec.name);

  it('lists newest first by default, oldest on request, with a limit', () => {
    expect(names(listRuns(state))).toEqual(['c', 'b', 'a']);
    expect(names(listRuns(state, { order: 'oldest', limit: 2 }))).toEqual(['a', 'b']);
  });

  it('filters by status, active, slot, key, batch', () => {
    expect(names(listRuns(state, { status: 'completed' }))).toEqual(['b']);
    expect(names(listRuns(state, { status: ['pending', 'completed'], order: 'oldest' }))).toEqual(['a', 'b', 'c']);
    expect(names(listRuns(state, { active: true }))).toEqual(['c', 'a']);
    expect(names(listRuns(state, { active: false }))).toEqual(['b']);
    expect(names(listRuns(state, { slot: 'web' }))).toEqual(['a']);
    expect(names(listRuns(state, { key: 'k1' }))).toEqual(['b']);
    expect(names(listRuns(state, { batchId: 'b1' }))).toEqual(['b', 'a']);
  });

  it('requires every given label and owner key to match', () => {
    expect(names(listRuns(state, { label: { team: 'x' } }))).toEqual(['b', 'a']);
    expect(names(listRuns(state, { label: { team: 'x', env: 'dev' } }))).toEqual(['a']);
    expect(names(listRuns(state, { owner: { session: 's1' } }))).toEqual(['b', 'a']);
    expect(names(listRuns(state, { owner: { session: 's1', turn: 't2' } }))).toEqual(['b']);
  });

  it('interruptMatches: every given scope key must equal the owner; an empty scope matches nothing', () => {
    const a = state.runs.get(RUN_A)!;
    expect(interruptMatches(a, { session: 's1' })).toBe(true);
    expect(interruptMatches(a, { session: 's1', turn: 't1' })).toBe(true);
    expect(interruptMatches(a, { session: 's1', turn: 't2' })).toBe(false);
    expect(interruptMatches(a, { toolCall: 'c1' })).toBe(false);
    expect(interruptMatches(a, {})).toBe(false);
    expect(interruptMatches(a, { session: undefined })).toBe(false);
  });
});

describe('getRun', () => {
  // Three ids whose short ids are known; two of them forced to share a short-id prefix below.
  const state = foldRuns(
    logOf([
      [RUN_A, requested({ name: 'a' })],
      [RUN_B, requested({ name: 'b' })],
      [RUN_C, requested({ name: 'c' })],
    ]),
  );
  const a = state.runs.get(RUN_A)!;

  it('finds by full id in any case, by run-<ulid>, by short id and by a short-id prefix of >= 4', () => {
    expect(getRun(state, RUN_A).id).toBe(RUN_A);
    expect(getRun(state, RUN_A.toLowerCase()).id).toBe(RUN_A);
    expect(getRun(state, `run-${RUN_A}`).id).toBe(RUN_A);
    expect(getRun(state, ` ${a.shortId} `).id).toBe(RUN_A);
    expect(getRun(state, a.shortId.toUpperCase()).id).toBe(RUN_A);
    expect(getRun(state, a.shortId.slice(0, 4)).id).toBe(RUN_A);
  });

  it('finds by a unique prefix of >= 8 characters of the full id, not shorter', () => {
    expect(getRun(state, '01J0000000A').id).toBe(RUN_A);
    expect(catchError(() => getRun(state, '01J0000')).code).toBe('RUN_NOT_FOUND');
  });

  it('unknown -> RUN_NOT_FOUND naming what was typed', () => {
    const err = catchError(() => getRun(state, 'zzzzzzz'));
    expect(err.code).toBe('RUN_NOT_FOUND');
    expect(err.message).toContain('"zzzzzzz"');
    expect(catchError(() => getRun(state, a.shortId.slice(0, 3))).message).toMatch(/at least 4/);
  });

  it('a prefix shared by several runs -> AMBIGUOUS_ID with candidates', () => {
    const err = catchError(() => getRun(state, '01J0000000'));
    expect(err.code).toBe('AMBIGUOUS_ID');
    expect(err.details.candidates).toEqual(
      [RUN_A, RUN_B, RUN_C].map((id, i) => ({ id, shortId: shortIdOf(id), name: 'abc'[i], status: 'pending' })),
    );
    expect(err.message).toContain(`${a.shortId} ${RUN_A} (a, pending)`);
  });

  it('a short id shared by two runs (a hash collision) is ambiguous, not a guess', () => {
    const collided: RunsState = { ...state, byShortId: new Map(state.byShortId) };
    collided.byShortId.set(a.shortId, [RUN_A, RUN_B]);
    const err = catchError(() => getRun(collided, a.shortId));
    expect(err.code).toBe('AMBIGUOUS_ID');
    expect((err.details.candidates as { id: string }[]).map((c) => c.id)).toEqual([RUN_A, RUN_B]);
  });
});

describe('toRunView', () => {
  it('is the stable public JSON shape', () => {
    const state = foldRuns(
      logOf([
        [RUN_A, requested({ ready: { line: 'ok', timeoutMs: 1000 }, slot: 's', owner: { session: 's1' } })],
        [RUN_A, spawned(1, 123)],
        [RUN_A, ready(1)],
        [RUN_A, { type: 'Checkpointed', data: { attempt: 1, checkpoint: { step: 2 } } }],
      ]),
    );
    const run = state.runs.get(RUN_A)!;
    const view = toRunView(run, Date.parse('2025-01-01T00:00:11.000Z'));
    expect(view).toEqual({
      id: RUN_A,
      shortId: run.shortId,
      name: 'web',
      status: 'running',
      reason: null,
      exitCode: null,
      signal: null,
      command: 'node',
      args: ['server.js'],
      cwd: '/x',
      labels: {},
      slot: 's',
      key: null,
      owner: { session: 's1' },
      createdAt: '2025-01-01T00:00:00.000Z',
      startedAt: '2025-01-01T00:00:01.000Z',
      endedAt: null,
      attempts: [
        {
          n: 1,
          pid: 123,
          pgid: 123,
          startTime: '5000',
          bootId: 'boot-1',
          exitCode: null,
          signal: null,
          startedAt: '2025-01-01T00:00:01.000Z',
          endedAt: null,
          status: 'running',
          tracking: null,
          tree: null,
        },
      ],
      batchId: null,
      ready: true,
      restarts: 0,
      lastCheckpoint: { step: 2 },
      durationMs: 10_000,
      git: null,
      rerunOf: null,
      logsPruned: null,
      runtime: 'background',
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(toRunView(run).durationMs).toBeNull();
  });
});
