/**
 * RunsState <-> a JSON-safe object, exactly: deserialize(serialize(s)) deep-equals s.
 * Snapshots are a cache of the fold, never a source of truth — a snapshot
 * whose version differs from PROJECTION_VERSION is discarded and the state
 * rebuilt from the log.
 */
import { RunledgerError } from '../errors.js';
import type { RunState } from './run-state.js';
import type { Anomaly, RunsState } from './runs.js';

/**
 * Bump whenever evolveRun/applyEvent or the serialized shape changes: old
 * snapshots then fold differently from a fresh replay and must be rebuilt.
 * 2: sealed snapshots (snapshot-seal.ts) and `skipped` records.
 */
export const PROJECTION_VERSION = 5; // 2: restart countReset; 3: attempts carry tracking and tree; 4: health; 5: `stopped` derived from old `killed`

export interface SerializedRunsState {
  position: number;
  /** In creation order; `order` and `byShortId` are rebuilt from it. */
  runs: RunState[];
  /** Stored, not derived: which run holds a slot depends on event order, not only on final states. */
  activeBySlot: [string, string][];
  activeByKey: [string, string][];
  anomalies: Anomaly[];
  skipped: RunsState['skipped'];
  supervisor: RunsState['supervisor'];
}

/** A JSON-safe copy; shares no mutable container with `state` (the live fold keeps mutating it). */
export function serializeRunsState(state: RunsState): SerializedRunsState {
  return {
    position: state.position,
    // RunState objects are immutable (evolveRun returns new ones), so sharing them is safe.
    runs: state.order.map((id) => state.runs.get(id)!),
    activeBySlot: [...state.activeBySlot],
    activeByKey: [...state.activeByKey],
    anomalies: state.anomalies.slice(),
    skipped: state.skipped.slice(),
    supervisor: { ...state.supervisor },
  };
}

/** Rebuild a RunsState; throws CORRUPT_LEDGER when the object is not a serialized state. */
export function deserializeRunsState(raw: unknown): RunsState {
  assertSerialized(raw);
  const runs = new Map<string, RunState>();
  const byShortId = new Map<string, string[]>();
  for (const run of raw.runs) {
    runs.set(run.id, run);
    const same = byShortId.get(run.shortId);
    byShortId.set(run.shortId, same ? [...same, run.id] : [run.id]);
  }
  return {
    position: raw.position,
    runs,
    order: raw.runs.map((r) => r.id),
    activeBySlot: new Map(raw.activeBySlot),
    activeByKey: new Map(raw.activeByKey),
    byShortId,
    anomalies: raw.anomalies.slice(),
    skipped: raw.skipped.slice(),
    supervisor: { ...raw.supervisor },
  };
}

function assertSerialized(raw: unknown): asserts raw is SerializedRunsState {
  const s = raw as Partial<SerializedRunsState> | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    Number.isSafeInteger(s.position) &&
    Array.isArray(s.runs) &&
    s.runs.every((r) => r !== null && typeof r === 'object' && typeof r.id === 'string' && typeof r.shortId === 'string') &&
    Array.isArray(s.activeBySlot) &&
    Array.isArray(s.activeByKey) &&
    Array.isArray(s.anomalies) &&
    Array.isArray(s.skipped) &&
    s.supervisor !== null &&
    typeof s.supervisor === 'object';
  if (!ok) throw new RunledgerError('CORRUPT_LEDGER', 'projection snapshot is not a serialized runs state');
}
