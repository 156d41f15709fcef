/**
 * Given/when/then for readiness per attempt (issue 11, case 4), min-uptime
 * (case 10: the restart count resets) and the payload caps on child-made
 * evidence (case 9).
 */
import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { TAIL_TOTAL_BYTES } from '../../src/events/evidence-caps.js';
import { decideExit, decideStop, decideTimeout } from '../../src/supervisor/decide.js';
import { decideCheckpoint, decideReadinessFailed, decideReady } from '../../src/supervisor/decide-readiness.js';
import { exited, given, requested, spawned, spec, T0, types } from './given.js';

const ready = { line: '^up$', timeout: '2s' };
const sched = (a: number): RunledgerEvent => ({
  type: 'RestartScheduled',
  data: { attempt: a, nextAttempt: a + 1, delayMs: 0, at: 'x', reason: 'r', crashLoop: true },
});
/** Event i of given() happens at T0 + i s. */
const at = (i: number): number => T0 + i * 1000;

describe('readiness is per attempt', () => {
  it('given on-failure and a readiness timeout, when the stopped attempt exits, then a restart is scheduled (not the end of the run)', () => {
    const base = [requested(spec({ ready, restart: 'on-failure' })), spawned()];
    const failed = decideReadinessFailed(
      given(...base),
      { attempt: 1, reason: 'timeout', message: 'not ready within 2000ms', stderrTail: [] },
      at(2),
    );
    expect(types(failed)).toEqual(['ReadinessFailed', 'StopRequested']);
    const events = decideExit(given(...base, ...failed), { attempt: 1, exitCode: null, signal: 'SIGTERM' }, at(4));
    expect(types(events)).toEqual(['ProcessExited', 'RestartScheduled']);
    expect(events[1]).toMatchObject({
      data: { nextAttempt: 2, reason: 'stopped (readiness); killed by SIGTERM; crash loop (up less than 10s)' },
    });
  });

  it('given no restart policy, when a readiness-stopped attempt exits, then the run fails', () => {
    const base = [requested(spec({ ready })), spawned()];
    const failed = decideReadinessFailed(given(...base), { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] }, at(2));
    const events = decideExit(given(...base, ...failed), { attempt: 1, exitCode: null, signal: 'SIGTERM' }, at(4));
    expect(events[1]).toMatchObject({ type: 'RunEnded', data: { status: 'failed', reason: 'stopped (readiness); killed by SIGTERM' } });
  });

  it('given attempt 1 failed readiness, when attempt 2 runs, then it gets its own ready event and its own failure', () => {
    const s = spec({ ready, restart: 'on-failure' });
    const failed1 = decideReadinessFailed(
      given(requested(s), spawned()),
      { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] },
      at(2),
    );
    const history = [requested(s), spawned(1), ...failed1, exited(1, null, 'SIGTERM'), sched(1), spawned(2)];
    const run = given(...history);
    expect(run.status).toBe('starting');
    expect(run.readinessFailure).toBeNull();
    expect(types(decideReady(run, { attempt: 2, via: 'line', detail: 'up' }))).toEqual(['ProcessReady']);
    expect(types(decideReadinessFailed(run, { attempt: 2, reason: 'timeout', message: 'not ready again', stderrTail: [] }, at(9)))).toEqual(
      ['ReadinessFailed', 'StopRequested'],
    );
  });

  it('given a readiness failure, when a late ready line arrives, then it is not recorded', () => {
    const base = [requested(spec({ ready })), spawned()];
    const run = given(
      ...base,
      ...decideReadinessFailed(given(...base), { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] }, at(2)),
    );
    expect(decideReady(run, { attempt: 1, via: 'line', detail: 'up' })).toEqual([]);
  });

  it('given on-failure, when an attempt exits 0 before it was ready, then that is a failure and it restarts', () => {
    const base = [requested(spec({ ready, restart: 'on-failure' })), spawned()];
    const failed = decideReadinessFailed(
      given(...base),
      { attempt: 1, reason: 'exited', message: 'exited before ready (code 0)', stderrTail: [] },
      at(2),
    );
    expect(types(failed)).toEqual(['ReadinessFailed']);
    const events = decideExit(given(...base, ...failed), { attempt: 1, exitCode: 0, signal: null, note: 'exited before ready' }, at(2));
    expect(types(events)).toEqual(['ProcessExited', 'RestartScheduled']);
  });

  it('given a port held by another process, then a port-held failure stops the attempt', () => {
    const run = given(requested(spec({ ready: { port: 8080, timeout: '2s' }, restart: 'on-failure' })), spawned());
    const events = decideReadinessFailed(
      run,
      { attempt: 1, reason: 'port-held', message: 'port 8080 is held by pid 42 (nginx)', stderrTail: [] },
      at(2),
    );
    expect(events[0]).toMatchObject({
      type: 'ReadinessFailed',
      data: { reason: 'port-held', message: 'port 8080 is held by pid 42 (nginx)' },
    });
    expect(types(events)).toEqual(['ReadinessFailed', 'StopRequested']);
  });

  it('given a readiness stop, when the user stops the run, then the user stop wins and the exit by its signal ends it stopped', () => {
    const base = [requested(spec({ ready, restart: 'always' })), spawned()];
    const failed = decideReadinessFailed(given(...base), { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] }, at(2));
    const stop = decideStop(given(...base, ...failed), { reason: 'user', force: false }, at(4));
    expect(stop[0]).toMatchObject({ type: 'StopRequested', data: { reason: 'user' } });
    const events = decideExit(given(...base, ...failed, ...stop), { attempt: 1, exitCode: null, signal: 'SIGTERM' }, at(5));
    expect(events[1]).toMatchObject({ type: 'RunEnded', data: { status: 'stopped' } });
  });

  it('given a readiness stop, when the run times out, then the run ends timeout instead of restarting', () => {
    const base = [requested(spec({ ready, restart: 'always', timeout: '3s' })), spawned()];
    const failed = decideReadinessFailed(given(...base), { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] }, at(2));
    const timedOut = decideTimeout(given(...base, ...failed), at(4));
    expect(types(timedOut)).toEqual(['RunTimedOut', 'StopRequested']);
    const events = decideExit(given(...base, ...failed, ...timedOut), { attempt: 1, exitCode: null, signal: 'SIGTERM' }, at(6));
    expect(events[1]).toMatchObject({ type: 'RunEnded', data: { status: 'timeout' } });
  });
});

describe('min-uptime: an attempt that stayed up resets the restart count', () => {
  const s = spec({ restart: { policy: 'on-failure', maxRestarts: 2, backoff: '1s', maxBackoff: '1m', minUptime: '30s' } });
  const twoRestarts = [requested(s), spawned(1), exited(1, 1), sched(1), spawned(2), exited(2, 1), sched(2), spawned(3)];

  it('given max restarts used, when an attempt up longer than min-uptime crashes, then it restarts with the first backoff and the count starts again', () => {
    const run = given(...twoRestarts);
    expect(run.restarts).toBe(2);
    const events = decideExit(run, { attempt: 3, exitCode: 1, signal: null }, at(7) + 31_000);
    expect(events[1]).toMatchObject({
      type: 'RestartScheduled',
      data: { nextAttempt: 4, delayMs: 1000, crashLoop: false, countReset: true },
    });
    expect(given(...twoRestarts, ...events).restarts).toBe(1);
  });

  it('given max restarts used, when an attempt up less than min-uptime crashes, then the run fails (crash loop)', () => {
    const events = decideExit(given(...twoRestarts), { attempt: 3, exitCode: 1, signal: null }, at(7) + 29_000);
    expect(events[1]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'failed', reason: 'exited with code 1; reached max restarts (2)' },
    });
  });

  it('given a long attempt that failed readiness, then its uptime does not reset the count (it never started properly)', () => {
    const rs = spec({ ready: { line: 'up', timeout: '1m' }, restart: { policy: 'on-failure', maxRestarts: 1, minUptime: '1s' } });
    const history = [requested(rs), spawned(1), exited(1, 1), sched(1), spawned(2)];
    const failed = decideReadinessFailed(
      given(...history),
      { attempt: 2, reason: 'timeout', message: 'not ready', stderrTail: [] },
      at(5) + 60_000,
    );
    const events = decideExit(given(...history, ...failed), { attempt: 2, exitCode: null, signal: 'SIGTERM' }, at(5) + 61_000);
    expect(events[1]).toMatchObject({ type: 'RunEnded', data: { status: 'failed' } });
  });

  it('a first restart records no reset (there is nothing to reset)', () => {
    const events = decideExit(given(requested(s), spawned(1)), { attempt: 1, exitCode: 1, signal: null }, at(1) + 60_000);
    expect(events[1]).toMatchObject({ type: 'RestartScheduled', data: { crashLoop: false } });
    expect(events[1]!.data).not.toHaveProperty('countReset');
  });
});

describe('evidence a child controls is bounded before it reaches the log', () => {
  it('a readiness failure after 25 stderr lines of 70 kB records a tail within the cap, marked as cut', () => {
    const run = given(requested(spec({ ready })), spawned());
    const lines = Array.from({ length: 25 }, (_, i) => `${i}:${'x'.repeat(70_000)}`);
    const [failed] = decideReadinessFailed(run, { attempt: 1, reason: 'timeout', message: 'm'.repeat(10_000), stderrTail: lines }, at(2));
    const data = failed!.data as { message: string; stderrTail: string[] };
    expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThan(TAIL_TOTAL_BYTES + 4096);
    expect(data.stderrTail[0]).toMatch(/earlier lines dropped/);
    expect(data.stderrTail.at(-1)).toMatch(/^24:x+ …\[\+\d+ bytes, cut\]$/);
    expect(data.message).toMatch(/cut\]$/);
  });

  it('a huge checkpoint is recorded as a marked preview; a small one as is', () => {
    const run = given(requested(), spawned());
    const big = decideCheckpoint(run, 1, { blob: 'y'.repeat(100_000) })[0]!.data as {
      checkpoint: { truncated: boolean; bytes: number; preview: string };
    };
    expect(big.checkpoint).toMatchObject({ truncated: true, bytes: 100_011 });
    expect(Buffer.byteLength(big.checkpoint.preview)).toBeLessThanOrEqual(2048);
    expect(decideCheckpoint(run, 1, { phase: 'x' })[0]!.data).toEqual({ attempt: 1, checkpoint: { phase: 'x' } });
  });
});
