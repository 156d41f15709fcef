/**
 * Given/when/then for health (issue 13): events only on a change of state,
 * the threshold, the stop it causes under a restart policy, the restart
 * reason, and the fold's health state across attempts.
 */
import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { TAIL_TOTAL_BYTES } from '../../src/events/evidence-caps.js';
import { toRunView } from '../../src/projections/run-view.js';
import { decideExit, decideStop } from '../../src/supervisor/decide.js';
import { decideHealth, type HealthProbeFacts } from '../../src/supervisor/decide-health.js';
import { exited, given, requested, spawned, spec, T0, types } from './given.js';

const health = { http: { url: 'http://127.0.0.1:8080/health' }, failureThreshold: 3, interval: '1s' };
const at = (i: number): number => T0 + i * 1000;
const pass = (attempt = 1): HealthProbeFacts => ({
  attempt,
  probe: 'http',
  ok: true,
  consecutiveFailures: 0,
  evidence: { status: 200, durationMs: 3 },
});
const fail = (n: number, attempt = 1): HealthProbeFacts => ({
  attempt,
  probe: 'http',
  ok: false,
  consecutiveFailures: n,
  evidence: { status: 500, output: ['db down'], durationMs: 4 },
});
const sched = (a: number): RunledgerEvent => ({
  type: 'RestartScheduled',
  data: { attempt: a, nextAttempt: a + 1, delayMs: 0, at: 'x', reason: 'r', crashLoop: false },
});

describe('decideHealth', () => {
  it('given a starting attempt, when a probe passes, then HealthCheckPassed once; later passes record nothing', () => {
    const base = [requested(spec({ health })), spawned()];
    expect(given(...base).health).toBe('starting');
    const first = decideHealth(given(...base), pass(), at(2));
    expect(first).toEqual([{ type: 'HealthCheckPassed', data: { attempt: 1, probe: 'http', evidence: { status: 200, durationMs: 3 } } }]);
    const healthy = given(...base, ...first);
    expect(healthy.health).toBe('healthy');
    expect(decideHealth(healthy, pass(), at(3))).toEqual([]);
  });

  it('given failures below the threshold, then nothing; at the threshold, HealthCheckFailed with the evidence and a stop (unhealthy)', () => {
    const base = [requested(spec({ health, restart: 'always' })), spawned()];
    expect(decideHealth(given(...base), fail(1), at(2))).toEqual([]);
    expect(decideHealth(given(...base), fail(2), at(2))).toEqual([]);
    const crossed = decideHealth(given(...base), fail(3), at(2));
    expect(types(crossed)).toEqual(['HealthCheckFailed', 'StopRequested']);
    expect(crossed[0]!.data).toEqual({
      attempt: 1,
      probe: 'http',
      consecutiveFailures: 3,
      failureThreshold: 3,
      evidence: { status: 500, output: ['db down'], durationMs: 4 },
    });
    expect(crossed[1]!.data).toMatchObject({ reason: 'unhealthy', signal: 'SIGTERM' });
    // The attempt is being stopped: further probes record nothing.
    expect(decideHealth(given(...base, ...crossed), fail(4), at(3))).toEqual([]);
    expect(decideHealth(given(...base, ...crossed), pass(), at(3))).toEqual([]);
  });

  it('given policy never, when the threshold is crossed, then the attempt is marked unhealthy and keeps running; a pass recovers it', () => {
    const base = [requested(spec({ health })), spawned()];
    const crossed = decideHealth(given(...base), fail(3), at(2));
    expect(types(crossed)).toEqual(['HealthCheckFailed']);
    const unhealthy = given(...base, ...crossed);
    expect(unhealthy).toMatchObject({ status: 'running', health: 'unhealthy' });
    expect(decideHealth(unhealthy, fail(9), at(3))).toEqual([]);
    const back = decideHealth(unhealthy, pass(), at(3));
    expect(types(back)).toEqual(['HealthRecovered']);
    expect(given(...base, ...crossed, ...back)).toMatchObject({ health: 'healthy', healthFailure: null });
  });

  it('given an unhealthy restart, when the stopped attempt exits, then the policy restarts it with the reason; the next first pass is a recovery', () => {
    const s = spec({ health, restart: 'on-failure' });
    const crossed = decideHealth(given(requested(s), spawned()), fail(3), at(2));
    const exit = decideExit(given(requested(s), spawned(), ...crossed), { attempt: 1, exitCode: 0, signal: null }, at(5));
    // Even exit 0 after a health stop is a failed attempt: on-failure restarts it.
    expect(types(exit)).toEqual(['ProcessExited', 'RestartScheduled']);
    expect(exit[1]!.data).toMatchObject({ nextAttempt: 2, reason: expect.stringMatching(/^stopped \(unhealthy\); exited with code 0/) });
    const history = [requested(s), spawned(), ...crossed, ...exit, spawned(2)];
    expect(given(...history).health).toBe('starting');
    expect(types(decideHealth(given(...history), pass(2), at(8)))).toEqual(['HealthRecovered']);
    // A probe result about the old attempt is stale news.
    expect(decideHealth(given(...history), fail(3, 1), at(8))).toEqual([]);
  });

  it('given a never-healthy attempt up past min-uptime, when a health stop ends it, then the restart count is not reset', () => {
    const s = spec({ health, restart: { policy: 'always', minUptime: '1s', maxRestarts: 1 } });
    const h1 = [requested(s), spawned(1), exited(1, 1), sched(1), spawned(2)];
    const crossed = decideHealth(given(...h1), fail(3, 2), at(20));
    const end = decideExit(given(...h1, ...crossed), { attempt: 2, exitCode: null, signal: 'SIGTERM' }, at(30));
    expect(end[1]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'failed', reason: expect.stringContaining('reached max restarts (1)') },
    });
    // Once healthy, a long-lived attempt did start properly: its count resets as for a crash.
    const passed = decideHealth(given(...h1), pass(2), at(6));
    const crossed2 = decideHealth(given(...h1, ...passed), fail(3, 2), at(20));
    const end2 = decideExit(given(...h1, ...passed, ...crossed2), { attempt: 2, exitCode: null, signal: 'SIGTERM' }, at(30));
    expect(end2[1]).toMatchObject({ type: 'RestartScheduled', data: { countReset: true } });
  });

  it('given a health stop under way, when the user stops the run, then it ends stopped (not restarted): the stop ended it as asked', () => {
    const s = spec({ health, restart: 'always' });
    const crossed = decideHealth(given(requested(s), spawned()), fail(3), at(2));
    const stop = decideStop(given(requested(s), spawned(), ...crossed), { reason: 'user', force: false }, at(3));
    expect(stop[0]).toMatchObject({ type: 'StopRequested', data: { reason: 'user' } });
    const end = decideExit(given(requested(s), spawned(), ...crossed, ...stop), { attempt: 1, exitCode: null, signal: 'SIGTERM' }, at(4));
    expect(end[1]).toMatchObject({ type: 'RunEnded', data: { status: 'stopped' } });
  });

  it('caps the evidence a child controls (an exec probe printing megabytes)', () => {
    const base = [requested(spec({ health: { ...health, failureThreshold: 1 } })), spawned()];
    const huge: HealthProbeFacts = {
      ...fail(1),
      evidence: { exitCode: 1, output: Array.from({ length: 100 }, () => 'x'.repeat(10_000)), error: 'e'.repeat(100_000), durationMs: 1 },
    };
    const [failed] = decideHealth(given(...base), huge, at(2));
    const ev = (failed!.data as { evidence: { output: string[]; error: string } }).evidence;
    expect(ev.output.join('').length).toBeLessThanOrEqual(TAIL_TOTAL_BYTES);
    expect(ev.error.length).toBeLessThan(3000);
  });

  it('a run without a health check has no health state and records nothing', () => {
    const run = given(requested(spec()), spawned());
    expect(run.health).toBeNull();
    expect(toRunView(run)).not.toHaveProperty('health');
    expect(decideHealth(run, fail(5), at(2))).toEqual([]);
  });

  it('the view shows health while the run is active, and not once it ended', () => {
    const base = [requested(spec({ health })), spawned()];
    const passed = decideHealth(given(...base), pass(), at(2));
    expect(toRunView(given(...base, ...passed)).health).toBe('healthy');
    const ended: RunledgerEvent = { type: 'RunEnded', data: { status: 'completed', reason: 'r', exitCode: 0, signal: null } };
    expect(toRunView(given(...base, ...passed, exited(1, 0), ended))).not.toHaveProperty('health');
  });

  it('the health of an attempt that ended while healthy is starting again; unhealthy stays through the restart', () => {
    const s = spec({ health, restart: 'always' });
    const passed = decideHealth(given(requested(s), spawned()), pass(), at(2));
    expect(given(requested(s), spawned(), ...passed, exited(1, 1)).health).toBe('starting');
    const crossed = decideHealth(given(requested(s), spawned()), fail(3), at(2));
    expect(given(requested(s), spawned(), ...crossed, exited(1, null, 'SIGTERM')).health).toBe('unhealthy');
  });
});
