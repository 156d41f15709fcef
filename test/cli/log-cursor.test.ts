import { describe, expect, it } from 'vitest';
import { advanceLogCursor, withoutSeq } from '../../src/cli/log-cursor.js';

describe('advanceLogCursor', () => {
  it('follows each stream of an attempt, and starts over with the next attempt', () => {
    let c = advanceLogCursor(undefined, { stream: 'stdout', line: 'a', attempt: 1, seq: 1 });
    expect(c).toEqual({ attempt: 1, stdout: 1, stderr: 0 });
    c = advanceLogCursor(c, { stream: 'stderr', line: 'b', attempt: 1, seq: 4 });
    expect(c).toEqual({ attempt: 1, stdout: 1, stderr: 4 });
    c = advanceLogCursor(c, { stream: 'stdout', line: 'c', attempt: 2, seq: 1 });
    expect(c).toEqual({ attempt: 2, stdout: 1, stderr: 0 });
  });

  it('an unnumbered line leaves it alone; the number is not shown', () => {
    const c = { attempt: 1, stdout: 2, stderr: 0 };
    expect(advanceLogCursor(c, { stream: 'stdout', line: 'x' })).toBe(c);
    expect(withoutSeq({ stream: 'stdout', line: 'x', attempt: 1, seq: 3 })).toEqual({ stream: 'stdout', line: 'x', attempt: 1 });
  });
});
