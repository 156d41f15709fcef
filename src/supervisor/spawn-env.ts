/**
 * Gathering an attempt's environment at spawn: the starter's values from
 * memory (kept on disk at the first spawn, secrets left out), else the
 * captured environment from disk; the env file read now. What cannot be
 * had is a typed error the spawn records: ENV_FILE_UNREADABLE /
 * ENV_FILE_INVALID, or SECRETS_UNAVAILABLE saying how to supply them.
 */
import { RunledgerError } from '../errors.js';
import type { RunState } from '../projections/run-state.js';
import { assembleAttemptEnv } from './attempt-env.js';
import type { Driver } from './driver.js';
import { readEnvFile } from './env-file.js';

export async function resolveAttemptEnv(
  driver: Driver,
  run: RunState,
  attempt: number,
): Promise<{ env: Record<string, string>; baseEnv?: Record<string, string | undefined> }> {
  const given = driver.secretsOf(run.id);
  const store = driver.envStore;
  if (given && store && attempt === 1) {
    // Before the first process exists: an attempt spawned by another daemon must find it.
    await store.save(run.id, given.captured).catch((err: Error) => {
      throw new RunledgerError('SPAWN_FAILED', `cannot keep the run's environment for later attempts: ${err.message}`);
    });
  }
  const captured = given || !store ? undefined : await store.load(run.id);
  const fileEnv = run.spec.envFile === undefined ? undefined : await readEnvFile(run.spec.envFile);
  const env = assembleAttemptEnv({
    spec: run.spec,
    ...(given ? { given } : {}),
    ...(captured ? { captured } : {}),
    ...(fileEnv ? { fileEnv } : {}),
  });
  if (env.ok) return env;
  throw secretsUnavailable(run, env.missing);
}

function secretsUnavailable(run: RunState, missing: string[]): RunledgerError {
  const names = missing.join(', ');
  const assign = missing.map((k) => `--env ${k}=…`).join(' ');
  return new RunledgerError(
    'SECRETS_UNAVAILABLE',
    `secret env values (${names}) are never written to disk, and the supervisor that had them was restarted; ` +
      `start the run again with them: runledger rerun ${run.shortId} ${assign}, or keep them in a file: runledger rerun ${run.shortId} --env-file PATH`,
    { missing },
  );
}
