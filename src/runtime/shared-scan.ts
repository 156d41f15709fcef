/**
 * One expensive read shared by every caller that asks at about the same
 * time, without ever answering with a result older than the question: a
 * caller joins the next scan that *starts* after it asked. While scan N
 * runs, everyone who arrives waits for it to end and then shares scan N+1.
 * So at most one scan runs at a time, and a burst of 1,000 questions costs
 * two scans, not 1,000.
 */

export interface SharedScan<T> {
  /** The result of a scan that began after this call. */
  fresh(): Promise<T>;
}

export function createSharedScan<T>(scan: () => Promise<T>): SharedScan<T> {
  let running: Promise<unknown> | undefined;
  let next: Promise<T> | undefined;
  return {
    fresh() {
      if (next) return next;
      const start = (): Promise<T> => {
        next = undefined;
        const result = scan();
        running = result.then(
          () => (running = undefined),
          () => (running = undefined),
        );
        return result;
      };
      if (!running) return start();
      // Queue behind the scan in flight; everyone arriving until it ends shares this one.
      next = running.then(start);
      return next;
    },
  };
}
