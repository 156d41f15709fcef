import { describe, expect, it } from 'vitest';
import { decideReconcileCompleted, decideSupervisorStarted, decideSupervisorStopped } from '../../src/supervisor/decide-supervisor.js';
import { types } from './given.js';

const NOTHING = { checked: 3, adopted: 0, recovered: 0, stale: 0, unknown: 0, resumedStops: 0 };

describe('decide-supervisor: the supervisor stream', () => {
  it('given a start, then SupervisorStarted carries the host facts', () => {
    const facts = { supervisorId: 'S1', pid: 42, version: '1.2.3', bootId: 'boot-a', hostname: 'h' };
    expect(decideSupervisorStarted(facts)).toEqual([{ type: 'SupervisorStarted', data: facts }]);
  });

  it('given a close, then SupervisorStopped says how many runs were left running', () => {
    expect(decideSupervisorStopped({ supervisorId: 'S1', reason: 'closed', leftRunning: 2 })).toEqual([
      { type: 'SupervisorStopped', data: { supervisorId: 'S1', reason: 'closed', leftRunning: 2 } },
    ]);
  });

  it('given a reconcile pass that only checked, then nothing is reported (twice in a row appends nothing)', () => {
    expect(decideReconcileCompleted('S1', NOTHING)).toEqual([]);
  });

  it.each(['adopted', 'recovered', 'stale', 'unknown', 'resumedStops'] as const)(
    'given a pass that found %s, then the report is appended',
    (kind) => {
      const report = { ...NOTHING, [kind]: 1 };
      const events = decideReconcileCompleted('S1', report);
      expect(types(events)).toEqual(['ReconcileCompleted']);
      expect(events[0]).toMatchObject({ data: { supervisorId: 'S1', report } });
    },
  );
});
