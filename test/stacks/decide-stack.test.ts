import { describe, expect, it } from 'vitest';
import { decideDependencyFailed, decideStackApplied, stackStreamId } from '../../src/stacks/decide-stack.js';

const applied = { stack: 's', file: '/a/runledger.yaml', action: 'up' as const, specHash: 'h', started: [], restarted: [], stopped: [] };

describe('stack decider', () => {
  it('records StackApplied only when something changed (up twice appends nothing)', () => {
    expect(decideStackApplied(applied)).toEqual([]);
    expect(decideStackApplied({ ...applied, started: ['web'] })).toEqual([
      { type: 'StackApplied', data: { ...applied, started: ['web'] } },
    ]);
  });

  it('caps the stderr tail of a failed dependency', () => {
    const [e] = decideDependencyFailed({
      stack: 's',
      process: 'api',
      dependency: 'db',
      condition: 'ready',
      dependencyRunId: null,
      reason: 'timeout',
      message: 'm',
      stderrTail: Array.from({ length: 100 }, (_, i) => `line ${i}`),
    });
    const tail = (e!.data as { stderrTail: string[] }).stderrTail;
    // The evidence caps keep the last 20 lines and a line saying what was cut.
    expect(tail.length).toBeLessThanOrEqual(21);
    expect(tail).toContain('line 99');
    expect(tail).not.toContain('line 0');
    expect(stackStreamId('shop')).toBe('stack-shop');
  });
});
