/**
 * Starting attempt n of a run, under its lock: first ask the runtime whether
 * an earlier try already started it (its ProcessSpawned never reached the
 * ledger), and record that process instead of starting a second one; else
 * spawn, and record the process or the failure.
 */
import { RunledgerError } from '../errors.js';
import { isTerminalStatus, liveAttempt, type RunState } from '../projections/run-state.js';
import type { SpawnedProcess } from '../runtime/adapter.js';
import { decideSpawnFailed } from './decide.js';
import type { Driver } from './driver.js';
import { resolveAttemptEnv } from './spawn-env.js';

export async function spawnOrDiscover(driver: Driver, run: RunState, attempt: number): Promise<void> {
  const runId = run.id;
  driver.spawnDequeued(runId);
  if (isTerminalStatus(run.status) || liveAttempt(run) || run.stop || run.attempts.some((a) => a.n === attempt)) return;
  const runtime = driver.runtimeOf(run);
  const found = await runtime.discover?.(runId, attempt);
  if (found) {
    // Spawned before, but ProcessSpawned never reached the ledger (a crash or a refused append):
    // record that process; starting a second one would orphan the first.
    driver.watch(await driver.recordSpawned(run, attempt, found), 0);
    return;
  }
  let spawned: SpawnedProcess;
  try {
    const env = await resolveAttemptEnv(driver, run, attempt);
    spawned = await runtime.spawn({
      runId,
      attempt,
      command: run.spec.command,
      args: run.spec.args,
      shell: run.spec.shell,
      cwd: run.spec.cwd,
      env: env.env,
      ...(env.baseEnv ? { baseEnv: env.baseEnv } : {}),
      logs: run.spec.logs,
    });
  } catch (err) {
    const code = err instanceof RunledgerError ? err.code : 'SPAWN_FAILED';
    await driver.commitRun(run, decideSpawnFailed(run, { attempt, code, message: (err as Error).message }, driver.clock.now()));
    return;
  }
  driver.watch(await driver.recordSpawned(run, attempt, spawned), 0);
}
