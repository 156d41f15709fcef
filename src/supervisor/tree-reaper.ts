/**
 * When the main process ends on its own, its tree ends with it (systemd's
 * control-group kill mode, a container's PID 1): the run's stop signal to
 * what is left, SIGCONT so a stopped process can handle it, the grace
 * period, then SIGKILL. Or, with keepLeftovers, nothing is signalled and
 * the leftovers are only recorded. Returns the facts for TreeReaped.
 */
import type { Clock } from '../clock.js';
import type { AttemptRef, RuntimeAdapter, TreeMember } from '../runtime/adapter.js';
import type { TreeReapedCommand } from './decide-tree.js';

const POLL_MS = 50;
/** How long SIGKILLed processes get to disappear before they are recorded as survivors. */
export const KILL_WAIT_MS = 5000;

export interface ReapOptions {
  runtime: RuntimeAdapter;
  clock: Clock;
  ref: AttemptRef;
  /** The tree's members once the main process had ended. */
  members: TreeMember[];
  stopSignal: string;
  graceMs: number;
  keep: boolean;
  tracking: TreeReapedCommand['tracking'];
}

export async function reapLeftovers(o: ReapOptions): Promise<TreeReapedCommand> {
  const facts = { attempt: o.ref.attempt, pids: o.members, tracking: o.tracking };
  if (o.keep) return { ...facts, signal: null, kept: true, survivors: [] };
  let signal = o.stopSignal;
  await o.runtime.signalTree(o.ref, signal);
  if (signal !== 'SIGKILL') await o.runtime.signalTree(o.ref, 'SIGCONT');
  if (!(await waitTreeEmpty(o.runtime, o.clock, o.ref, o.graceMs))) {
    signal = 'SIGKILL';
    await o.runtime.signalTree(o.ref, signal);
    await waitTreeEmpty(o.runtime, o.clock, o.ref, KILL_WAIT_MS);
  }
  return { ...facts, signal, kept: false, survivors: await o.runtime.listTree(o.ref) };
}

/** Poll (only while a tree is being ended) until it is empty or `withinMs` passed; true when empty. */
export async function waitTreeEmpty(runtime: RuntimeAdapter, clock: Clock, ref: AttemptRef, withinMs: number): Promise<boolean> {
  const deadline = clock.now() + withinMs;
  for (;;) {
    if ((await runtime.listTree(ref)).length === 0) return true;
    if (clock.now() >= deadline) return false;
    await new Promise<void>((resolve) => clock.setTimer(Math.min(POLL_MS, Math.max(1, deadline - clock.now())), resolve));
  }
}
