/** decideTreeReaped: given a run, when its leftovers were reaped or kept, then one TreeReaped (or none). */
import { describe, expect, it } from 'vitest';
import type { RunledgerEvent } from '../../src/events/envelope.js';
import { decideTreeReaped, type TreeReapedCommand } from '../../src/supervisor/decide-tree.js';
import { exited, given, requested, spawned } from './given.js';

const cmd = (over: Partial<TreeReapedCommand> = {}): TreeReapedCommand => ({
  attempt: 1,
  pids: [{ pid: 501, command: 'sleep' }],
  signal: 'SIGTERM',
  kept: false,
  survivors: [],
  tracking: 'cgroup',
  ...over,
});

describe('decideTreeReaped', () => {
  it('records what was reaped, with the signal it took', () => {
    expect(decideTreeReaped(given(requested(), spawned(1)), cmd())).toEqual([
      {
        type: 'TreeReaped',
        data: { attempt: 1, pids: [{ pid: 501, command: 'sleep' }], signal: 'SIGTERM', survivors: [], tracking: 'cgroup' },
      },
    ]);
  });

  it('records kept leftovers as kept, with no signal', () => {
    const [event] = decideTreeReaped(given(requested(), spawned(1)), cmd({ kept: true, signal: null }));
    expect(event).toMatchObject({ type: 'TreeReaped', data: { kept: true, signal: null } });
  });

  it('records survivors even when nothing else was found', () => {
    const [event] = decideTreeReaped(
      given(requested(), spawned(1)),
      cmd({ pids: [], survivors: [{ pid: 9, command: 'x' }], tracking: 'process-group' }),
    );
    expect(event).toMatchObject({ data: { survivors: [{ pid: 9, command: 'x' }], tracking: 'process-group' } });
  });

  it('records nothing for an empty tree, an attempt already recorded, or an ended run', () => {
    expect(decideTreeReaped(given(requested(), spawned(1)), cmd({ pids: [] }))).toEqual([]);
    const reaped = decideTreeReaped(given(requested(), spawned(1)), cmd())[0] as RunledgerEvent;
    expect(decideTreeReaped(given(requested(), spawned(1), reaped), cmd())).toEqual([]);
    const ended: RunledgerEvent = {
      type: 'RunEnded',
      data: { status: 'completed', reason: 'exited with code 0', exitCode: 0, signal: null },
    };
    expect(decideTreeReaped(given(requested(), spawned(1), exited(1, 0), ended), cmd())).toEqual([]);
  });
});
