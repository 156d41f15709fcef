/**
 * One-shot state for read-only callers (the CLI when no daemon runs):
 * snapshot + tail, and the snapshot written back when the tail was long or
 * the stored one was discarded, so the next `runledger ps` starts from a
 * trusted one (and a discard is reported once, not on every command).
 */
import type { EventStore } from '../store/event-store.js';
import { catchUp, DEFAULT_PROJECTION_NAME, writeRunsSnapshot, type SnapshotTrust } from './catch-up.js';
import type { RunsState } from './runs.js';

export interface LoadRunsStateOptions {
  name?: string;
  /** Write the snapshot back when at least this many events were folded past it (default 1000). */
  snapshotEvery?: number;
  /** Seal key and discard reporting (see SnapshotTrust). */
  trust?: SnapshotTrust;
}

export async function loadRunsState(store: EventStore, options: LoadRunsStateOptions = {}): Promise<RunsState> {
  const name = options.name ?? DEFAULT_PROJECTION_NAME;
  const trust = options.trust ?? {};
  const { state, folded, discarded } = await catchUp(store, name, trust);
  if (discarded || folded >= (options.snapshotEvery ?? 1000)) {
    try {
      await writeRunsSnapshot(store, name, state, trust.key);
    } catch {
      // Best effort: a read-only or busy ledger still answers the query; the next loader retries.
    }
  }
  return state;
}
