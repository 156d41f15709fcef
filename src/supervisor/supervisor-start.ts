/**
 * Supervisor.start: record a run's intent, then spawn its first attempt.
 * Everything that can be refused without the ledger (the spec, the runtime)
 * is refused before anything is recorded; the create-or-reuse decision and
 * the RunRequested append share the start lock, so two racing starts of one
 * slot or key cannot both create; the environment is captured once, for
 * every attempt; and a spawn whose record the ledger refused keeps trying in
 * the background. Split from supervisor.ts: it is the one command with this
 * much sequencing of its own.
 */
import { runStreamId } from '../events/envelope.js';
import type { IdGenerator } from '../ids.js';
import { captureGiven } from './attempt-env.js';
import { decideRequested, decideStart } from './decide-start.js';
import type { Driver } from './driver.js';
import { readGitInfo } from './git.js';
import { normalizeSpec, type RunSpecInput } from './spec.js';
import { optionalStartFields } from './start-input.js';
import type { StartOptions, StartResult, SupervisorOptions } from './supervisor-options.js';

export interface StartParts {
  driver: Driver;
  ids: IdGenerator;
  opts: SupervisorOptions;
  /** SUPERVISOR_CLOSED once the supervisor is closed (checked again under the lock). */
  assertOpen(): void;
}

export async function startRun(p: StartParts, input: RunSpecInput, options: StartOptions): Promise<StartResult> {
  const { driver, opts } = p;
  p.assertOpen();
  const { record, env } = normalizeSpec(input, opts.cwd ?? process.cwd());
  // A missing cwd is not refused here: like a missing command it is the spawn failing, recorded (SPAWN_FAILED).
  driver.runtimeFor(record.runtime); // RUNTIME_UNAVAILABLE before anything is recorded
  const git = opts.gitInfo === false ? null : await (opts.gitInfo ?? readGitInfo)(record.cwd);
  const created = await driver.withStartLock(async () => {
    p.assertOpen();
    const decision = decideStart(driver.book.state, record);
    if (decision.kind === 'reuse') return { runId: decision.runId, reused: true };
    const runId = p.ids.next();
    await driver.book.commit(runStreamId(runId), decideRequested({ spec: record, git, ...optionalStartFields(options) }), 'no_stream');
    // Captured now: every attempt of the run gets this environment, whoever spawns it.
    driver.expectFirstSpawn(
      runId,
      captureGiven(env, options.baseEnv ?? process.env, [...record.redactedEnv, ...(input.secretEnvKeys ?? [])]),
    );
    return { runId, reused: false };
  });
  if (!created.reused) {
    try {
      await driver.spawnAttempt(created.runId, 1);
    } catch (err) {
      // The ledger refused the spawn's record: keep trying in the background (a spawn that
      // happened is discovered, not repeated), and tell the caller now.
      driver.background(created.runId, (r) => driver.spawnLocked(r, 1));
      throw err;
    }
  }
  return { run: driver.book.state.runs.get(created.runId)!, reused: created.reused };
}
