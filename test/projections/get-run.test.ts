/** Names as ids (issue 12): `stop web` means the web server running now. */
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { getRun } from '../../src/projections/get-run.js';
import { foldRuns } from '../../src/projections/runs.js';
import { shortIdOf } from '../../src/projections/short-id.js';
import { ended, exited, logOf, requested, RUN_A, RUN_B, RUN_C, spawned } from '../support/run-events.js';

const finished = (id: string, name: string): [string, RunledgerEvent][] => [
  [id, requested({ name })],
  [id, spawned()],
  [id, exited()],
  [id, ended()],
];

function errorOf(fn: () => unknown): { code: string; details: any } {
  try {
    fn();
  } catch (err) {
    if (isRunledgerError(err)) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('expected an error');
}

describe('getRun by name', () => {
  it('the newest active run of that name, even when a newer one of that name has ended', () => {
    const state = foldRuns(logOf([[RUN_A, requested({ name: 'web' })], [RUN_A, spawned()], ...finished(RUN_B, 'web')]));
    expect(getRun(state, 'web').id).toBe(RUN_A);
  });

  it('with none active, the newest of that name', () => {
    const state = foldRuns(logOf([...finished(RUN_A, 'job'), ...finished(RUN_B, 'job')]));
    expect(getRun(state, 'job').id).toBe(RUN_B);
  });

  it('two active runs of one name are AMBIGUOUS_ID listing both, newest first', () => {
    const state = foldRuns(logOf([[RUN_A, requested({ name: 'web' })], [RUN_B, requested({ name: 'web' })], ...finished(RUN_C, 'web')]));
    const err = errorOf(() => getRun(state, 'web'));
    expect(err.code).toBe('AMBIGUOUS_ID');
    expect(err.details.candidates.map((c: { id: string }) => c.id)).toEqual([RUN_B, RUN_A]);
  });

  it('an exact short id wins over a name; an unknown name is RUN_NOT_FOUND', () => {
    const state = foldRuns(
      logOf([
        [RUN_A, requested({ name: shortIdOf(RUN_B) })],
        [RUN_B, requested({ name: 'b' })],
      ]),
    );
    expect(getRun(state, shortIdOf(RUN_B)).id).toBe(RUN_B);
    expect(errorOf(() => getRun(state, 'nope')).code).toBe('RUN_NOT_FOUND');
  });
});
