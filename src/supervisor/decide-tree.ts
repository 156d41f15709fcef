/**
 * The decider for what was left of an attempt's tree when its main process
 * ended (pure). Recorded just before the attempt's exit, in the same append,
 * so `show` says what was reaped, kept or survived next to the exit itself.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import { isTerminalStatus, type RunState } from '../projections/run-state.js';

export interface TreeMemberFact {
  pid: number;
  command: string;
}

export interface TreeReapedCommand {
  attempt: number;
  /** What was left when the main process ended. */
  pids: TreeMemberFact[];
  /** The last signal the leftovers needed; null when kept, or when none was sent. */
  signal: string | null;
  kept: boolean;
  /** Still alive after SIGKILL (or never reachable). */
  survivors: TreeMemberFact[];
  tracking: 'cgroup' | 'process-group';
}

export function decideTreeReaped(run: RunState, cmd: TreeReapedCommand): RunledgerEvent[] {
  const a = run.attempts.find((x) => x.n === cmd.attempt);
  if (isTerminalStatus(run.status) || !a || a.tree || (cmd.pids.length === 0 && cmd.survivors.length === 0)) return [];
  return [
    {
      type: 'TreeReaped',
      data: {
        attempt: cmd.attempt,
        pids: cmd.pids,
        signal: cmd.signal,
        ...(cmd.kept ? { kept: true as const } : {}),
        survivors: cmd.survivors,
        tracking: cmd.tracking,
      },
    },
  ];
}
