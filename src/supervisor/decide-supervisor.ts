/**
 * The supervisor stream's events: a supervisor's start and stop, and a
 * reconcile pass's report (pure).
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { ReconcileReport } from '../reconcile/report.js';

export interface SupervisorStartedFacts {
  supervisorId: string;
  pid: number;
  version: string;
  bootId: string;
  hostname: string;
}

export function decideSupervisorStarted(facts: SupervisorStartedFacts): RunledgerEvent[] {
  return [{ type: 'SupervisorStarted', data: { ...facts } }];
}

export interface SupervisorStoppedFacts {
  supervisorId: string;
  reason: string;
  leftRunning: number;
}

export function decideSupervisorStopped(facts: SupervisorStoppedFacts): RunledgerEvent[] {
  return [{ type: 'SupervisorStopped', data: { ...facts } }];
}

/** Reported only when the pass found something, so reconciling twice appends nothing the second time. */
export function decideReconcileCompleted(supervisorId: string, report: ReconcileReport): RunledgerEvent[] {
  const changed = report.adopted + report.recovered + report.stale + report.unknown + report.resumedStops;
  if (changed === 0) return [];
  return [{ type: 'ReconcileCompleted', data: { supervisorId, report: { ...report } } }];
}
