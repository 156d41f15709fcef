import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { decideAfterLostDecision, decideSpawnNeverRecorded } from '../../src/supervisor/decide-reconcile.js';
import { exited, given, requested, spawned, spec, T0, types } from './given.js';

const NOW = T0 + 60_000;
const stopRequested = (reason: 'user' | 'interrupt' | 'timeout'): RunledgerEvent => ({
  type: 'StopRequested',
  data: { reason, signal: 'SIGTERM', graceMs: 1000, force: false, escalateAt: new Date(T0 + 5000).toISOString() },
});

describe('decide-reconcile: a log that stops short of a decision', () => {
  it('given a requested run with no spawn and no trace, then it ends unknown', () => {
    const events = decideSpawnNeverRecorded(given(requested()));
    expect(events).toEqual([
      {
        type: 'RunEnded',
        data: {
          status: 'unknown',
          reason: 'the supervisor stopped before the spawn of attempt 1 was recorded',
          exitCode: null,
          signal: null,
        },
      },
    ]);
  });

  it('given a run whose spawn was recorded, then there is nothing to conclude', () => {
    expect(decideSpawnNeverRecorded(given(requested(), spawned()))).toEqual([]);
  });

  it.each([
    ['user', 'stopped'],
    ['interrupt', 'interrupted'],
    ['timeout', 'timeout'],
  ] as const)('given a %s stop before any process, then the run ends %s', (reason, status) => {
    const events = decideAfterLostDecision(given(requested(), stopRequested(reason)), NOW);
    expect(events).toEqual([
      { type: 'RunEnded', data: { status, reason: `stopped (${reason}) before a process was running`, exitCode: null, signal: null } },
    ]);
  });

  it('given a failed spawn without its RunEnded, then the run ends failed with the spawn error', () => {
    const failed: RunledgerEvent = { type: 'ProcessSpawnFailed', data: { attempt: 1, code: 'ENOENT', message: 'no such file' } };
    const events = decideAfterLostDecision(given(requested(), failed), NOW);
    expect(events[0]).toMatchObject({ type: 'RunEnded', data: { status: 'failed', reason: 'spawn failed: no such file' } });
  });

  it('given an exit without the decision that follows, then the restart policy decides it now', () => {
    const run = given(requested(spec({ restart: 'on-failure' })), spawned(), exited(1, 2));
    expect(types(decideAfterLostDecision(run, NOW))).toEqual(['RestartScheduled']);
    expect(decideAfterLostDecision(given(requested(), spawned(), exited(1, 0)), NOW)[0]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'completed' },
    });
  });
});
