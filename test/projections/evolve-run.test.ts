/** The status machine, given/when/then: given these events, when this one is folded, then this state (or this anomaly). */
import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { foldRuns } from '../../src/projections/runs.js';
import type { RunState } from '../../src/projections/run-state.js';
import { ended, exited, logOf, ready, requested, RUN_A, spawned, stopRequested } from '../support/run-events.js';

function given(...events: RunledgerEvent[]) {
  const fold = (more: RunledgerEvent[] = []) => foldRuns(logOf([...events, ...more].map((e) => [RUN_A, e])));
  return {
    when: (...more: RunledgerEvent[]) => {
      const before = fold();
      const after = fold(more);
      return { before: before.runs.get(RUN_A), run: after.runs.get(RUN_A)!, anomalies: after.anomalies };
    },
  };
}

const statusAfter = (...events: RunledgerEvent[]): RunState['status'] => given().when(...events).run.status;

describe('evolveRun status machine', () => {
  it('a requested run is pending, with its times from the event', () => {
    const { run } = given().when(requested());
    expect(run).toMatchObject({ status: 'pending', createdAt: '2025-01-01T00:00:00.000Z', startedAt: null, endedAt: null, attempts: [] });
    expect(run.shortId).toMatch(/^[0-9a-z]{7}$/);
  });

  it('spawn without a ready check -> running; with one -> starting, then running when ready', () => {
    expect(statusAfter(requested(), spawned())).toBe('running');
    expect(statusAfter(requested({ ready: { line: 'ok', timeoutMs: 1000 } }), spawned())).toBe('starting');
    const { run } = given(requested({ ready: { line: 'ok', timeoutMs: 1000 } }), spawned()).when(ready());
    expect(run.status).toBe('running');
    expect(run.readyAt).toBe('2025-01-01T00:00:02.000Z');
    expect(run.attempts[0]!.readyAt).toBe(run.readyAt);
  });

  it('stop request -> stopping; the exit then RunEnded -> stopped with endedAt from the event', () => {
    const g = given(requested(), spawned(), stopRequested());
    expect(g.when().run.status).toBe('stopping');
    const { run, anomalies } = g.when(exited(1, null, 'SIGTERM'), ended('stopped', null, 'SIGTERM'));
    expect(anomalies).toEqual([]);
    expect(run).toMatchObject({ status: 'stopped', signal: 'SIGTERM', endedAt: '2025-01-01T00:00:04.000Z' });
    expect(run.attempts[0]).toMatchObject({ status: 'exited', signal: 'SIGTERM', endedBy: 'ProcessExited' });
  });

  it('a restart: restarting with the pending restart, then attempt 2 clears it', () => {
    const restart: RunledgerEvent = {
      type: 'RestartScheduled',
      data: { attempt: 1, nextAttempt: 2, delayMs: 1000, at: '2025-01-01T00:00:04.000Z', reason: 'exited with code 1', crashLoop: false },
    };
    const g = given(requested(), spawned(1), exited(1, 1), restart);
    expect(g.when().run).toMatchObject({ status: 'restarting', restarts: 1, restart: { nextAttempt: 2 } });
    const { run } = g.when(spawned(2, 456));
    expect(run).toMatchObject({ status: 'running', restart: null, startedAt: '2025-01-01T00:00:01.000Z' });
    expect(run.attempts.map((a) => [a.n, a.status, a.pid])).toEqual([
      [1, 'exited', 123],
      [2, 'running', 456],
    ]);
  });

  it('a stop during the restart backoff cancels the pending restart', () => {
    const restart: RunledgerEvent = {
      type: 'RestartScheduled',
      data: { attempt: 1, nextAttempt: 2, delayMs: 1000, at: '2025-01-01T00:00:04.000Z', reason: 'exited with code 1', crashLoop: false },
    };
    const { run } = given(requested(), spawned(1), exited(1, 1), restart).when(stopRequested());
    expect(run).toMatchObject({ status: 'stopping', restart: null });
  });

  it('an exit recovered by reconcile keeps the exit time the shim recorded', () => {
    const recovered: RunledgerEvent = {
      type: 'ExitRecovered',
      data: { attempt: 1, exitCode: 7, signal: null, exitedAt: '2024-12-31T23:59:00.000Z', evidence: { source: 'shim' } },
    };
    const { run } = given(requested(), spawned()).when(recovered);
    expect(run.attempts[0]).toMatchObject({ status: 'exited', exitCode: 7, endedAt: '2024-12-31T23:59:00.000Z', endedBy: 'ExitRecovered' });
    expect(run.exitCode).toBe(7);
  });

  it('terminal is final: a later event is an anomaly and the run is unchanged', () => {
    const { before, run, anomalies } = given(requested(), spawned(), exited(), ended()).when(stopRequested());
    expect(run).toEqual(before);
    expect(run.endedAt).toBe('2025-01-01T00:00:03.000Z');
    expect(anomalies).toEqual([expect.objectContaining({ position: 5, runId: RUN_A, type: 'StopRequested' })]);
    expect(anomalies[0]!.message).toMatch(/already ended completed/);
  });

  it('endedAt is set once: a second RunEnded is an anomaly', () => {
    const { run, anomalies } = given(requested(), spawned(), exited(), ended()).when(ended('failed', 1));
    expect(run).toMatchObject({ status: 'completed', endedAt: '2025-01-01T00:00:03.000Z' });
    expect(anomalies).toHaveLength(1);
  });

  it('an attempt ended twice is an anomaly (exit after exit, spawn failure of a spawned attempt)', () => {
    const twice = given(requested(), spawned(), exited(1, 0)).when(exited(1, 1));
    expect(twice.run.attempts[0]!.exitCode).toBe(0);
    expect(twice.anomalies[0]!.message).toMatch(/already ended by ProcessExited/);
    const failed = given(requested(), spawned()).when({ type: 'ProcessSpawnFailed', data: { attempt: 1, code: 'ENOENT', message: 'x' } });
    expect(failed.run.attempts).toHaveLength(1);
    expect(failed.run.attempts[0]!.status).toBe('running');
    expect(failed.anomalies).toHaveLength(1);
  });

  it("a run whose exit was recovered ends at the shim's exitedAt, not when the exit was found", () => {
    const recovered: RunledgerEvent = {
      type: 'ExitRecovered',
      data: { attempt: 1, exitCode: 7, signal: null, exitedAt: '2025-01-01T00:00:01.500Z', evidence: {} },
    };
    const { run } = given(requested(), spawned()).when(recovered, ended('failed', 7));
    expect(run.attempts[0]!.endedAt).toBe('2025-01-01T00:00:01.500Z');
    expect(run.endedAt).toBe('2025-01-01T00:00:01.500Z');
  });

  it('ShimLost marks the attempt (once) and keeps it running; its exit with an unknown code says why', () => {
    const lost = (shimPid: number): RunledgerEvent => ({
      type: 'ShimLost',
      data: { attempt: 1, shimPid, childPid: 123, evidence: { shimState: 'gone' } },
    });
    const g = given(requested(), spawned(), lost(99), lost(98));
    const { run } = g.when();
    expect(run.status).toBe('running');
    expect(run.attempts[0]).toMatchObject({
      status: 'running',
      shimLost: { at: '2025-01-01T00:00:02.000Z', evidence: { shimState: 'gone' } },
    });
    const after = g.when({ type: 'ProcessExited', data: { attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' } }).run;
    expect(after.attempts[0]).toMatchObject({
      status: 'exited',
      exitCode: null,
      signal: null,
      finding: { reason: 'code unknown (shim lost)' },
    });
  });

  it("an exit that carries the tree's usage keeps it on the attempt; one without it (older events) has none", () => {
    const usage = { cpuSeconds: 1.25, peakRssBytes: 52_428_800, source: 'proc' as const };
    const measured = given(requested(), spawned()).when({
      type: 'ProcessExited',
      data: { attempt: 1, exitCode: 0, signal: null, usage },
    }).run;
    expect(measured.attempts[0]!.usage).toEqual(usage);
    const older = given(requested(), spawned()).when({ type: 'ProcessExited', data: { attempt: 1, exitCode: 0, signal: null } }).run;
    expect(older.attempts[0]!.usage).toBeUndefined();
  });

  it('an event for a run never requested is an anomaly, and creates no run', () => {
    const { run, anomalies } = given().when(spawned());
    expect(run).toBeUndefined();
    expect(anomalies).toEqual([expect.objectContaining({ type: 'ProcessSpawned', runId: RUN_A })]);
  });
});
