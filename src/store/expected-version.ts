/** Optimistic concurrency, as in EventStoreDB: the caller states what it believes the stream's version is. */
import { WrongExpectedVersionError } from '../errors.js';
import type { ExpectedVersion } from './event-store.js';

export function matchesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'exists':
      return actual >= 1;
    default:
      return actual === expected;
  }
}

/** Throws WrongExpectedVersionError carrying both versions so the caller can re-read and retry. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (!matchesExpectedVersion(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
}
