/**
 * What a storage engine must provide so the shared ledger core
 * (ledger.ts) can run on it. The core owns every rule — validation,
 * expected versions, idempotency, hashing, group commit, decoding — so the
 * LevelDB and in-memory ledgers cannot drift apart; a backend only stores
 * and finds records.
 */
import type { AppendOrigin, Head } from './event-store.js';
import type { StreamIndexEntry } from './keys.js';

/**
 * One append call ready to be stored: its events have consecutive positions
 * from `firstPosition` and consecutive stream versions from `firstVersion`.
 * `jsons[i]` is the exact stored form event i's hash covers; `ids[i]` its id.
 */
export interface StoredAppend {
  streamId: string;
  firstVersion: number;
  firstPosition: number;
  ids: string[];
  jsons: string[];
  /** Provenance of each event (AppendOptions.origin), for backends that store it. */
  origin?: AppendOrigin;
}

export type { StreamIndexEntry };

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
  /** Store the appends (log, one streams index entry per append, ids) and the new head atomically and durably. */
  write(appends: readonly StoredAppend[], head: Head): Promise<void>;
  /** Up to `limit` records from position `from` (inclusive) in `direction`. */
  readLog(from: number, direction: Direction, limit: number): Promise<RawRecord[]>;
  readPositions(positions: readonly number[]): Promise<(RawRecord | undefined)[]>;
  /**
   * Positions of a stream's events from `fromVersion` (inclusive) in `direction`.
   * Index entries that do not tile (overlap or leave a hole) are CORRUPT_LEDGER.
   */
  findStreamPositions(streamId: string, fromVersion: number, direction: Direction, limit: number): Promise<number[]>;
  /** Pages of records in position order; does not hold the log in memory. */
  scanLog(from: number, pageSize: number): AsyncIterable<RawRecord[]>;
  /**
   * Index entries for verify: for each record, the streams index entry with the
   * greatest first version <= its version (the one a read would use; verify
   * checks it covers the record and points at it), and the position its id points to.
   */
  findIndexEntries(
    records: readonly { streamId: string; streamVersion: number; id: string }[],
  ): Promise<{ streams: (StreamIndexEntry | undefined)[]; ids: (number | undefined)[] }>;
  /** Every streams index entry, in pages (verify looks for entries no record uses). */
  scanStreamEntries(pageSize: number): AsyncIterable<{ streamId: string; entry: StreamIndexEntry }[]>;
  /** Every ids index entry, in pages. */
  scanIdEntries(pageSize: number): AsyncIterable<{ id: string; position: number }[]>;
  readSnapshot(name: string): Promise<string | undefined>;
  writeSnapshot(name: string, json: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Close and open the storage again after a failed write, so its state is
   * what is on disk (LevelDB keeps a failed sync's error until reopened, and
   * the batch may reappear from its log). Absent when there is nothing to reopen.
   */
  reopen?(): Promise<void>;
  /**
   * For a store several processes append to (the fleet's PostgreSQL): take
   * the cross-process write lock and return the committed head. The writer
   * calls it before planning each batch; `write` commits and releases it,
   * `unlockHead` releases it when the batch wrote nothing.
   */
  lockHead?(): Promise<Head>;
  unlockHead?(): Promise<void>;
  /** Heads committed by other processes, so reads and live subscriptions see them. */
  watchHead?(onHead: (head: Head) => void): void;
}
