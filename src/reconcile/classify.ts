/**
 * What reconcile concludes about one non-terminal attempt from what the
 * machine says (pure). The evidence names what the log expected, what was
 * observed and when, so a reader of `show` can check the conclusion.
 */
import type { AttemptState, RunState } from '../projections/run-state.js';
import type { Observation } from '../runtime/adapter.js';

/** Less free space than this where exit.json belongs is the likely reason it is missing. */
const LOW_SPACE_BYTES = 64 * 1024;

export type Finding =
  | { kind: 'adopt'; evidence: Record<string, unknown> }
  | { kind: 'recovered'; exitCode: number | null; signal: string | null; exitedAt: string | null; evidence: Record<string, unknown> }
  | { kind: 'unknown'; reason: string; evidence: Record<string, unknown> }
  | { kind: 'stale'; reason: string; evidence: Record<string, unknown> };

export function classifyAttempt(a: AttemptState, obs: Observation, checkedAt: string): Finding {
  const expected = { pid: a.pid, pgid: a.pgid, startTime: a.startTime, bootId: a.bootId };
  const base = { expected, observed: obs.observed, checkedAt };
  switch (obs.state) {
    case 'alive':
      return { kind: 'adopt', evidence: { ...base, reason: 'alive-identity-match' } };
    case 'gone':
      if (obs.exit) {
        return {
          kind: 'recovered',
          exitCode: obs.exit.exitCode,
          signal: obs.exit.signal,
          exitedAt: obs.exit.exitedAt,
          evidence: { ...base, reason: 'exit-record', exit: obs.exit },
        };
      }
      if (a.shimLost) {
        // Its shim was already lost (ShimLost): there could be no record; say so rather than "no exit record".
        return {
          kind: 'unknown',
          reason: 'code unknown (shim lost); the process ended while no supervisor watched it',
          evidence: { ...base, reason: 'gone-after-shim-lost', shimLost: a.shimLost },
        };
      }
      const space = obs.recordSpace ? { recordSpace: obs.recordSpace } : {};
      // A full disk (or a reserved placeholder never filled) is what kept the shim from writing: say so.
      const full =
        obs.recordSpace && obs.recordSpace.freeBytes < LOW_SPACE_BYTES
          ? `; its disk is full (${obs.recordSpace.freeBytes} bytes free)`
          : '';
      const what = obs.observed.zombie ? 'process is a zombie and left no exit record' : 'process gone and left no exit record';
      return { kind: 'unknown', reason: what + full, evidence: { ...base, reason: 'gone-no-exit-record', ...space } };
    case 'reused': {
      if (obs.notSpawnedHere) {
        const reason = `pid ${a.pid} is alive, but this home never spawned it (no attempt directory): another home's process, never signalled`;
        return { kind: 'stale', reason, evidence: { ...base, reason: 'not-spawned-here' } };
      }
      const why = obs.observed.bootId !== a.bootId ? 'machine rebooted (boot id differs)' : 'start time differs';
      return { kind: 'stale', reason: `pid ${a.pid} was reused: ${why}`, evidence: { ...base, reason: 'pid-reused' } };
    }
  }
}

/** A stop in progress whose signals were cut short by our absence needs resuming. */
export function stopNeedsResume(run: RunState, a: AttemptState, now: number): 'signal' | 'kill' | null {
  if (!run.stop) return null;
  const sinceStop = a.signals.filter((s) => s.at >= run.stop!.requestedAt);
  if (now >= Date.parse(run.stop.escalateAt)) return sinceStop.some((s) => s.signal === 'SIGKILL') ? null : 'kill';
  return sinceStop.length === 0 ? 'signal' : null;
}
