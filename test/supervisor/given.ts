/**
 * Given/when/then for deciders: `given(...events)` folds events (as a run's
 * stream would hold them) into a RunState; `spec(...)` builds a recorded spec.
 */
import type { EventEnvelope, RunledgerEvent } from '../../src/events/envelope.js';
import type { RunSpecRecord } from '../../src/events/schemas.js';
import { evolveRun } from '../../src/projections/evolve-run.js';
import type { RunState } from '../../src/projections/run-state.js';
import { normalizeSpec, type RunSpecInput } from '../../src/supervisor/spec.js';

export const RUN_ID = '01JD0000000000000000000000';
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

export function spec(input: Partial<RunSpecInput> = {}): RunSpecRecord {
  return normalizeSpec({ command: 'node', args: ['server.js'], ...input }, '/tmp').record;
}

export const requested = (s: RunSpecRecord = spec()): RunledgerEvent => ({ type: 'RunRequested', data: { spec: s, git: null } });
export const spawned = (attempt = 1, pid = 100 + attempt): RunledgerEvent => ({
  type: 'ProcessSpawned',
  data: {
    attempt,
    pid,
    pgid: pid,
    startTime: String(1000 + attempt),
    bootId: 'boot-a',
    runtime: 'sim',
    logs: { stdout: 'o', stderr: 'e' },
  },
});
export const exited = (attempt: number, exitCode: number | null, signal: string | null = null): RunledgerEvent => ({
  type: 'ProcessExited',
  data: { attempt, exitCode, signal },
});

/** Fold events into a run; event i happens at T0 + i seconds. */
export function given(...events: RunledgerEvent[]): RunState {
  let run: RunState | undefined;
  events.forEach((e, i) => {
    const env = {
      ...e,
      position: i + 1,
      streamId: `run-${RUN_ID}`,
      streamVersion: i + 1,
      id: `01JD00000000000000000000${String(i).padStart(2, '0')}`,
      time: new Date(T0 + i * 1000).toISOString(),
      schemaVersion: 1,
      prevHash: '',
      hash: '',
    } as EventEnvelope;
    run = evolveRun(run, env);
  });
  if (!run) throw new Error('given() needs at least RunRequested');
  return run;
}

export const types = (events: RunledgerEvent[]): string[] => events.map((e) => e.type);
