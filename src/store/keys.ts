/**
 * The ledger's key layout. Keys are zero-padded decimals so LevelDB's
 * lexicographic order is numeric order; stream keys put a NUL between the
 * stream id and its version so one stream's keys form one contiguous range.
 */
import { RunledgerError } from '../errors.js';

export const KEY_WIDTH = 16;
export const MAX_STREAM_ID_LENGTH = 200;

/** Sublevel names; the on-disk prefix of each is `!name!`. */
export const SUBLEVELS = { log: 'log', streams: 'streams', ids: 'ids', snapshots: 'snapshots', meta: 'meta' } as const;

export const HEAD_KEY = 'head';

export function padNumber(n: number): string {
  return String(n).padStart(KEY_WIDTH, '0');
}

export function streamKey(streamId: string, version: number): string {
  return `${streamId}\x00${padNumber(version)}`;
}

/** Bounds that cover every version of one stream (and nothing of a stream whose id extends it). */
export function streamKeyRange(streamId: string): { gt: string; lt: string } {
  return { gt: `${streamId}\x00`, lt: `${streamId}\x01` };
}

export function parseStreamKeyVersion(key: string): number {
  return Number(key.slice(key.lastIndexOf('\x00') + 1));
}

/** A caller's stream id is checked at the door: it becomes part of a key. */
export function assertValidStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new RunledgerError('INVALID_EVENT', 'stream id must be a non-empty string', { streamId });
  }
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new RunledgerError('INVALID_EVENT', `stream id is longer than ${MAX_STREAM_ID_LENGTH} characters`, {
      length: streamId.length,
    });
  }
  if (streamId.includes('\x00')) {
    throw new RunledgerError('INVALID_EVENT', 'stream id must not contain NUL', { streamId });
  }
}
