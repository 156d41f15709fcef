/** Hand-written events for given/when/then specs: a default spec and a tiny log builder. */
import { isoTime } from '../../src/clock.js';
import { runStreamId, SUPERVISOR_STREAM, type EventEnvelope, type RunledgerEvent } from '../../src/events/envelope.js';
import type { RunSpecRecord } from '../../src/events/schemas.js';
import { SCENARIO_EPOCH_MS, toEnvelopes, type GeneratedEvent } from './arbitraries.js';

export const RUN_A = '01J0000000AAAAAAAAAAAAAAAA';
export const RUN_B = '01J0000000BBBBBBBBBBBBBBBB';
export const RUN_C = '01J0000000CCCCCCCCCCCCCCCC';

export function aSpec(overrides: Partial<RunSpecRecord> = {}): RunSpecRecord {
  return {
    command: 'node',
    args: ['server.js'],
    shell: false,
    cwd: '/x',
    env: {},
    redactedEnv: [],
    name: 'web',
    labels: {},
    owner: {},
    slot: null,
    key: null,
    timeoutMs: null,
    ready: null,
    stopSignal: 'SIGTERM',
    graceMs: 10_000,
    restart: { policy: 'never', maxRestarts: 0, backoffMs: 1000, maxBackoffMs: 30_000, minUptimeMs: 0 },
    logs: { maxBytes: 1_048_576, keep: 3 },
    runtime: 'background',
    ...overrides,
  };
}

export const requested = (spec: Partial<RunSpecRecord> = {}, extra: { batchId?: string } = {}): RunledgerEvent => ({
  type: 'RunRequested',
  data: { spec: aSpec(spec), git: null, ...extra },
});
export const spawned = (attempt = 1, pid = 123): RunledgerEvent => ({
  type: 'ProcessSpawned',
  data: { attempt, pid, pgid: pid, startTime: '5000', bootId: 'boot-1', runtime: 'background', logs: { stdout: 'o', stderr: 'e' } },
});
export const ready = (attempt = 1): RunledgerEvent => ({ type: 'ProcessReady', data: { attempt, via: 'line' } });
export const exited = (attempt = 1, exitCode: number | null = 0, signal: string | null = null): RunledgerEvent => ({
  type: 'ProcessExited',
  data: { attempt, exitCode, signal },
});
export const stopRequested = (reason: 'user' | 'interrupt' = 'user'): RunledgerEvent => ({
  type: 'StopRequested',
  data: { reason, signal: 'SIGTERM', graceMs: 10_000, force: false, escalateAt: isoTime(SCENARIO_EPOCH_MS + 20_000) },
});
export const ended = (
  status: 'completed' | 'failed' | 'killed' | 'stopped' = 'completed',
  exitCode: number | null = 0,
  signal: string | null = null,
): RunledgerEvent => ({
  type: 'RunEnded',
  data: {
    status,
    reason: status === 'killed' || status === 'stopped' ? 'stopped (user)' : `exited with code ${exitCode}`,
    exitCode,
    signal,
  },
});

/** A log of [runId | 'supervisor', event] pairs, one second apart from the scenario epoch. */
export function logOf(items: readonly [string, RunledgerEvent][]): EventEnvelope[] {
  const generated = items.map(([who, event], i) => ({
    ...event,
    streamId: who === 'supervisor' ? SUPERVISOR_STREAM : runStreamId(who),
    time: isoTime(SCENARIO_EPOCH_MS + i * 1000),
  })) as GeneratedEvent[];
  return toEnvelopes(generated);
}
