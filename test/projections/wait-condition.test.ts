import { describe, expect, it } from 'vitest';
import { judgeWait, type WaitSubject } from '../../src/projections/wait-condition.js';

const failure = { reason: 'exited', message: 'exited before ready (exited with code 3)', stderrTail: ['boom'] };

function run(
  over: Partial<WaitSubject> & { ready?: boolean; check?: boolean; health?: WaitSubject['health']; healthCheck?: boolean },
): WaitSubject {
  const { ready, check = true, healthCheck, ...rest } = over;
  return {
    status: 'running',
    reason: null,
    spec: { ready: check ? { line: 'UP' } : null, ...(healthCheck ? { health: { tcp: { port: 1 } } } : {}) },
    attempts: [{ status: 'running', readyAt: ready ? '2026-01-01T00:00:00Z' : null }],
    readinessFailure: null,
    ...rest,
  };
}

describe('judgeWait', () => {
  it.each([
    ['exit: an active run is pending', run({}), 'exit', 'pending'],
    ['exit: an ended run is reached', run({ status: 'failed' }), 'exit', 'reached'],
    ['ready: starting is pending', run({ status: 'starting' }), 'ready', 'pending'],
    ['ready: a ready attempt is reached', run({ ready: true }), 'ready', 'reached'],
    ['ready: no ready check, spawned', run({ check: false }), 'ready', 'reached'],
    ['ready: no ready check, not spawned yet', run({ check: false, status: 'pending', attempts: [] }), 'ready', 'pending'],
    [
      'ready: a quick job that completed',
      run({ check: false, status: 'completed', attempts: [{ status: 'exited', readyAt: null }] }),
      'ready',
      'reached',
    ],
    [
      'ready: restarting after a readiness failure is pending',
      run({ status: 'restarting', readinessFailure: failure }),
      'ready',
      'pending',
    ],
    ['ready: ready, then completed', run({ ready: true, status: 'completed' }), 'ready', 'reached'],
    ['ready: ready, then failed', run({ ready: true, status: 'failed' }), 'ready', 'unreachable'],
    ['healthy without a health check is ready', run({ ready: true }), 'healthy', 'reached'],
    ['healthy with a check waits for healthy', run({ ready: true, healthCheck: true, health: 'starting' }), 'healthy', 'pending'],
    ['healthy with a check, healthy', run({ ready: true, healthCheck: true, health: 'healthy' }), 'healthy', 'reached'],
    ['healthy with a check, ended', run({ healthCheck: true, status: 'killed' }), 'healthy', 'unreachable'],
  ] as const)('%s', (_name, subject, condition, state) => {
    expect(judgeWait(subject, condition).state).toBe(state);
  });

  it('an ended run that was never ready carries its readiness failure and why', () => {
    const verdict = judgeWait(run({ status: 'failed', reason: 'exited with code 3', readinessFailure: failure }), 'ready');
    expect(verdict).toEqual({ state: 'unreachable', why: 'ended before it was ready (failed: exited with code 3)', readiness: failure });
  });
});
