/**
 * The fold as it stood at a point in the past, for `runledger replay`:
 * up to and including a position, or up to the last event at or before a time.
 * Reads stop at the target; a usable snapshot at or before a position target
 * is a head start. A record past the target is never decoded into the
 * answer, so damage after it does not matter; damage before it is skipped
 * and named in `state.skipped`.
 */
import type { EventStore } from '../store/event-store.js';
import { DEFAULT_PROJECTION_NAME, foldTail, readUsableSnapshot, type SnapshotTrust } from './catch-up.js';
import { initialRunsState, type RunsState } from './runs.js';

/** A position, or a time (ISO-8601 string or epoch ms). */
export type StateAtTarget = { position: number } | { time: string | number };

export async function stateAt(
  store: EventStore,
  target: StateAtTarget,
  name = DEFAULT_PROJECTION_NAME,
  trust: SnapshotTrust = {},
): Promise<RunsState> {
  if ('position' in target) {
    const until = target.position;
    const state = (await readUsableSnapshot(store, name, until, trust)) ?? initialRunsState();
    await foldTail(store, state, { until });
    return state;
  }
  const limit = typeof target.time === 'number' ? target.time : Date.parse(target.time);
  if (Number.isNaN(limit)) throw new TypeError(`stateAt: ${String(target.time)} is not a time`);
  const state = initialRunsState();
  // Event times come from one clock in append order, so the first later event ends the search.
  await foldTail(store, state, { stop: (e) => Date.parse(e.time) > limit });
  return state;
}

/**
 * The moment a replayed state stood at (ms): the time of the last event it
 * folded. Durations of runs still active then are measured up to it, not to
 * now. Undefined for an empty state or a record that cannot be read there.
 */
export async function momentOf(store: EventStore, state: RunsState): Promise<number | undefined> {
  if (state.position < 1) return undefined;
  try {
    const [e] = await store.readAll({ from: state.position, limit: 1 });
    return e && e.position === state.position ? Date.parse(e.time) : undefined;
  } catch {
    return undefined; // a damaged record there: durations stay unknown rather than wrong
  }
}
