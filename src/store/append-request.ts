/**
 * The append door: everything a caller can get wrong is checked here,
 * synchronously, before the request is queued — so an invalid append never
 * reaches the writer and never consumes a position.
 */
import { RunledgerError } from '../errors.js';
import { isoTime } from '../clock.js';
import type { NewEvent } from '../events/envelope.js';
import type { EventType } from '../events/schemas.js';
import { currentSchemaVersion } from '../events/upcast.js';
import { validateNewEvent } from '../events/validate.js';
import type { AppendOptions, AppendOrigin, ExpectedVersion } from './event-store.js';
import { assertValidStreamId } from './keys.js';
import type { LedgerDeps } from './options.js';

/** A validated event with everything but its position, version and hashes. */
export interface PreparedEvent {
  id: string;
  /** True when the caller chose the id, so it may already be stored. */
  givenId: boolean;
  type: EventType;
  data: unknown;
  time: string;
  schemaVersion: number;
  causationId?: string;
  correlationId?: string;
}

export interface AppendRequest {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
  origin?: AppendOrigin;
}

function checkOrigin(origin: AppendOrigin, count: number): void {
  const ok =
    typeof origin === 'object' &&
    typeof origin.host === 'string' &&
    origin.host.length > 0 &&
    Array.isArray(origin.records) &&
    origin.records.length === count &&
    origin.records.every((r) => Number.isSafeInteger(r.position) && r.position >= 1 && typeof r.json === 'string');
  if (!ok) throw new TypeError('origin must be { host, records: [{ position, json }] } with one record per event');
}

function normalizeExpectedVersion(options: AppendOptions | undefined): ExpectedVersion {
  const expected = options?.expectedVersion ?? 'any';
  if (expected === 'any' || expected === 'no_stream' || expected === 'exists') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new TypeError(`expectedVersion must be 'any', 'no_stream', 'exists' or a non-negative integer, got ${String(expected)}`);
}

function prepareEvent(e: NewEvent, deps: LedgerDeps, now: string): PreparedEvent {
  validateNewEvent(e);
  const prepared: PreparedEvent = {
    id: e.id ?? deps.ids.next(),
    givenId: e.id !== undefined,
    type: e.type,
    data: e.data,
    time: e.time ?? now,
    schemaVersion: currentSchemaVersion(e.type),
  };
  if (e.causationId !== undefined) prepared.causationId = e.causationId;
  if (e.correlationId !== undefined) prepared.correlationId = e.correlationId;
  return prepared;
}

/** Last clock reading and its ISO form: appends within one millisecond skip the Date round trip. */
let lastMs = NaN;
let lastIso = '';
function isoTimeCached(ms: number): string {
  if (ms !== lastMs) {
    lastIso = isoTime(ms);
    lastMs = ms;
  }
  return lastIso;
}

/** Validate and complete one append call; throws before anything is queued. */
export function prepareAppend(
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions | undefined,
  deps: LedgerDeps,
): AppendRequest {
  assertValidStreamId(streamId);
  if (!Array.isArray(events) || events.length === 0) {
    throw new RunledgerError('INVALID_EVENT', 'append needs a non-empty array of events', { streamId });
  }
  const expected = normalizeExpectedVersion(options);
  // One clock reading per call: the events of one append happen together.
  const now = isoTimeCached(deps.clock.now());
  const prepared = events.map((e) => prepareEvent(e, deps, now));
  if (prepared.length > 1) {
    const seen = new Set<string>();
    for (const e of prepared) {
      if (seen.has(e.id)) throw new RunledgerError('INVALID_EVENT', `event id ${e.id} appears twice in one append`, { id: e.id });
      seen.add(e.id);
    }
  }
  if (options?.origin === undefined) return { streamId, expected, events: prepared };
  checkOrigin(options.origin, prepared.length);
  return { streamId, expected, events: prepared, origin: options.origin };
}
