import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { timelineOf } from '../../src/projections/timeline.js';
import { ended, exited, logOf, ready, requested, RUN_A, spawned, stopRequested } from '../support/run-events.js';

const evt = <E extends RunledgerEvent>(e: E): E => e;

describe('timelineOf', () => {
  const log = logOf([
    [
      'supervisor',
      evt({ type: 'SupervisorStarted', data: { supervisorId: 'sup-1', pid: 9, version: '0.1.0', bootId: 'b', hostname: 'h' } }),
    ],
    [RUN_A, requested({ cwd: '/x', slot: 'web', ready: { line: 'ok', timeoutMs: 5000 } })],
    [RUN_A, spawned(1, 123)],
    [RUN_A, ready(1)],
    [RUN_A, evt({ type: 'Checkpointed', data: { attempt: 1, checkpoint: { phase: 'build' } } })],
    [RUN_A, exited(1, 1)],
    [
      RUN_A,
      evt({
        type: 'RestartScheduled',
        data: { attempt: 1, nextAttempt: 2, delayMs: 2000, at: 'x', reason: 'exited with code 1', crashLoop: false },
      }),
    ],
    [RUN_A, spawned(2, 200)],
    [
      RUN_A,
      evt({
        type: 'ReadinessFailed',
        data: { attempt: 2, reason: 'timeout', message: 'no ready line in 5s', stderrTail: ['boom', 'bye'] },
      }),
    ],
    [RUN_A, stopRequested('user')],
    [RUN_A, evt({ type: 'SignalSent', data: { attempt: 2, signal: 'SIGTERM', target: 'group', pid: 200, pgid: 200, reason: 'stop' } })],
    [RUN_A, exited(2, null, 'SIGKILL')],
    [RUN_A, ended('killed', null, 'SIGKILL')],
  ]);

  it('renders one dated line per run event, in log order, with the attempt', () => {
    const lines = timelineOf(log);
    expect(lines.map((l) => l.text)).toEqual([
      'requested: node server.js (cwd /x, slot web)',
      'spawned attempt 1: pid 123 pgid 123',
      'ready via line',
      'checkpoint {"phase":"build"}',
      'exited: code 1',
      'restart scheduled: attempt 2 in 2s (exited with code 1)',
      'spawned attempt 2: pid 200 pgid 200',
      'readiness failed (timeout): no ready line in 5s; stderr: boom | bye',
      'stop requested (user): SIGTERM, grace 10s',
      'signal SIGTERM sent to group 200',
      'killed by SIGKILL',
      'run ended: killed (stopped (user))',
    ]);
    expect(lines[1]).toEqual({
      position: 3,
      time: '2025-01-01T00:00:02.000Z',
      type: 'ProcessSpawned',
      runId: RUN_A,
      attempt: 1,
      text: lines[1]!.text,
    });
    expect(lines[0]!.attempt).toBeUndefined();
  });

  it('includes the supervisor stream only for a global timeline', () => {
    expect(timelineOf(log).some((l) => l.runId === null)).toBe(false);
    const global = timelineOf(log, { supervisor: true });
    expect(global[0]).toMatchObject({ runId: null, text: 'supervisor sup-1 started (pid 9, version 0.1.0, host h)' });
  });

  it('renders reconcile findings with their evidence', () => {
    const lines = timelineOf(
      logOf([
        [RUN_A, requested()],
        [RUN_A, spawned()],
        [RUN_A, evt({ type: 'ProcessAdopted', data: { attempt: 1, supervisorId: 'sup-2', evidence: {} } })],
        [
          RUN_A,
          evt({
            type: 'ProcessMarkedStale',
            data: { attempt: 1, reason: 'pid reused', evidence: { expectedStartTime: '5000', observedStartTime: '9000' } },
          }),
        ],
      ]),
    ).map((l) => l.text);
    expect(lines.slice(2)).toEqual(['adopted by supervisor sup-2', 'marked stale: pid reused (expected start time 5000, observed 9000)']);
    const other = timelineOf(
      logOf([
        [RUN_A, requested({ timeoutMs: 30_000 })],
        [RUN_A, spawned()],
        [RUN_A, evt({ type: 'ExitRecovered', data: { attempt: 1, exitCode: 7, signal: null, exitedAt: null, evidence: {} } })],
        [RUN_A, evt({ type: 'ProcessStatusUnknown', data: { attempt: 1, reason: 'no exit record', evidence: {} } })],
        [RUN_A, evt({ type: 'RunTimedOut', data: { timeoutMs: 30_000 } })],
        [RUN_A, ended('completed', 0)],
      ]),
    ).map((l) => l.text);
    expect(other.slice(2)).toEqual([
      'exit recovered: code 7',
      'status unknown: no exit record',
      'timed out after 30s',
      'run ended: completed (exited with code 0)',
    ]);
  });

  it('renders a lost shim and the unknown code of its child', () => {
    const lost = logOf([
      [RUN_A, requested()],
      [RUN_A, spawned(1, 123)],
      [
        RUN_A,
        evt({
          type: 'ShimLost',
          data: { attempt: 1, shimPid: 99, childPid: 123, evidence: { shimState: 'gone', childPpid: 1, shimExit: 'killed by SIGKILL' } },
        }),
      ],
      [RUN_A, evt({ type: 'ProcessExited', data: { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' } })],
    ]);
    expect(
      timelineOf(lost)
        .slice(2)
        .map((l) => l.text),
    ).toEqual([
      'shim 99 lost (gone, killed by SIGKILL); process 123 still running under parent 1, watched directly',
      'exited: code unknown (shim lost)',
    ]);
  });

  it('is deterministic: same events, same lines', () => {
    expect(timelineOf(log, { supervisor: true })).toEqual(timelineOf(structuredClone(log), { supervisor: true }));
  });
});
