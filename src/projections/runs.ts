/**
 * The collection of runs with its indexes, folded from the whole log.
 *
 * Each run's state is produced by the pure `evolveRun`; the collection itself
 * is applied in place (`applyEvent` returns the same object) so that folding
 * a million events costs O(1) per event instead of copying every run map.
 * It is still deterministic — its only input is the event sequence — and the
 * property tests prove fold(log) == fold(a) then fold(b) == snapshot + tail.
 * Indexes for slot and key hold *active* runs only: that is what the
 * supervisor's slot and idempotency checks need.
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import { runIdOfStream } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import { evolveRun } from './evolve-run.js';
import { isActive, type RunState } from './run-state.js';
import type { DamagedRecord } from '../store/event-store.js';

export interface Anomaly {
  position: number;
  runId: string | null;
  type: string;
  message: string;
}

export interface RunsState {
  /** Last position folded. */
  position: number;
  runs: Map<string, RunState>;
  /** Insertion (creation) order of run ids. */
  order: string[];
  activeBySlot: Map<string, string>;
  activeByKey: Map<string, string>;
  byShortId: Map<string, string[]>;
  /** Events that would have broken a rule (e.g. moved a terminal run); kept, never applied. */
  anomalies: Anomaly[];
  /** Records the fold could not decode (damage, or written by a newer runledger): skipped, named here. */
  skipped: DamagedRecord[];
  supervisor: {
    current: EventData<'SupervisorStarted'> | null;
    startedAt: string | null;
    lastReconcile: (EventData<'ReconcileCompleted'> & { at: string }) | null;
  };
}

export function initialRunsState(): RunsState {
  return {
    position: 0,
    runs: new Map(),
    order: [],
    activeBySlot: new Map(),
    activeByKey: new Map(),
    byShortId: new Map(),
    anomalies: [],
    skipped: [],
    supervisor: { current: null, startedAt: null, lastReconcile: null },
  };
}

function reindex(state: RunsState, before: RunState | undefined, after: RunState): void {
  if (before && isActive(before)) {
    if (before.spec.slot && state.activeBySlot.get(before.spec.slot) === before.id) state.activeBySlot.delete(before.spec.slot);
    if (before.spec.key && state.activeByKey.get(before.spec.key) === before.id) state.activeByKey.delete(before.spec.key);
  }
  if (isActive(after)) {
    if (after.spec.slot) state.activeBySlot.set(after.spec.slot, after.id);
    if (after.spec.key) state.activeByKey.set(after.spec.key, after.id);
  }
  if (!before) {
    state.order.push(after.id);
    const same = state.byShortId.get(after.shortId);
    state.byShortId.set(after.shortId, same ? [...same, after.id] : [after.id]);
  }
}

function applySupervisorEvent(state: RunsState, e: EventEnvelope): void {
  if (e.type === 'SupervisorStarted') state.supervisor = { ...state.supervisor, current: e.data, startedAt: e.time };
  else if (e.type === 'SupervisorStopped') state.supervisor = { ...state.supervisor, current: null };
  else if (e.type === 'ReconcileCompleted') state.supervisor = { ...state.supervisor, lastReconcile: { ...e.data, at: e.time } };
  else if (e.type === 'LogsPruned') {
    // The runs' own streams are untouched: the mark says why `logs` of such a run has nothing to read.
    for (const { runId } of e.data.runs) {
      const run = state.runs.get(runId);
      if (run) state.runs.set(runId, { ...run, logsPruned: { at: e.time, position: e.position } });
    }
  }
}

/** Fold one event into the collection (in place) and return it. Events must arrive in position order. */
export function applyEvent(state: RunsState, e: EventEnvelope): RunsState {
  if (e.position !== state.position + 1) {
    throw new RunledgerError('PROJECTION_BUG', `event at position ${e.position} folded after position ${state.position}`, {
      position: e.position,
      expected: state.position + 1,
    });
  }
  state.position = e.position;
  const runId = runIdOfStream(e.streamId);
  if (!runId) {
    applySupervisorEvent(state, e);
    return state;
  }
  const before = state.runs.get(runId);
  try {
    const after = evolveRun(before, e);
    state.runs.set(runId, after);
    reindex(state, before, after);
  } catch (err) {
    if (!(err instanceof RunledgerError) || err.code !== 'PROJECTION_BUG') throw err;
    state.anomalies.push({ position: e.position, runId, type: e.type, message: err.message });
  }
  return state;
}

export function foldRuns(events: Iterable<EventEnvelope>, state: RunsState = initialRunsState()): RunsState {
  for (const e of events) applyEvent(state, e);
  return state;
}

/**
 * Step over a record that did not decode: the fold goes on after it (showing
 * what decodes beats showing nothing) and remembers it, so every answer from
 * this state can say what it is missing.
 */
export function skipRecord(state: RunsState, record: DamagedRecord): RunsState {
  if (record.position !== state.position + 1) {
    throw new RunledgerError('PROJECTION_BUG', `record at position ${record.position} skipped after position ${state.position}`, {
      position: record.position,
      expected: state.position + 1,
    });
  }
  state.position = record.position;
  state.skipped.push({ position: record.position, code: record.code, message: record.message });
  return state;
}
