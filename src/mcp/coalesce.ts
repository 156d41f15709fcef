/**
 * Coalesce a burst of pokes into one call, `ms` after the first of them: a
 * run requested, spawned and ended within moments is one change to tell
 * (resource-list.ts), and a burst of log lines one resource update
 * (resources.ts).
 */
export interface Coalesced {
  poke(): void;
  /** Drop a pending call (on shutdown). */
  cancel(): void;
}

export function coalesce(fn: () => void, ms: number): Coalesced {
  let timer: NodeJS.Timeout | undefined;
  return {
    poke() {
      timer ??= setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
