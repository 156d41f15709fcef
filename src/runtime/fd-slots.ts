/**
 * A cap on the files the runtime holds open at once. A daemon with 1,000
 * runs sees bursts (1,000 exits in one second, a stop of every run) in which
 * each run opens a log, its exit record and /proc files: unbounded, that is
 * thousands of descriptors at the same instant and EMFILE under an ordinary
 * `ulimit -n 1024`. Only leaf operations (open, read, close; no nested slot)
 * take a slot, so a holder never waits for another slot and cannot deadlock.
 */

/** How many leaf file operations may run at once across the whole runtime. */
export const FD_SLOTS = 64;

export interface Slots {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** A counting semaphore: at most `size` calls of `run` are inside `fn` at a time, the rest wait in order. */
export function createSlots(size: number): Slots {
  let free = size;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    async run(fn) {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}

/** The runtime's shared slots for descriptors. */
export const fdSlots = createSlots(FD_SLOTS);
