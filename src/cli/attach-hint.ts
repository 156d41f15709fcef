/**
 * How to reach a tmux run's terminal, for `show` and `show --json`: our own
 * command, and the raw tmux one (the private server socket in the home and
 * the run's session), for people who script tmux directly. Pure.
 */
import { join } from 'node:path';
import type { RunView } from '../projections/run-view.js';

export interface AttachHint {
  /** `runledger attach <shortId>` */
  runledger: string;
  /** argv of the same attach done by hand: `tmux -S <home>/tmux.sock attach-session -t rl-<id>`. */
  tmux: string[];
}

/** Only a tmux run that is still active has a session to attach to. */
export function attachHintOf(run: Pick<RunView, 'id' | 'shortId' | 'runtime' | 'endedAt'>, home: string): AttachHint | undefined {
  if (run.runtime !== 'tmux' || run.endedAt !== null) return undefined;
  // Socket and session names as src/runtime/tmux-command.ts and spawn-tmux.ts make them.
  return {
    runledger: `runledger attach ${run.shortId}`,
    tmux: ['tmux', '-S', join(home, 'tmux.sock'), 'attach-session', '-t', `rl-${run.id}`],
  };
}
