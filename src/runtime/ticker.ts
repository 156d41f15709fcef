/**
 * One interval shared by every watcher that wants the same period: with 100
 * supervised runs the safety nets cost one timer, not one per attempt, and
 * their checks run in one burst instead of waking the loop all the time.
 */

export interface Ticker {
  /** Call `fn` every period until the returned function is called. */
  add(fn: () => void): () => void;
}

/** A ticker whose interval exists only while something is registered. */
export function createTicker(periodMs: number): Ticker {
  const callbacks = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    for (const callback of callbacks) callback();
  };
  return {
    add(fn) {
      // A fresh entry per call, so adding the same function twice needs two removals.
      const entry = (): void => fn();
      callbacks.add(entry);
      timer ??= setInterval(tick, periodMs);
      return () => {
        callbacks.delete(entry);
        if (callbacks.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
