import { describe, expect, it } from 'vitest';
import { STOP_REASONS } from '../../src/events/constants.js';
import { decideExit, decideStop } from '../../src/supervisor/decide.js';
import { STATUS_FOR_STOP, statusForStop } from '../../src/supervisor/stop-status.js';
import { given, requested, spawned, T0 } from './given.js';

const NOW = T0 + 60_000;

describe('stop reason -> terminal status: one table', () => {
  it.each([
    ['user', 'stopped', 'stopped'],
    ['shutdown', 'stopped', 'stopped'],
    ['interrupt', 'interrupted', 'interrupted'],
    ['timeout', 'timeout', 'timeout'],
    ['readiness', 'failed', 'failed'],
    ['restart', 'restart', 'stopped'],
  ] as const)('%s maps to %s (%s when nothing was running)', (reason, mapped, beforeProcess) => {
    expect(STATUS_FOR_STOP[reason]).toBe(mapped);
    expect(statusForStop(reason)).toBe(beforeProcess);
  });

  it('covers every stop reason the catalogue knows', () => {
    expect(Object.keys(STATUS_FOR_STOP).sort()).toEqual([...STOP_REASONS].sort());
  });

  it.each(STOP_REASONS.filter((r) => r !== 'readiness' && r !== 'restart'))(
    'a %s stop ends a live attempt and a pending run with the same status',
    (reason) => {
      const live = given(requested(), spawned(), {
        type: 'StopRequested',
        data: { reason, signal: 'SIGTERM', graceMs: 1000, force: false, escalateAt: new Date(NOW).toISOString() },
      });
      const afterExit = decideExit(live, { attempt: 1, exitCode: null, signal: 'SIGTERM' }, NOW);
      const beforeSpawn = decideStop(given(requested()), { reason, force: false }, NOW);
      expect(afterExit[1]).toMatchObject({ type: 'RunEnded', data: { status: STATUS_FOR_STOP[reason] } });
      expect(beforeSpawn[1]).toMatchObject({ type: 'RunEnded', data: { status: statusForStop(reason) } });
    },
  );
});
