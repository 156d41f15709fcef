/**
 * What a health probe's result means for its run. Pure. Events only on a
 * change of state, never one per probe: the first pass of an attempt
 * (HealthCheckPassed, or HealthRecovered after a failure), the crossing of
 * the failure threshold (HealthCheckFailed with the last probe's evidence),
 * and, unless the restart policy is `never`, the stop it causes (reason
 * `unhealthy`; the attempt's exit then applies the policy, outcome.ts).
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { HealthEvidence, HealthProbeKind } from '../events/schemas.js';
import { capLine, capTail, TAIL_LINE_BYTES } from '../events/evidence-caps.js';
import { isTerminalStatus, liveAttempt, type RunState } from '../projections/run-state.js';
import { decideStop } from './decide.js';

/** One probe's result, as the health watch saw it. */
export interface HealthProbeFacts {
  attempt: number;
  probe: HealthProbeKind;
  ok: boolean;
  /** Failed probes in a row up to and including this one (0 when it passed). */
  consecutiveFailures: number;
  evidence: HealthEvidence;
}

/** The child controls what a probe sees (a body, an error text, an exec's output): bounded before the log. */
export function capHealthEvidence(ev: HealthEvidence): HealthEvidence {
  return {
    ...ev,
    ...(ev.error !== undefined ? { error: capLine(ev.error, TAIL_LINE_BYTES) } : {}),
    ...(ev.output !== undefined ? { output: capTail(ev.output) } : {}),
  };
}

export function decideHealth(run: RunState, facts: HealthProbeFacts, now: number): RunledgerEvent[] {
  const health = run.spec.health;
  const { attempt, probe } = facts;
  // An attempt that is being stopped (or is not the live one) is not judged any more.
  if (!health || isTerminalStatus(run.status) || liveAttempt(run)?.n !== attempt || run.stop) return [];
  const evidence = capHealthEvidence(facts.evidence);
  if (facts.ok) {
    if (run.health === 'healthy') return [];
    // A failure not yet followed by a pass (in this attempt, or the one it replaced) is now over.
    if (run.healthFailure) return [{ type: 'HealthRecovered', data: { attempt, probe, evidence } }];
    return [{ type: 'HealthCheckPassed', data: { attempt, probe, evidence } }];
  }
  if (facts.consecutiveFailures < health.failureThreshold) return [];
  // Recorded once per attempt and crossing: this attempt's failure stands until a probe passes.
  if (run.health === 'unhealthy' && run.healthFailure?.attempt === attempt) return [];
  const failed: RunledgerEvent = {
    type: 'HealthCheckFailed',
    data: { attempt, probe, consecutiveFailures: facts.consecutiveFailures, failureThreshold: health.failureThreshold, evidence },
  };
  // `never` restarts nothing, so stopping would only end the run: the attempt is marked unhealthy and keeps running.
  if (run.spec.restart.policy === 'never') return [failed];
  return [failed, ...decideStop(run, { reason: 'unhealthy', force: false }, now)];
}
