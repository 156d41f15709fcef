import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import {
  decideAdopt,
  decideExit,
  decideFinding,
  decideRestart,
  decideShimLost,
  decideSignalSent,
  decideSpawnFailed,
  decideStop,
  decideTimeout,
} from '../../src/supervisor/decide.js';
import { decideCheckpoint, decideReadinessFailed, decideReady } from '../../src/supervisor/decide-readiness.js';
import { exited, given, requested, spawned, spec, T0, types } from './given.js';

const NOW = T0 + 60_000;

describe('decideExit: what an attempt ending means', () => {
  it('given a running run with no restart policy, when it exits 0, then it completes', () => {
    const events = decideExit(given(requested(), spawned()), { attempt: 1, exitCode: 0, signal: null }, NOW);
    expect(types(events)).toEqual(['ProcessExited', 'RunEnded']);
    expect(events[1]).toMatchObject({ data: { status: 'completed', exitCode: 0, reason: 'exited with code 0' } });
  });

  it("given the tree's usage was sampled, when it exits, then ProcessExited records it (and an exit nobody sampled has none)", () => {
    const usage = { cpuSeconds: 2.5, peakRssBytes: 1_048_576, source: 'cgroup' as const };
    const events = decideExit(given(requested(), spawned()), { attempt: 1, exitCode: 0, signal: null, usage }, NOW);
    expect(events[0]).toEqual({ type: 'ProcessExited', data: { attempt: 1, exitCode: 0, signal: null, usage } });
    const plain = decideExit(given(requested(), spawned()), { attempt: 1, exitCode: 0, signal: null }, NOW);
    expect(plain[0]!.data).not.toHaveProperty('usage');
  });

  it('given no restart policy, when it exits non-zero, then it fails with the code', () => {
    const events = decideExit(given(requested(), spawned()), { attempt: 1, exitCode: 3, signal: null }, NOW);
    expect(events[1]).toMatchObject({ data: { status: 'failed', exitCode: 3 } });
  });

  it('given on-failure, when it crashes, then a restart is scheduled with backoff and the crash-loop flag', () => {
    const run = given(requested(spec({ restart: { policy: 'on-failure', backoff: '1s', maxBackoff: '10s', minUptime: '5s' } })), spawned());
    const events = decideExit(run, { attempt: 1, exitCode: 1, signal: null }, T0 + 2000);
    expect(types(events)).toEqual(['ProcessExited', 'RestartScheduled']);
    expect(events[1]).toMatchObject({ data: { attempt: 1, nextAttempt: 2, delayMs: 1000, crashLoop: true } });
  });

  it('given on-failure, when it exits 0, then it completes without restart', () => {
    const run = given(requested(spec({ restart: 'on-failure' })), spawned());
    expect(types(decideExit(run, { attempt: 1, exitCode: 0, signal: null }, NOW))).toEqual(['ProcessExited', 'RunEnded']);
  });

  it('given always with two restarts done, when it exits 0, then backoff doubles per restart up to the cap', () => {
    // minUptime 1h: these attempts are short-lived, so the count is not reset (see min-uptime below).
    const s = spec({ restart: { policy: 'always', backoff: '1s', maxBackoff: '3s', maxRestarts: 5, minUptime: '1h' } });
    const sched = (a: number) => ({
      type: 'RestartScheduled' as const,
      data: { attempt: a, nextAttempt: a + 1, delayMs: 0, at: 'x', reason: 'r', crashLoop: false },
    });
    const run = given(requested(s), spawned(1), exited(1, 0), sched(1), spawned(2), exited(2, 0), sched(2), spawned(3));
    const events = decideExit(run, { attempt: 3, exitCode: 0, signal: null }, NOW);
    expect(events[1]).toMatchObject({ type: 'RestartScheduled', data: { nextAttempt: 4, delayMs: 3000 } });
  });

  it('given maxRestarts reached, when it crashes again, then it fails saying so', () => {
    const s = spec({ restart: { policy: 'on-failure', maxRestarts: 1, minUptime: '1h' } });
    const sched = {
      type: 'RestartScheduled' as const,
      data: { attempt: 1, nextAttempt: 2, delayMs: 0, at: 'x', reason: 'r', crashLoop: false },
    };
    const run = given(requested(s), spawned(1), exited(1, 1), sched, spawned(2));
    const events = decideExit(run, { attempt: 2, exitCode: 1, signal: null }, NOW);
    expect(events[1]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'failed', reason: 'exited with code 1; reached max restarts (1)' },
    });
  });

  it('given a user stop in progress, when it exits by SIGTERM, then it ends stopped (no restart even with always)', () => {
    const run = given(requested(spec({ restart: 'always' })), spawned());
    const stopping = given(requested(spec({ restart: 'always' })), spawned(), ...decideStop(run, { reason: 'user', force: false }, NOW));
    const events = decideExit(stopping, { attempt: 1, exitCode: null, signal: 'SIGTERM' }, NOW);
    expect(events[1]).toMatchObject({ type: 'RunEnded', data: { status: 'stopped', signal: 'SIGTERM' } });
  });

  it.each([
    ['interrupt', 'interrupted'],
    ['timeout', 'timeout'],
    ['readiness', 'failed'],
    ['shutdown', 'stopped'],
  ] as const)('given a %s stop, when it exits, then the run ends %s', (reason, status) => {
    const base = [requested(spec({ timeout: '5s' })), spawned()];
    const stopping = given(...base, ...decideStop(given(...base), { reason, force: false }, NOW));
    expect(decideExit(stopping, { attempt: 1, exitCode: 0, signal: null }, NOW)[1]).toMatchObject({ data: { status } });
  });

  it('given a manual restart, when the attempt exits, then the next attempt is scheduled at once', () => {
    const base = [requested(), spawned()];
    const restarting = given(...base, ...decideRestart(given(...base), NOW));
    expect(decideExit(restarting, { attempt: 1, exitCode: null, signal: 'SIGTERM' }, NOW)[1]).toMatchObject({
      type: 'RestartScheduled',
      data: { delayMs: 0, reason: 'manual restart', nextAttempt: 2 },
    });
  });

  it('given the attempt already ended, when its exit arrives again, then nothing is recorded (exactly once)', () => {
    const run = given(requested(), spawned(), exited(1, 0), {
      type: 'RunEnded',
      data: { status: 'completed', reason: 'x', exitCode: 0, signal: null },
    });
    expect(decideExit(run, { attempt: 1, exitCode: 0, signal: null }, NOW)).toEqual([]);
  });

  it('given a recovered exit, then ExitRecovered carries the evidence and the policy still applies', () => {
    const run = given(requested(spec({ restart: 'on-failure' })), spawned());
    const events = decideExit(
      run,
      { attempt: 1, exitCode: 7, signal: null, recovered: { exitedAt: new Date(NOW).toISOString(), evidence: { reason: 'exit-record' } } },
      NOW,
    );
    expect(types(events)).toEqual(['ExitRecovered', 'RestartScheduled']);
    expect(events[0]).toMatchObject({ data: { exitCode: 7, evidence: { reason: 'exit-record' } } });
  });
});

describe('a lost shim: ShimLost and an exit with an unknown code', () => {
  const report = { shimPid: 99, childPid: 101, evidence: { shimState: 'gone' } };
  const lostEvent = { type: 'ShimLost', data: { attempt: 1, ...report } } as const;

  it('given a running attempt, when its shim is lost, then ShimLost is recorded once, and only for its own child', () => {
    const run = given(requested(), spawned());
    expect(decideShimLost(run, 1, report)).toEqual([lostEvent]);
    expect(decideShimLost(given(requested(), spawned(), lostEvent), 1, report)).toEqual([]);
    expect(decideShimLost(run, 1, { ...report, childPid: 555 })).toEqual([]);
    expect(decideShimLost(given(requested(), spawned(), exited(1, 0)), 1, report)).toEqual([]);
  });

  it('given no stop, when the child ends with its code unknown, then the run ends unknown saying why (on-failure does not restart)', () => {
    const run = given(requested(spec({ restart: 'on-failure' })), spawned(), lostEvent);
    const events = decideExit(run, { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' }, NOW);
    expect(events).toEqual([
      { type: 'ProcessExited', data: { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' } },
      { type: 'RunEnded', data: { status: 'unknown', reason: 'attempt 1: code unknown (shim lost)', exitCode: null, signal: null } },
    ]);
  });

  it('given restart always, then an unknown code still restarts; given a user stop, then the run is stopped', () => {
    const always = given(requested(spec({ restart: 'always' })), spawned(), lostEvent);
    expect(types(decideExit(always, { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' }, NOW))).toEqual([
      'ProcessExited',
      'RestartScheduled',
    ]);
    const stopping = given(requested(), spawned(), lostEvent);
    const stopped = decideStop(stopping, { reason: 'user', force: false }, NOW);
    const after = given(requested(), spawned(), lostEvent, ...stopped);
    expect(decideExit(after, { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' }, NOW)[1]).toMatchObject({
      data: { status: 'stopped', reason: 'stopped (user); code unknown (shim lost)' },
    });
  });
});

describe('decideStop', () => {
  const running = () => given(requested(spec({ grace: '3s', stopSignal: 'SIGINT' })), spawned());

  it('given a running run, when stopped, then StopRequested names the spec signal and the escalation deadline', () => {
    expect(decideStop(running(), { reason: 'user', force: false }, NOW)).toEqual([
      {
        type: 'StopRequested',
        data: { reason: 'user', signal: 'SIGINT', graceMs: 3000, force: false, escalateAt: new Date(NOW + 3000).toISOString() },
      },
    ]);
  });

  it('given a grace override, then it wins over the spec', () => {
    expect(decideStop(running(), { reason: 'user', force: false, graceMs: 10 }, NOW)[0]).toMatchObject({ data: { graceMs: 10 } });
  });

  it('given force, then SIGKILL with no grace', () => {
    expect(decideStop(running(), { reason: 'user', force: true }, NOW)[0]).toMatchObject({
      data: { signal: 'SIGKILL', graceMs: 0, force: true },
    });
  });

  it('given a stop in progress, when stopped again without force, then nothing; with force, then a forced stop', () => {
    const stopping = given(requested(), spawned(), ...decideStop(running(), { reason: 'user', force: false }, NOW));
    expect(decideStop(stopping, { reason: 'user', force: false }, NOW)).toEqual([]);
    expect(decideStop(stopping, { reason: 'user', force: true }, NOW)[0]).toMatchObject({ data: { force: true } });
  });

  it('given a pending run with no process, when stopped, then it ends at once', () => {
    expect(types(decideStop(given(requested()), { reason: 'interrupt', force: false }, NOW))).toEqual(['StopRequested', 'RunEnded']);
    expect(decideStop(given(requested()), { reason: 'interrupt', force: false }, NOW)[1]).toMatchObject({
      data: { status: 'interrupted' },
    });
  });

  it('given an ended run, when stopped, then nothing (idempotent)', () => {
    const ended = given(requested(), spawned(), exited(1, 0), {
      type: 'RunEnded',
      data: { status: 'completed', reason: 'x', exitCode: 0, signal: null },
    });
    expect(decideStop(ended, { reason: 'user', force: true }, NOW)).toEqual([]);
  });
});

describe('facts from a live attempt', () => {
  it('ready is recorded once, and only for the live attempt', () => {
    const run = given(requested(spec({ ready: { line: 'up' } })), spawned());
    expect(run.status).toBe('starting');
    const ready = decideReady(run, { attempt: 1, via: 'line', detail: 'up' });
    expect(types(ready)).toEqual(['ProcessReady']);
    const after = given(requested(spec({ ready: { line: 'up' } })), spawned(), ...ready);
    expect(after.status).toBe('running');
    expect(decideReady(after, { attempt: 1, via: 'protocol' })).toEqual([]);
    expect(decideReady(run, { attempt: 2, via: 'line' })).toEqual([]);
  });

  it('checkpoints of a stale attempt are dropped', () => {
    const run = given(
      requested(),
      spawned(1),
      exited(1, 1),
      { type: 'RestartScheduled', data: { attempt: 1, nextAttempt: 2, delayMs: 0, at: 'x', reason: 'r', crashLoop: false } },
      spawned(2),
    );
    expect(decideCheckpoint(run, 1, { phase: 'old' })).toEqual([]);
    expect(decideCheckpoint(run, 2, { phase: 'new' })).toEqual([
      { type: 'Checkpointed', data: { attempt: 2, checkpoint: { phase: 'new' } } },
    ]);
  });

  it('a signal is recorded with the pid and pgid it went to', () => {
    expect(
      decideSignalSent(given(requested(), spawned(1, 321)), { attempt: 1, signal: 'SIGTERM', target: 'group', reason: 'stop (user)' }),
    ).toEqual([
      { type: 'SignalSent', data: { attempt: 1, signal: 'SIGTERM', target: 'group', pid: 321, pgid: 321, reason: 'stop (user)' } },
    ]);
  });

  it('a spawn failure ends the run failed (a missing binary is not fixed by restarting)', () => {
    const events = decideSpawnFailed(
      given(requested(spec({ restart: 'always' }))),
      { attempt: 1, code: 'SPAWN_FAILED', message: 'command not found: nope' },
      NOW,
    );
    expect(types(events)).toEqual(['ProcessSpawnFailed', 'RunEnded']);
    expect(events[1]).toMatchObject({ data: { status: 'failed', reason: 'spawn failed: command not found: nope' } });
  });
});

describe('timeouts, readiness and findings', () => {
  it('a timeout stops the run with reason timeout, once', () => {
    const run = given(requested(spec({ timeout: '30s' })), spawned());
    const events = decideTimeout(run, NOW);
    expect(types(events)).toEqual(['RunTimedOut', 'StopRequested']);
    expect(decideTimeout(given(requested(spec({ timeout: '30s' })), spawned(), ...events), NOW)).toEqual([]);
  });

  it('readiness timeout records the stderr tail and stops the run', () => {
    const run = given(requested(spec({ ready: { port: 3000, timeout: '2s' } })), spawned());
    const events = decideReadinessFailed(run, { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: ['boom'] }, NOW);
    expect(types(events)).toEqual(['ReadinessFailed', 'StopRequested']);
    expect(events[1]).toMatchObject({ data: { reason: 'readiness' } });
  });

  it('a stale finding ends the run stale and never restarts it', () => {
    const run = given(requested(spec({ restart: 'always' })), spawned());
    const events = decideFinding(run, { attempt: 1, kind: 'stale', reason: 'pid reused', evidence: { expected: 1 } }, NOW);
    expect(types(events)).toEqual(['ProcessMarkedStale', 'RunEnded']);
    expect(events[1]).toMatchObject({ data: { status: 'stale' } });
  });

  it('adoption is recorded once per supervisor', () => {
    const run = given(requested(), spawned());
    const adopt = decideAdopt(run, { attempt: 1, supervisorId: 'sup-2', evidence: {} });
    expect(types(adopt)).toEqual(['ProcessAdopted']);
    expect(decideAdopt(given(requested(), spawned(), ...adopt), { attempt: 1, supervisorId: 'sup-2', evidence: {} })).toEqual([]);
  });

  it('restart of an ended run is a RUN_TERMINAL error', () => {
    const ended = given(requested(), spawned(), exited(1, 0), {
      type: 'RunEnded',
      data: { status: 'completed', reason: 'x', exitCode: 0, signal: null },
    });
    try {
      decideRestart(ended, NOW);
      expect.unreachable();
    } catch (err) {
      expect(isRunledgerError(err, 'RUN_TERMINAL')).toBe(true);
    }
  });
});

describe('decideStop during a manual restart (regression: stop --wait hung)', () => {
  const base = () => [requested(spec({ grace: '5s' })), spawned()];
  const restarting = () => given(...base(), ...decideRestart(given(...base()), NOW));

  it('a user stop overrides the restart, so the exit ends the run instead of starting attempt 2', () => {
    const events = decideStop(restarting(), { reason: 'user', force: false }, NOW + 1000);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'StopRequested', data: { reason: 'user' } });
    const stopped = given(...base(), ...decideRestart(given(...base()), NOW), ...events);
    expect(decideExit(stopped, { attempt: 1, exitCode: null, signal: 'SIGTERM' }, NOW + 2000)[1]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'stopped' },
    });
  });

  it('the override keeps the earlier escalation deadline', () => {
    const [stop] = decideStop(restarting(), { reason: 'interrupt', force: false }, NOW + 1000);
    expect(stop).toMatchObject({ data: { escalateAt: new Date(NOW + 5000).toISOString() } });
  });

  it('a forced stop after a user stop keeps the user reason', () => {
    const stopping = given(...base(), ...decideStop(given(...base()), { reason: 'user', force: false }, NOW));
    expect(decideStop(stopping, { reason: 'interrupt', force: true }, NOW)[0]).toMatchObject({
      data: { reason: 'user', force: true, signal: 'SIGKILL' },
    });
  });
});
