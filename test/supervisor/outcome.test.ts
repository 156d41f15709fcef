import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import type { StopReason } from '../../src/events/schemas.js';
import { decideAfterAttempt, type AttemptEnd } from '../../src/supervisor/outcome.js';
import { given, requested, spawned, spec, T0 } from './given.js';

const NOW = T0 + 60_000;
const stopped = (reason: StopReason): RunledgerEvent => ({
  type: 'StopRequested',
  data: { reason, signal: 'SIGTERM', graceMs: 1000, force: false, escalateAt: new Date(T0 + 3000).toISOString() },
});
const notReady: RunledgerEvent = { type: 'ReadinessFailed', data: { attempt: 1, reason: 'timeout', message: 'not ready', stderrTail: [] } };
const end = (exitCode: number | null, signal: string | null = null, extra: Partial<AttemptEnd> = {}): AttemptEnd => ({
  attempt: 1,
  exitCode,
  signal,
  startedAtMs: T0 + 1000,
  endedAtMs: NOW,
  ...extra,
});

describe('decideAfterAttempt: what an attempt end means for its run', () => {
  it.each<[string, RunledgerEvent[], AttemptEnd, Record<string, unknown>]>([
    ['no policy, exit 0 -> completed', [], end(0), { type: 'RunEnded', data: { status: 'completed', reason: 'exited with code 0' } }],
    ['no policy, exit 2 -> failed', [], end(2), { type: 'RunEnded', data: { status: 'failed', exitCode: 2 } }],
    [
      'user stop, ended by its signal -> stopped',
      [stopped('user')],
      end(null, 'SIGTERM'),
      { type: 'RunEnded', data: { status: 'stopped', reason: expect.stringMatching(/^stopped \(user\); /) } },
    ],
    ['user stop, exit 0 -> stopped', [stopped('user')], end(0), { type: 'RunEnded', data: { status: 'stopped', exitCode: 0 } }],
    ['user stop, exit 3 -> stopped (code kept)', [stopped('user')], end(3), { type: 'RunEnded', data: { status: 'stopped', exitCode: 3 } }],
    ['user stop, SIGKILL -> killed', [stopped('user')], end(null, 'SIGKILL'), { type: 'RunEnded', data: { status: 'killed' } }],
    ['user stop, another signal -> killed', [stopped('user')], end(null, 'SIGSEGV'), { type: 'RunEnded', data: { status: 'killed' } }],
    [
      'user stop after an escalation SIGKILL -> killed',
      [
        stopped('user'),
        { type: 'SignalSent', data: { attempt: 1, signal: 'SIGKILL', target: 'group', pid: 4242, pgid: 4242, reason: 'escalation' } },
      ],
      end(3),
      { type: 'RunEnded', data: { status: 'killed' } },
    ],
    ['shutdown stop -> stopped', [stopped('shutdown')], end(null, 'SIGTERM'), { type: 'RunEnded', data: { status: 'stopped' } }],
    ['interrupt stop -> interrupted', [stopped('interrupt')], end(null, 'SIGINT'), { type: 'RunEnded', data: { status: 'interrupted' } }],
    [
      'manual restart stop -> the next attempt at once',
      [stopped('restart')],
      end(null, 'SIGTERM'),
      { type: 'RestartScheduled', data: { nextAttempt: 2, delayMs: 0 } },
    ],
    [
      'readiness stop, no policy -> failed (a failed attempt, not a user stop)',
      [notReady, stopped('readiness')],
      end(null, 'SIGTERM'),
      { type: 'RunEnded', data: { status: 'failed', reason: expect.stringMatching(/^stopped \(readiness\); /) } },
    ],
    [
      'a finding (stale) -> ends stale, never restarted',
      [],
      end(null, null, { finding: 'stale', note: 'pid reused' }),
      { type: 'RunEnded', data: { status: 'stale' } },
    ],
  ])('%s', (_, history, attemptEnd, expected) => {
    const events = decideAfterAttempt(given(requested(), spawned(), ...history), attemptEnd, NOW);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(expected);
  });

  it('a readiness stop under on-failure is a failure the policy restarts', () => {
    const run = given(requested(spec({ restart: 'on-failure' })), spawned(), notReady, stopped('readiness'));
    expect(decideAfterAttempt(run, end(null, 'SIGTERM'), NOW)[0]).toMatchObject({ type: 'RestartScheduled', data: { nextAttempt: 2 } });
  });

  it('a timeout stop says how long the run was allowed', () => {
    const run = given(requested(spec({ timeout: '30s' })), spawned(), stopped('timeout'));
    expect(decideAfterAttempt(run, end(null, 'SIGTERM'), NOW)[0]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'timeout', reason: expect.stringMatching(/^timed out after 30s; /) },
    });
  });

  it('on-failure with no restarts left -> failed, saying the limit', () => {
    const run = given(requested(spec({ restart: { policy: 'on-failure', maxRestarts: 0 } })), spawned());
    expect(decideAfterAttempt(run, end(1), NOW)[0]).toMatchObject({
      type: 'RunEnded',
      data: { status: 'failed', reason: expect.stringContaining('reached max restarts (0)') },
    });
  });
});
