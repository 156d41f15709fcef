/**
 * `stopped` vs `killed` (issue 12): the pure rule, and old ledgers (RunEnded
 * v1 said `killed` for every user stop) folding to the same words a new
 * ledger records, without rewriting anything.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { foldRuns } from '../../src/projections/runs.js';
import { stopOutcome } from '../../src/projections/stop-outcome.js';
import { timelineOf } from '../../src/projections/timeline.js';
import { readNdjsonLog } from '../../src/store/ndjson.js';
import { exited, logOf, requested, RUN_A, spawned, stopRequested } from '../support/run-events.js';

const stop = { signal: 'SIGTERM', force: false, requestedAt: '2025-01-01T00:00:10.000Z' };
const live = { endedAt: null, signals: [] };

describe('stopOutcome', () => {
  it.each([
    ['exit 0 after the stop signal', live, { exitCode: 0, signal: null }, 'stopped'],
    ['an exit code after the stop signal (kept as detail)', live, { exitCode: 143, signal: null }, 'stopped'],
    ['ended by the stop signal', live, { exitCode: null, signal: 'SIGTERM' }, 'stopped'],
    ['code unknown (shim lost)', live, { exitCode: null, signal: null }, 'stopped'],
    ['ended by SIGKILL', live, { exitCode: null, signal: 'SIGKILL' }, 'killed'],
    ['ended by a signal from outside', live, { exitCode: null, signal: 'SIGSEGV' }, 'killed'],
    [
      'an escalation SIGKILL after the stop, even if the leader exited 0',
      { endedAt: null, signals: [{ signal: 'SIGKILL', target: 'group', at: '2025-01-01T00:00:20.000Z' }] },
      { exitCode: 0, signal: null },
      'killed',
    ],
    [
      'a SIGKILL before this stop (an earlier stop) does not count',
      { endedAt: null, signals: [{ signal: 'SIGKILL', target: 'group', at: '2025-01-01T00:00:01.000Z' }] },
      { exitCode: null, signal: 'SIGTERM' },
      'stopped',
    ],
    ['nothing ran (pending)', undefined, { exitCode: null, signal: null }, 'stopped'],
    [
      'in restart backoff: the last attempt ended before the stop',
      { endedAt: '2025-01-01T00:00:05.000Z', signals: [] },
      { exitCode: null, signal: null },
      'stopped',
    ],
  ] as const)('%s -> %s', (_what, attempt, exit, want) => {
    expect(stopOutcome({ stop, attempt: attempt as never, exit })).toBe(want);
  });

  it('a forced stop is killed', () => {
    expect(
      stopOutcome({ stop: { ...stop, signal: 'SIGKILL', force: true }, attempt: live, exit: { exitCode: null, signal: 'SIGKILL' } }),
    ).toBe('killed');
  });
});

const v1Killed = (exitCode: number | null, signal: string | null, reason = 'stopped (user)'): RunledgerEvent => ({
  type: 'RunEnded',
  data: { status: 'killed', reason, exitCode, signal },
});

describe('old ledgers: a v1 `killed` after a stop folds as a new ledger would record it', () => {
  it.each<[string, RunledgerEvent[], string]>([
    ['graceful exit 0', [spawned(), stopRequested(), exited(1, 0), v1Killed(0, null)], 'stopped'],
    ['ended by SIGTERM', [spawned(), stopRequested(), exited(1, null, 'SIGTERM'), v1Killed(null, 'SIGTERM')], 'stopped'],
    ['needed SIGKILL', [spawned(), stopRequested(), exited(1, null, 'SIGKILL'), v1Killed(null, 'SIGKILL')], 'killed'],
    [
      'stopped during restart backoff',
      [spawned(), exited(1, 1), stopRequested(), v1Killed(null, null, 'stopped (user) before a process was running')],
      'stopped',
    ],
  ])('%s -> %s', (_what, events, want) => {
    const log = logOf([[RUN_A, requested()], ...events.map((e) => [RUN_A, e] as [string, RunledgerEvent])]);
    const state = foldRuns(log);
    expect(state.anomalies).toEqual([]);
    expect(state.runs.get(RUN_A)!.status).toBe(want);
    // The timeline says the same word as the status.
    expect(timelineOf(log).at(-1)!.text).toMatch(new RegExp(`^run ended: ${want} `));
  });

  it('fixtures/ledger-v1.ndjson: the user-stopped run (SIGTERM) reads stopped, the completed one completed', async () => {
    const text = await readFile(new URL('../../fixtures/ledger-v1.ndjson', import.meta.url), 'utf8');
    const { events } = await readNdjsonLog(text);
    const state = foldRuns(events);
    expect(state.anomalies).toEqual([]);
    expect([...state.runs.values()].map((r) => r.status).sort()).toEqual(['completed', 'stopped']);
  });
});
