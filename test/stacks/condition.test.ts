import { describe, expect, it } from 'vitest';
import type { RunState } from '../../src/projections/run-state.js';
import { conditionOf } from '../../src/stacks/condition.js';

function run(o: Partial<RunState> & { ready?: boolean; checked?: boolean }): RunState {
  const { ready, checked, ...rest } = o;
  const status = rest.status ?? 'running';
  const readyAt = rest.readyAt ?? null;
  return {
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
    readyAt,
    exitCode: null,
    signal: null,
    reason: null,
    readinessFailure: null,
    health: null,
    spec: { ready: ready ? { port: 1, timeoutMs: 1000 } : null, ...(checked ? { health: { tcp: { port: 1 } } } : {}) },
    attempts: status === 'pending' ? [] : [{ status: status === 'completed' ? 'exited' : 'running', readyAt }],
    ...rest,
  } as unknown as RunState;
}

describe('dependency conditions', () => {
  it.each([
    ['started', run({ status: 'pending', startedAt: null }), 'waiting'],
    ['started', run({}), 'held'],
    ['ready', run({ status: 'starting', ready: true }), 'waiting'],
    ['ready', run({ ready: true, readyAt: '2026-01-01T00:00:01.000Z' }), 'held'],
    ['ready', run({}), 'held'], // no ready check: ready once it runs
    ['healthy', run({ ready: true, readyAt: '2026-01-01T00:00:01.000Z' }), 'held'], // no health check: healthy = ready
    ['healthy', run({ checked: true, health: 'starting' }), 'waiting'],
    ['healthy', run({ checked: true, health: 'unhealthy' }), 'waiting'],
    ['healthy', run({ checked: true, health: 'healthy' }), 'held'],
    ['completed', run({}), 'waiting'],
    ['completed', run({ status: 'completed', exitCode: 0 }), 'held'],
    ['ready', run({ status: 'completed', exitCode: 0, ready: true }), 'held'],
  ] as const)('%s of %o is %s', (condition, r, expected) => {
    expect(conditionOf(r, condition).state).toBe(expected);
  });

  it('a run that ended otherwise can never meet it, and says how it ended', () => {
    expect(conditionOf(run({ status: 'failed', exitCode: 3 }), 'completed')).toEqual({ state: 'failed', why: 'failed (exit 3)' });
    expect(conditionOf(run({ status: 'killed', signal: 'SIGKILL' }), 'started')).toEqual({ state: 'failed', why: 'killed (SIGKILL)' });
  });
});
