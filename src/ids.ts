/** Id generation is injected so simulated runs are reproducible. */
import { monotonicFactory } from 'ulid';

export interface IdGenerator {
  /** A new ULID. Monotonic within one generator. */
  next(): string;
}

/** ULIDs from the given clock; monotonic so ids sort in creation order even within one millisecond. */
export function ulidGenerator(now: () => number = Date.now): IdGenerator {
  const factory = monotonicFactory();
  return { next: () => factory(now()) };
}
