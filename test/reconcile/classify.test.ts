import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { classifyAttempt, stopNeedsResume } from '../../src/reconcile/classify.js';
import type { Observation } from '../../src/runtime/adapter.js';
import { given, requested, spawned, T0 } from '../supervisor/given.js';

const CHECKED = '2026-01-01T00:01:00.000Z';
const live = given(requested(), spawned(1, 101));
const a = live.attempts[0]!;
const identity = { pid: 101, pgid: 101, startTime: '1001', bootId: 'boot-a' };

describe('classifyAttempt: what the machine says about a live attempt', () => {
  it.each<[string, Observation, Record<string, unknown>]>([
    [
      'alive, same identity -> adopt',
      { state: 'alive', observed: identity },
      { kind: 'adopt', evidence: { reason: 'alive-identity-match' } },
    ],
    [
      'gone with an exit record -> recovered with the real code',
      { state: 'gone', exit: { exitCode: 3, signal: null, exitedAt: '2026-01-01T00:00:30.000Z' }, observed: { pid: 101, zombie: false } },
      { kind: 'recovered', exitCode: 3, signal: null, exitedAt: '2026-01-01T00:00:30.000Z', evidence: { reason: 'exit-record' } },
    ],
    [
      'gone without a record -> unknown',
      { state: 'gone', observed: { pid: 101, zombie: false } },
      { kind: 'unknown', reason: 'process gone and left no exit record' },
    ],
    [
      'a zombie without a record -> unknown, saying so',
      { state: 'gone', observed: { pid: 101, zombie: true } },
      { kind: 'unknown', reason: 'process is a zombie and left no exit record' },
    ],
    [
      'pid alive with another start time -> stale',
      { state: 'reused', observed: { pid: 101, startTime: '9999', bootId: 'boot-a' } },
      { kind: 'stale', reason: 'pid 101 was reused: start time differs' },
    ],
    [
      'pid alive after a reboot -> stale',
      { state: 'reused', observed: { pid: 101, startTime: '1001', bootId: 'boot-b' } },
      { kind: 'stale', reason: 'pid 101 was reused: machine rebooted (boot id differs)' },
    ],
    [
      'the recorded process, alive, but never spawned from this home -> stale, never signalled',
      { state: 'reused', observed: { pid: 101, startTime: '1001', bootId: 'boot-a' }, notSpawnedHere: true },
      { kind: 'stale', reason: expect.stringContaining('this home never spawned it'), evidence: { reason: 'not-spawned-here' } },
    ],
  ])('%s', (_, obs, expected) => {
    const finding = classifyAttempt(a, obs, CHECKED);
    expect(finding).toMatchObject(expected);
    // The evidence names what the log expected, what was observed and when.
    expect(finding.evidence).toMatchObject({ expected: identity, observed: obs.observed, checkedAt: CHECKED });
  });
});

describe('stopNeedsResume: a stop our absence cut short', () => {
  const stop = (escalateInMs: number): RunledgerEvent => ({
    type: 'StopRequested',
    data: {
      reason: 'user',
      signal: 'SIGTERM',
      graceMs: escalateInMs,
      force: false,
      escalateAt: new Date(T0 + 2000 + escalateInMs).toISOString(),
    },
  });
  const sent = (signal: string): RunledgerEvent => ({
    type: 'SignalSent',
    data: { attempt: 1, signal, target: 'group', pid: 101, pgid: 101, reason: 'stop' },
  });
  const at = (run: ReturnType<typeof given>) => stopNeedsResume(run, run.attempts[0]!, T0 + 10_000);

  it.each<[string, RunledgerEvent[], 'signal' | 'kill' | null]>([
    ['no stop -> nothing', [], null],
    ['stop requested, no signal, grace left -> send the signal', [stop(60_000)], 'signal'],
    ['stop requested and signalled, grace left -> nothing', [stop(60_000), sent('SIGTERM')], null],
    ['grace over, never killed -> kill', [stop(1000), sent('SIGTERM')], 'kill'],
    ['grace over and killed -> nothing', [stop(1000), sent('SIGTERM'), sent('SIGKILL')], null],
  ])('%s', (_, events, expected) => {
    expect(at(given(requested(), spawned(1, 101), ...events))).toBe(expected);
  });
});

const AT = '2026-01-01T00:01:00.000Z';
const gone = { state: 'gone', observed: { pid: 101, zombie: false } } as const;

describe('classifyAttempt', () => {
  it('a process gone without a record is unknown: "no exit record"', () => {
    const a = given(requested(), spawned()).attempts[0]!;
    expect(classifyAttempt(a, gone, AT)).toMatchObject({
      kind: 'unknown',
      reason: 'process gone and left no exit record',
      evidence: { reason: 'gone-no-exit-record' },
    });
  });

  it('after ShimLost, the same finding says the code is unknown because the shim was lost', () => {
    const lost = { type: 'ShimLost', data: { attempt: 1, shimPid: 99, childPid: 101, evidence: { shimState: 'gone' } } } as const;
    const a = given(requested(), spawned(), lost).attempts[0]!;
    expect(classifyAttempt(a, gone, AT)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('code unknown (shim lost)'),
      evidence: { reason: 'gone-after-shim-lost' },
    });
  });

  it('with almost no free space where the record belongs, the finding says the disk is full and shows the space', () => {
    const a = given(requested(), spawned()).attempts[0]!;
    const full = classifyAttempt(a, { ...gone, recordSpace: { freeBytes: 0, placeholderLeft: false } }, AT);
    expect(full).toMatchObject({
      kind: 'unknown',
      reason: 'process gone and left no exit record; its disk is full (0 bytes free)',
      evidence: { recordSpace: { freeBytes: 0 } },
    });
    const roomy = classifyAttempt(a, { ...gone, recordSpace: { freeBytes: 10 ** 9, placeholderLeft: true } }, AT);
    expect(roomy).toMatchObject({ reason: 'process gone and left no exit record', evidence: { recordSpace: { placeholderLeft: true } } });
  });

  it("a recorded exit is recovered with the shim's exitedAt", () => {
    const a = given(requested(), spawned()).attempts[0]!;
    const exit = { exitCode: 7, signal: null, exitedAt: '2026-01-01T00:00:30.000Z' };
    expect(classifyAttempt(a, { ...gone, exit }, AT)).toMatchObject({ kind: 'recovered', exitCode: 7, exitedAt: exit.exitedAt });
  });
});
