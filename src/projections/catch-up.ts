/**
 * Snapshot + tail: the fast way to the current fold. Shared by the live
 * runner, the one-shot loadRunsState and replay's stateAt.
 */
import type { EventStore } from '../store/event-store.js';
import type { EventEnvelope } from '../events/envelope.js';
import { applyEvent, initialRunsState, type RunsState } from './runs.js';
import { deserializeRunsState, PROJECTION_VERSION, serializeRunsState, type SerializedRunsState } from './snapshot.js';

export const DEFAULT_PROJECTION_NAME = 'runs';

export interface CaughtUp {
  state: RunsState;
  /** Position of the snapshot we started from (0: none usable). */
  snapshotPosition: number;
  /** Events folded on top of the snapshot. */
  folded: number;
}

/**
 * The stored snapshot if it is usable: right version, and not past `atMost`.
 * A snapshot from another projection version, or one that does not parse, is a stale cache: rebuild.
 */
export async function readUsableSnapshot(store: EventStore, name: string, atMost = Infinity): Promise<RunsState | undefined> {
  const snap = await store.readSnapshot<SerializedRunsState>(name);
  if (!snap || snap.version !== PROJECTION_VERSION || snap.position > atMost) return undefined;
  try {
    return deserializeRunsState(snap.state);
  } catch {
    return undefined;
  }
}

/**
 * Fold the log from `state.position + 1`, a page at a time (no per-event
 * observable overhead), until the head or until `stop(e)` says an event is past the end.
 */
export async function foldTail(store: EventStore, state: RunsState, stop?: (e: EventEnvelope) => boolean): Promise<number> {
  let folded = 0;
  for await (const page of store.scan({ from: state.position + 1 })) {
    for (const e of page) {
      // Breaking out of for-await closes the scan's iterator, so the rest is never read.
      if (stop?.(e)) return folded;
      applyEvent(state, e);
      folded++;
    }
  }
  return folded;
}

export async function catchUp(store: EventStore, name: string = DEFAULT_PROJECTION_NAME): Promise<CaughtUp> {
  const snapshot = await readUsableSnapshot(store, name);
  const state = snapshot ?? initialRunsState();
  const snapshotPosition = state.position;
  const folded = await foldTail(store, state);
  return { state, snapshotPosition, folded };
}

export async function writeRunsSnapshot(store: EventStore, name: string, state: RunsState): Promise<void> {
  await store.writeSnapshot(name, { position: state.position, version: PROJECTION_VERSION, state: serializeRunsState(state) });
}
