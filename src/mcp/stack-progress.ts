/**
 * What an MCP `up` waits on, folded from the ledger events the daemon appends
 * while it applies the stack (pure): a dependency wait (DependencyWaiting
 * until DependencySatisfied/Failed), the stack's runs being started, and,
 * with `wait`, those not ready yet. Each event of this stack yields a message
 * for the client; `waitingPhrase` is what the progress ticks repeat.
 */
import type { EventEnvelope } from '../events/envelope.js';
import { PROCESS_LABEL, STACK_LABEL } from '../stacks/plan.js';
import { conditionPhrase } from './progress.js';

/** The event types the fold reads (the events route's `type` filter). */
export const STACK_PROGRESS_TYPES = [
  'DependencyWaiting',
  'DependencySatisfied',
  'DependencyFailed',
  'RunRequested',
  'ProcessReady',
  'ReadinessFailed',
  'ProcessExited',
  'StackApplied',
] as const;

export interface StackProgress {
  stack: string;
  /** `up` with `wait`: after the stack is applied it still waits for every process to be ready. */
  wait: boolean;
  /** Process → the dependency it is held back for (a process waits for its dependencies one at a time). */
  waits: ReadonlyMap<string, { dependency: string; condition: string }>;
  /** Run stream id → process name, for the runs this stack started. */
  runs: ReadonlyMap<string, string>;
  /** Processes started and not ready yet. */
  notReady: readonly string[];
  applied: boolean;
}

export function initialStackProgress(stack: string, wait: boolean): StackProgress {
  return { stack, wait, waits: new Map(), runs: new Map(), notReady: [], applied: false };
}

/** The state after `e`, and what to tell the client now (undefined: the event is not about this stack). */
export function foldStackProgress(s: StackProgress, e: EventEnvelope): { state: StackProgress; message?: string } {
  switch (e.type) {
    case 'DependencyWaiting': {
      const d = e.data;
      if (d.stack !== s.stack) return { state: s };
      const waits = new Map(s.waits).set(d.process, { dependency: d.dependency, condition: d.condition });
      return { state: { ...s, waits }, message: `${d.process} waits for ${d.dependency} ${conditionPhrase(d.condition)}` };
    }
    case 'DependencySatisfied':
    case 'DependencyFailed': {
      const d = e.data;
      if (d.stack !== s.stack) return { state: s };
      const waits = new Map(s.waits);
      waits.delete(d.process);
      const message =
        e.type === 'DependencySatisfied'
          ? `${d.dependency} is ${d.condition}: ${d.process} may start`
          : (e.data.message.split('\n')[0] ?? e.data.message);
      return { state: { ...s, waits }, message };
    }
    case 'RunRequested': {
      const labels = e.data.spec.labels;
      if (labels[STACK_LABEL] !== s.stack) return { state: s };
      const name = labels[PROCESS_LABEL] ?? e.data.spec.name;
      const runs = new Map(s.runs).set(e.streamId, name);
      return { state: { ...s, runs, notReady: [...without(s.notReady, name), name] }, message: `starting ${name}` };
    }
    case 'ProcessReady':
    case 'ReadinessFailed':
    case 'ProcessExited': {
      const name = s.runs.get(e.streamId);
      if (name === undefined) return { state: s };
      const state = { ...s, notReady: without(s.notReady, name) };
      if (e.type === 'ProcessReady') return { state, message: `${name} is ready` };
      if (e.type === 'ReadinessFailed') return { state: s, message: `${name}: readiness failed (${e.data.reason}): ${e.data.message}` };
      const how = e.data.exitCode !== null ? `exit ${e.data.exitCode}` : (e.data.signal ?? 'ended');
      return { state, message: `${name} ended (${how})` };
    }
    case 'StackApplied': {
      if (e.data.stack !== s.stack || e.data.action !== 'up') return { state: s };
      return { state: { ...s, applied: true }, message: `stack ${s.stack} applied` };
    }
    default:
      return { state: s };
  }
}

/** What the call is waiting on now, e.g. "worker waits for web to be ready". */
export function waitingPhrase(s: StackProgress): string {
  if (s.waits.size > 0)
    return [...s.waits].map(([process, w]) => `${process} waits for ${w.dependency} ${conditionPhrase(w.condition)}`).join('; ');
  if (s.applied && s.wait && s.notReady.length > 0) return `waiting for ${s.notReady.join(', ')} ${conditionPhrase('ready')}`;
  return `applying stack ${s.stack}`;
}

function without(list: readonly string[], name: string): string[] {
  return list.filter((n) => n !== name);
}
