/**
 * The streams index holds one entry per append call (first version, first
 * position, count), as in the LevelDB layout. Expanding entries into
 * positions is pure; entries that overlap or leave a hole are damage.
 */
import { RunledgerError } from '../errors.js';
import type { StreamIndexEntry } from '../store/keys.js';

/** Positions from `fromVersion` in `direction`, up to `limit`; `entries` are in that direction's order. */
export function expandStreamEntries(
  streamId: string,
  entries: readonly StreamIndexEntry[],
  fromVersion: number,
  direction: 'forwards' | 'backwards',
  limit: number,
): number[] {
  const out: number[] = [];
  let expected: number | undefined;
  for (const e of entries) {
    const last = e.firstVersion + e.count - 1;
    if (expected !== undefined && (direction === 'forwards' ? e.firstVersion : last) !== expected) {
      throw new RunledgerError('CORRUPT_LEDGER', `stream index of ${streamId} does not tile at version ${expected}`, { streamId });
    }
    if (direction === 'forwards') {
      for (let v = Math.max(fromVersion, e.firstVersion); v <= last && out.length < limit; v++) out.push(e.position + v - e.firstVersion);
      expected = last + 1;
    } else {
      for (let v = Math.min(fromVersion, last); v >= e.firstVersion && out.length < limit; v--) out.push(e.position + v - e.firstVersion);
      expected = e.firstVersion - 1;
    }
    if (out.length >= limit) break;
  }
  return out;
}
