/**
 * Slots and idempotency, decided in one critical section (as testfleet's
 * PrepareAtomic): an active run with the same key is reused; a slot held by
 * an active run with another key is busy; otherwise a new run is created.
 * The driver calls this under its start lock, so two concurrent starts can
 * never both create.
 */
import { RunledgerError } from '../errors.js';
import type { RunsState } from '../projections/runs.js';
import type { RunledgerEvent } from '../events/envelope.js';
import type { EventData, RunSpecRecord } from '../events/schemas.js';

export type StartDecision = { kind: 'create' } | { kind: 'reuse'; runId: string };

export function decideStart(runs: RunsState, spec: RunSpecRecord): StartDecision {
  if (spec.key) {
    const existing = runs.activeByKey.get(spec.key);
    if (existing) return { kind: 'reuse', runId: existing };
  }
  if (spec.slot) {
    const occupant = runs.activeBySlot.get(spec.slot);
    if (occupant) {
      const run = runs.runs.get(occupant)!;
      throw new RunledgerError('SLOT_BUSY', `slot ${spec.slot} is busy: run ${run.shortId} (${run.spec.name}, ${run.status}) holds it`, {
        slot: spec.slot,
        occupant: { id: run.id, shortId: run.shortId, name: run.spec.name, status: run.status, key: run.spec.key },
      });
    }
  }
  return { kind: 'create' };
}

/** The intent recorded for a run decideStart chose to create (the spawn follows it). */
export function decideRequested(cmd: EventData<'RunRequested'>): RunledgerEvent[] {
  return [{ type: 'RunRequested', data: cmd }];
}
