/** The wait fold: readiness per attempt, a readiness failure or an early end as verdicts, exit on RunEnded. */
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { evolveWait, initialWaitState, verdictOf, type WaitFor } from '../../src/mcp/wait-state.js';

const ev = (type: string, data: Record<string, unknown>): EventEnvelope => ({ type, data }) as unknown as EventEnvelope;
const requested = (ready: unknown) => ev('RunRequested', { spec: { ready } });
const spawned = (attempt: number) => ev('ProcessSpawned', { attempt });
const fold = (events: EventEnvelope[]) => events.reduce(evolveWait, initialWaitState());
const verdict = (target: WaitFor, events: EventEnvelope[]) => verdictOf(target, fold(events));

describe('wait verdicts', () => {
  it('ready: a run without a check is ready once spawned; with one, at its ProcessReady', () => {
    expect(verdict('ready', [requested(null), spawned(1)])).toEqual({ met: true });
    expect(verdict('ready', [requested({ line: 'x' }), spawned(1)])).toBeNull();
    expect(verdict('ready', [requested({ line: 'x' }), spawned(1), ev('ProcessReady', { attempt: 1 })])).toEqual({ met: true });
  });

  it('ready is per attempt: an earlier attempt having been ready does not count', () => {
    const events = [requested({ line: 'x' }), spawned(1), ev('ProcessReady', { attempt: 1 }), spawned(2)];
    expect(verdict('ready', events)).toBeNull();
  });

  it('ready fails on a readiness failure (with its stderr tail) or when the run ended first', () => {
    const failed = [
      requested({ line: 'x' }),
      spawned(1),
      ev('ReadinessFailed', { attempt: 1, reason: 'exited', message: 'm', stderrTail: ['boom'] }),
    ];
    expect(verdict('ready', failed)).toEqual({ met: false, why: 'readiness-failed' });
    expect(fold(failed).readinessFailure?.stderrTail).toEqual(['boom']);
    const ended = [
      requested({ line: 'x' }),
      spawned(1),
      ev('RunEnded', { status: 'killed', reason: 'r', exitCode: null, signal: 'SIGTERM' }),
    ];
    expect(verdict('ready', ended)).toEqual({ met: false, why: 'ended' });
  });

  it('exit: met at RunEnded only, with its code', () => {
    expect(verdict('exit', [requested(null), spawned(1)])).toBeNull();
    const events = [requested(null), spawned(1), ev('RunEnded', { status: 'failed', reason: 'r', exitCode: 3, signal: null })];
    expect(verdict('exit', events)).toEqual({ met: true });
    expect(fold(events).ended?.exitCode).toBe(3);
  });
});
