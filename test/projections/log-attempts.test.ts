import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { attemptsToRead } from '../../src/projections/log-attempts.js';
import { exited, given, requested, spawned } from '../supervisor/given.js';

const threeAttempts = given(requested(), spawned(1), exited(1, 1), spawned(2), exited(2, 1), spawned(3));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isRunledgerError(err) ? err.code : 'not a RunledgerError';
  }
  return undefined;
}

describe('attemptsToRead', () => {
  it('the latest by default, one by number, or all in order', () => {
    expect(attemptsToRead(threeAttempts, undefined)).toEqual([3]);
    expect(attemptsToRead(threeAttempts, 1)).toEqual([1]);
    expect(attemptsToRead(threeAttempts, 'all')).toEqual([1, 2, 3]);
    expect(attemptsToRead(given(requested()), undefined)).toEqual([]);
  });

  it('an attempt the run never had is ATTEMPT_NOT_FOUND', () => {
    expect(codeOf(() => attemptsToRead(threeAttempts, 4))).toBe('ATTEMPT_NOT_FOUND');
    expect(codeOf(() => attemptsToRead(threeAttempts, 0))).toBe('ATTEMPT_NOT_FOUND');
  });

  it('a pruned run is LOGS_PRUNED naming when and the event', () => {
    const pruned = { ...threeAttempts, logsPruned: { at: '2026-02-01T00:00:00.000Z', position: 42 } };
    expect(codeOf(() => attemptsToRead(pruned, 'all'))).toBe('LOGS_PRUNED');
    expect(() => attemptsToRead(pruned, undefined)).toThrow(/pruned at 2026-02-01T00:00:00.000Z \(LogsPruned, event #42\)/);
  });
});
