/** `run --wait`: poll the daemon until the run is terminal, and the shell's exit code for how it ended. */
import { constants as osConstants } from 'node:os';
import { TERMINAL_STATUSES } from '../events/constants.js';
import type { RunView } from '../projections/run-view.js';
import type { ReadBackend } from './backend.js';

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export async function waitForEnd(backend: ReadBackend, id: string): Promise<RunView> {
  // Start quick (short runs), back off to 1s (long ones); the request is cheap either way.
  for (let delay = 50; ; delay = Math.min(1000, delay * 2)) {
    const { run } = await backend.show(id);
    if (TERMINAL.has(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The child's exit code; 128 + n when killed by signal n (as a shell reports it); 1 when unknown. */
export function exitCodeOf(run: RunView): number {
  if (run.signal) {
    const n = (osConstants.signals as Record<string, number>)[run.signal];
    return n === undefined ? 1 : 128 + n;
  }
  if (run.exitCode !== null) return run.exitCode;
  return run.status === 'completed' ? 0 : 1;
}
