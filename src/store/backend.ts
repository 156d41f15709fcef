/**
 * What a storage engine must provide so the shared ledger core
 * (ledger.ts) can run on it. The core owns every rule — validation,
 * expected versions, idempotency, hashing, group commit, decoding — so the
 * LevelDB and in-memory ledgers cannot drift apart; a backend only stores
 * and finds records.
 */
import type { Head } from './event-store.js';

/** One event ready to be stored: `json` is the exact stored form the hash covers. */
export interface StoredRecord {
  position: number;
  streamId: string;
  streamVersion: number;
  id: string;
  json: string;
}

/** A record as read back: `position` comes from its key, `json` is untouched. */
export interface RawRecord {
  position: number;
  json: string;
}

export interface LoadedHead {
  head: Head;
  /** Set when the head record and the log disagree (e.g. a truncated log). */
  damage?: { position: number; reason: string };
}

export type Direction = 'forwards' | 'backwards';

export interface LedgerBackend {
  loadHead(): Promise<LoadedHead>;
  /** Position of each id, or undefined where the id is not stored. */
  findIds(ids: readonly string[]): Promise<(number | undefined)[]>;
  /** Event count of a stream (0 when absent). */
  findStreamVersion(streamId: string): Promise<number>;
  /** Store records and the new head atomically and durably. */
  write(records: readonly StoredRecord[], head: Head): Promise<void>;
  /** Up to `limit` records from position `from` (inclusive) in `direction`. */
  readLog(from: number, direction: Direction, limit: number): Promise<RawRecord[]>;
  readPositions(positions: readonly number[]): Promise<(RawRecord | undefined)[]>;
  /** Positions of a stream's events from `fromVersion` (inclusive) in `direction`. */
  findStreamPositions(streamId: string, fromVersion: number, direction: Direction, limit: number): Promise<number[]>;
  /** Pages of records in position order; does not hold the log in memory. */
  scanLog(from: number, pageSize: number): AsyncIterable<RawRecord[]>;
  /** Index entries for verify: the position each (stream, version) and each id points to. */
  findIndexEntries(
    records: readonly { streamId: string; streamVersion: number; id: string }[],
  ): Promise<{ streams: (number | undefined)[]; ids: (number | undefined)[] }>;
  readSnapshot(name: string): Promise<string | undefined>;
  writeSnapshot(name: string, json: string): Promise<void>;
  close(): Promise<void>;
}
