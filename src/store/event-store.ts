/**
 * The ledger's contract. Two implementations satisfy it — `openLedger`
 * (classic-level, durable) and `createMemoryLedger` — and one shared suite
 * (test/store/contract.ts) proves both.
 *
 * @example
 * const store = await openLedger({ dir: '/tmp/ledger' });
 * const { positions } = await store.append('run-01H…', [{ type: 'RunRequested', data }], { expectedVersion: 'no_stream' });
 * store.subscribeAll({ from: 1 }).subscribe((e) => console.log(e.position, e.type));
 */
import type { Observable } from 'rxjs';
import type { ErrorCode } from '../errors.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';

/** `n` means "the stream has exactly n events"; 'no_stream' is 0; 'exists' is ≥ 1. */
export type ExpectedVersion = 'any' | 'no_stream' | 'exists' | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /**
   * Where these events were first recorded (the fleet replicator: a host and,
   * per event, its position and stored JSON in that host's ledger). Only a
   * backend that keeps provenance (the fleet's PostgreSQL one) stores it.
   */
  origin?: AppendOrigin;
}

export interface AppendOrigin {
  host: string;
  records: readonly { position: number; json: string }[];
}

export interface AppendResult {
  /** Positions of the appended events, in order (the original ones for an idempotent retry). */
  positions: number[];
  /** The stream's version after the append. */
  streamVersion: number;
  /** The stored envelopes (for a retry: the originals). */
  events: EventEnvelope[];
  /** True when every event id was already stored and nothing was written. */
  duplicate: boolean;
}

export interface ReadOptions {
  /** Inclusive start position (forwards: default 1; backwards: default head). */
  from?: number;
  direction?: 'forwards' | 'backwards';
  limit?: number;
}

export interface StreamReadOptions {
  /** Inclusive start stream version (forwards: default 1; backwards: default last). */
  fromVersion?: number;
  direction?: 'forwards' | 'backwards';
  limit?: number;
  /** Skip a record that does not decode and report it here, instead of failing the read (see DamagedRecord). */
  onDamaged?: (record: DamagedRecord) => void;
}

/**
 * A stored record that a tolerant read skipped: it is there (a missing record
 * is still CORRUPT_LEDGER) but does not decode — `LEDGER_TOO_NEW` when a
 * newer runledger wrote it, else the validation or CORRUPT_LEDGER code.
 */
export interface DamagedRecord {
  position: number;
  code: string;
  message: string;
}

export interface ScanOptions {
  from?: number;
  pageSize?: number;
  /** Skip a record that does not decode and report it here (before its page is yielded), instead of failing the scan. */
  onDamaged?: (record: DamagedRecord) => void;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The recorded head; its hash is an anchor worth keeping elsewhere (a later verify must reach it). */
  head: Head;
  /**
   * First position that does not check out, why, and a stable code:
   * CORRUPT_LEDGER, or LEDGER_TOO_NEW for a record a newer runledger wrote
   * (`details` has its type and schemaVersion).
   */
  firstBad?: { position: number; code: ErrorCode; reason: string; details?: Record<string, unknown> };
}

export interface Snapshot<S = unknown> {
  /** Last position folded into `state`. */
  position: number;
  /** Projection version; a mismatch means rebuild. */
  version: number;
  state: S;
}

export interface Head {
  position: number;
  hash: string;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readAll(options?: ReadOptions): Promise<EventEnvelope[]>;
  readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]>;
  /** Current version (event count) of a stream; 0 if it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** Replays history from `from` (default 1) and continues live; no gap, no duplicate. */
  subscribeAll(options?: { from?: number }): Observable<EventEnvelope>;
  head(): Promise<Head>;
  verify(options?: { from?: number }): Promise<VerifyResult>;
  readSnapshot<S>(name: string): Promise<Snapshot<S> | undefined>;
  writeSnapshot<S>(name: string, snapshot: Snapshot<S>): Promise<void>;
  /** Iterate every stored event in position order, in pages, without holding the log in memory. */
  scan(options?: ScanOptions): AsyncIterable<EventEnvelope[]>;
  /**
   * Like scan, but yields each record's stored JSON exactly as hashed (before
   * upcasting): for export and audit tools that must reproduce the chain.
   */
  scanStored(options?: { from?: number; pageSize?: number }): AsyncIterable<string[]>;
  close(): Promise<void>;
  readonly closed: boolean;
}
