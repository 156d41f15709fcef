/**
 * The ledger's key layout (version 2, see README). Keys are zero-padded
 * decimals so LevelDB's lexicographic order is numeric order; stream keys put
 * a NUL between the stream id and a version so one stream's keys form one
 * contiguous range. The streams index has one entry per append call, keyed by
 * the call's first stream version (its events have consecutive versions and
 * consecutive positions), so it costs one key per call instead of one per event.
 */
import { RunledgerError } from '../errors.js';

export const KEY_WIDTH = 16;
export const MAX_STREAM_ID_LENGTH = 200;

/** Sublevel names; the on-disk prefix of each is `!name!`. */
export const SUBLEVELS = { log: 'log', streams: 'streams', ids: 'ids', snapshots: 'snapshots', meta: 'meta' } as const;

export const HEAD_KEY = 'head';
/** `!meta!layout`: the key layout version below; a ledger with another (or none) is refused on open. */
export const LAYOUT_KEY = 'layout';
export const LAYOUT_VERSION = '2';

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

/** One streams index entry: `count` events from `firstVersion`, at positions from `position`. */
export interface StreamIndexEntry {
  firstVersion: number;
  position: number;
  count: number;
}

export function encodeStreamIndexValue(position: number, count: number): string {
  return `{"position":${position},"count":${count}}`;
}

/** Parses an entry's value; a malformed one yields NaN fields (verify reports it, reads refuse it). */
export function decodeStreamIndexValue(firstVersion: number, value: string): StreamIndexEntry {
  try {
    const v = JSON.parse(value) as { position?: unknown; count?: unknown } | null;
    if (
      v !== null &&
      typeof v === 'object' &&
      Number.isSafeInteger(v.position) &&
      Number.isSafeInteger(v.count) &&
      (v.count as number) > 0
    ) {
      return { firstVersion, position: v.position as number, count: v.count as number };
    }
  } catch {
    // fall through
  }
  return { firstVersion, position: NaN, count: NaN };
}

export function isWellFormedEntry(e: StreamIndexEntry): boolean {
  return Number.isSafeInteger(e.firstVersion) && e.firstVersion >= 1 && Number.isSafeInteger(e.position) && e.position >= 1 && e.count >= 1;
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
  assertWellFormedStreamId(streamId);
}

/** A lone surrogate (matched only when unpaired, thanks to the u flag). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Stream ids must be well-formed UTF-16, i.e. encodable as UTF-8: LevelDB's
 * utf8 keys turn every lone surrogate into U+FFFD, so two different ids
 * would share one stream there but not in memory. Reads check it too, so
 * both backends answer the same for such an id.
 */
export function assertWellFormedStreamId(streamId: string): void {
  if (LONE_SURROGATE.test(streamId)) {
    throw new RunledgerError('INVALID_STREAM_ID', 'stream id is not well-formed Unicode (it contains a lone surrogate)', {
      streamId: JSON.stringify(streamId),
    });
  }
}
