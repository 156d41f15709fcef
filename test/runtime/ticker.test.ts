import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTicker } from '../../src/runtime/ticker.js';

describe('shared ticker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drives every callback from one interval, which exists only while something is registered', () => {
    vi.useFakeTimers();
    const ticker = createTicker(1000);
    const calls: string[] = [];
    expect(vi.getTimerCount()).toBe(0);
    const removeA = ticker.add(() => calls.push('a'));
    const removeB = ticker.add(() => calls.push('b'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['a', 'b']);
    removeA();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['a', 'b', 'b']);
    removeB();
    expect(vi.getTimerCount()).toBe(0);
    ticker.add(() => calls.push('c'));
    expect(vi.getTimerCount()).toBe(1);
  });

  it('counts the same function added twice as two registrations', () => {
    vi.useFakeTimers();
    const ticker = createTicker(10);
    let n = 0;
    const fn = (): void => void n++;
    const first = ticker.add(fn);
    const second = ticker.add(fn);
    vi.advanceTimersByTime(10);
    expect(n).toBe(2);
    first();
    first(); // removing twice is harmless
    vi.advanceTimersByTime(10);
    expect(n).toBe(3);
    second();
    expect(vi.getTimerCount()).toBe(0);
  });
});
