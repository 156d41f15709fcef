import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from '../../src/mcp/coalesce.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('coalesce', () => {
  it('calls once for a burst of pokes, after the window', () => {
    const fn = vi.fn();
    const c = coalesce(fn, 100);
    for (let i = 0; i < 5; i++) c.poke();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a poke after the call arms the next one', () => {
    const fn = vi.fn();
    const c = coalesce(fn, 100);
    c.poke();
    vi.advanceTimersByTime(100);
    c.poke();
    c.poke();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('cancel drops the pending call', () => {
    const fn = vi.fn();
    const c = coalesce(fn, 100);
    c.poke();
    c.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
