/**
 * Turns one validated append into stored records against a working state.
 * The writer plans a whole group-commit batch against one working state, so
 * each append sees the effect of the appends queued before it, and a failed
 * write simply discards that state (nothing to roll back by hand).
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { AppendRequest } from './append-request.js';
import type { StoredRecord } from './backend.js';
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
  | { kind: 'write'; records: StoredRecord[]; envelopes: EventEnvelope[]; streamVersion: number }
  | { kind: 'duplicate'; positions: number[] }
  | { kind: 'error'; error: unknown };

function buildEnvelopes(req: AppendRequest, state: WorkingState, version: number): PlanOutcome & { kind: 'write' } {
  const records: StoredRecord[] = new Array(req.events.length);
  const envelopes: EventEnvelope[] = new Array(req.events.length);
  let { position, hash } = state.head;
  for (let i = 0; i < req.events.length; i++) {
    const e = req.events[i]!;
    position += 1;
    version += 1;
    const { envelope, json } = encodeEnvelope(position, req.streamId, version, e, hash);
    hash = envelope.hash;
    envelopes[i] = envelope;
    records[i] = { position, streamId: req.streamId, streamVersion: version, id: e.id, json };
  }
  return { kind: 'write', records, envelopes, streamVersion: version };
}

function commitToWorkingState(state: WorkingState, outcome: PlanOutcome & { kind: 'write' }, streamId: string): void {
  const last = outcome.envelopes[outcome.envelopes.length - 1]!;
  state.head = { position: last.position, hash: last.hash };
  state.streamVersions.set(streamId, outcome.streamVersion);
  for (const r of outcome.records) state.ids.set(r.id, r.position);
}

/** Plan one append; on success the working state advances past it. */
export function planAppend(req: AppendRequest, state: WorkingState): PlanOutcome {
  try {
    const stored = req.events.map((e) => state.ids.get(e.id));
    const storedCount = stored.filter((p) => p !== undefined).length;
    // An idempotent retry skips the version check: the stream has moved on because of this very append.
    if (storedCount === req.events.length) return { kind: 'duplicate', positions: stored as number[] };
    if (storedCount > 0) {
      const ids = req.events.filter((_, i) => stored[i] !== undefined).map((e) => e.id);
      throw new RunledgerError('EVENT_ID_CONFLICT', `some but not all event ids of this append are already stored: ${ids.join(', ')}`, {
        streamId: req.streamId,
        ids,
      });
    }
    const actual = state.streamVersions.get(req.streamId) ?? 0;
    checkExpectedVersion(req.streamId, req.expected, actual);
    const outcome = buildEnvelopes(req, state, actual);
    commitToWorkingState(state, outcome, req.streamId);
    return outcome;
  } catch (error) {
    return { kind: 'error', error };
  }
}
