/** The stored shape of an event: its payload plus where it sits in the log and in the hash chain. */
import type { EventData, EventType } from './schemas.js';

/** A run/process/supervisor event as a discriminated union on `type`. */
export type RunledgerEvent = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];

export type EventOf<T extends EventType> = Extract<RunledgerEvent, { type: T }>;

export interface EnvelopeMeta {
  /** Global, gap-free, strictly increasing; the first event is 1. */
  position: number;
  streamId: string;
  /** 1 for a stream's first event; a stream's version is its event count. */
  streamVersion: number;
  /** ULID; re-appending a stored id is an idempotent no-op. */
  id: string;
  /** ISO-8601, from the injected clock. */
  time: string;
  schemaVersion: number;
  causationId?: string;
  correlationId?: string;
  /** Hash of the previous event (64 zeros for the first). */
  prevHash: string;
  /** sha256 over this event's content and prevHash. */
  hash: string;
}

export type EventEnvelope<E extends RunledgerEvent = RunledgerEvent> = EnvelopeMeta & E;

/** What a caller hands to append: the store assigns position, version, hashes and (if absent) id and time. */
export type NewEvent<E extends RunledgerEvent = RunledgerEvent> = E & {
  id?: string;
  time?: string;
  causationId?: string;
  correlationId?: string;
};

export const GENESIS_HASH = '0'.repeat(64);

export const SUPERVISOR_STREAM = 'supervisor';
const RUN_STREAM_PREFIX = 'run-';

export function runStreamId(runId: string): string {
  return RUN_STREAM_PREFIX + runId;
}

/** The run id of a `run-<ulid>` stream, or undefined for other streams. */
export function runIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(RUN_STREAM_PREFIX) ? streamId.slice(RUN_STREAM_PREFIX.length) : undefined;
}

/** Narrow an envelope by type without a cast at every call site. */
export function isEvent<T extends EventType>(e: EventEnvelope, type: T): e is EventEnvelope<EventOf<T>> {
  return e.type === type;
}
