/** Stop runs and resolve once each has ended (runs that already ended are left as they are). */
import { isActive, type RunState } from '../projections/run-state.js';
import type { Supervisor } from '../supervisor/supervisor.js';

export async function stopRuns(sup: Supervisor, runs: readonly RunState[]): Promise<void> {
  await Promise.all(
    runs.filter(isActive).map(async (run) => {
      if (isActive(sup.get(run.id))) await sup.stop(run.id, { wait: false }).catch(ignoreEnded);
      await sup.wait(run.id);
    }),
  );
}

/** A run that ended between the look and the stop is what we wanted. */
export function ignoreEnded(err: unknown): void {
  if ((err as { code?: string })?.code !== 'RUN_TERMINAL') throw err;
}
