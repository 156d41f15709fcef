/**
 * Time is injected everywhere above the OS so the simulator can drive it.
 * `setTimer` returns a handle; timers never keep a closing process alive
 * longer than the owner wants (the real clock unrefs them on request).
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
