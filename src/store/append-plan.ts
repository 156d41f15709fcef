/**
 * Turns one validated append into stored records against a working state.
 * The writer plans a whole group-commit batch against one working state, so
 * each append sees the effect of the appends queued before it, and a failed
 * write simply discards that state (nothing to roll back by hand).
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { AppendRequest } from './append-request.js';
import type { StoredAppend } from './backend.js';
import { encodeEnvelope } from './encode.js';
import type { Head } from './event-store.js';
import { checkExpectedVersion } from './expected-version.js';

export interface WorkingState {
  head: Head;
  /** Versions of every stream touched by the batch (looked up before planning). */
  streamVersions: Map<string, number>;
  /** Positions of stored ids (looked up) plus ids planned earlier in this batch. */
  ids: Map<string, number>;
}

export type PlanOutcome =
  | { kind: 'write'; append: StoredAppend; envelopes: EventEnvelope[]; streamVersion: number }
  | { kind: 'duplicate'; positions: number[] }
  | { kind: 'error'; error: unknown };

/** Encode the events after the working head and advance the working state past them. */
function planWrite(req: AppendRequest, state: WorkingState, actual: number): PlanOutcome & { kind: 'write' } {
  const { events, streamId } = req;
  const n = events.length;
  const jsons: string[] = new Array(n);
  const eventIds: string[] = new Array(n);
  const envelopes: EventEnvelope[] = new Array(n);
  const firstPosition = state.head.position + 1;
  const streamJson = JSON.stringify(streamId);
  let hash = state.head.hash;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const position = firstPosition + i;
    const encoded = encodeEnvelope(position, streamId, actual + 1 + i, e, hash, streamJson);
    hash = encoded.envelope.hash;
    envelopes[i] = encoded.envelope;
    jsons[i] = encoded.json;
    eventIds[i] = e.id;
  }
  // Only once every event encoded: a throw above leaves the working state untouched.
  for (let i = 0; i < n; i++) state.ids.set(eventIds[i]!, firstPosition + i);
  const streamVersion = actual + n;
  state.head = { position: firstPosition + n - 1, hash };
  state.streamVersions.set(streamId, streamVersion);
  const append: StoredAppend = { streamId, firstVersion: actual + 1, firstPosition, ids: eventIds, jsons };
  if (req.origin) append.origin = req.origin;
  return { kind: 'write', append, envelopes, streamVersion };
}

function idConflict(req: AppendRequest, state: WorkingState): RunledgerError {
  const ids = req.events.filter((e) => state.ids.has(e.id)).map((e) => e.id);
  return new RunledgerError('EVENT_ID_CONFLICT', `some but not all event ids of this append are already stored: ${ids.join(', ')}`, {
    streamId: req.streamId,
    ids,
  });
}

/** Plan one append; on success the working state advances past it. */
export function planAppend(req: AppendRequest, state: WorkingState): PlanOutcome {
  try {
    const { events } = req;
    let storedCount = 0;
    for (let i = 0; i < events.length; i++) if (state.ids.has(events[i]!.id)) storedCount++;
    if (storedCount > 0) {
      // An idempotent retry skips the version check: the stream has moved on because of this very append.
      if (storedCount === events.length) return { kind: 'duplicate', positions: events.map((e) => state.ids.get(e.id)!) };
      throw idConflict(req, state);
    }
    const actual = state.streamVersions.get(req.streamId) ?? 0;
    checkExpectedVersion(req.streamId, req.expected, actual);
    return planWrite(req, state, actual);
  } catch (error) {
    return { kind: 'error', error };
  }
}
