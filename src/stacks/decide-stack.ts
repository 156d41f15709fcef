/**
 * The stack stream's events (pure): what `up`/`down` changed, and the
 * dependency waits that ordered it. Appended to `stack-<name>`.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import { capTail } from '../events/evidence-caps.js';
import type { EventData } from '../events/schemas.js';

export function stackStreamId(stack: string): string {
  return `stack-${stack}`;
}

/** Recorded only when something changed: `up` twice appends nothing the second time. */
export function decideStackApplied(cmd: EventData<'StackApplied'>): RunledgerEvent[] {
  if (cmd.started.length + cmd.restarted.length + cmd.stopped.length === 0) return [];
  return [{ type: 'StackApplied', data: { ...cmd } }];
}

export function decideDependencyWaiting(cmd: EventData<'DependencyWaiting'>): RunledgerEvent[] {
  return [{ type: 'DependencyWaiting', data: { ...cmd } }];
}

export function decideDependencySatisfied(cmd: EventData<'DependencySatisfied'>): RunledgerEvent[] {
  return [{ type: 'DependencySatisfied', data: { ...cmd } }];
}

export function decideDependencyFailed(cmd: EventData<'DependencyFailed'>): RunledgerEvent[] {
  return [{ type: 'DependencyFailed', data: { ...cmd, stderrTail: capTail(cmd.stderrTail) } }];
}
