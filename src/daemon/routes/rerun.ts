/**
 * POST /v1/runs/:id/rerun: a new run from the spec the ledger recorded.
 * Secret env values were redacted before they reached the ledger, so they
 * cannot be replayed: unless the request supplies them, in `env` or in the
 * env file (`envFile`, else the recorded one), the answer is 409 INVALID_SPEC
 * naming the missing keys (details.missingEnv). `env` may also set or change
 * ordinary variables; `envFile` replaces the recorded env file; `cwd`,
 * `timeout` and `name` replace those fields and `labels` sets or changes labels.
 */
import { RunledgerError } from '../../errors.js';
import type { RunSpecRecord } from '../../events/schemas.js';
import { toRunView } from '../../projections/run-view.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import type { StartResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { withStatus } from '../http/errors.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optDuration, optString, optStringRecord, type Body } from '../http/shape.js';
import { readEnvFile } from '../../supervisor/env-file.js';
import { healthInputOf } from '../../supervisor/health-spec.js';
import { startRun } from '../start-run.js';

export function rerunRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/runs/:id/rerun', async ({ params, body }) => {
      const b = objectBody(await body(), ['baseEnv', 'env', 'envFile', 'cwd', 'timeout', 'name', 'labels']);
      const baseEnv = optStringRecord(b, 'baseEnv');
      const envFile = optString(b, 'envFile');
      const original = ctx.supervisor.get(params[0]!);
      const spec = withOverrides(specFromRecord(original.spec, optStringRecord(b, 'env') ?? {}, envFile), b);
      // Read the file now only to know which secrets it supplies; the run reads it again at each spawn.
      const fromFile = spec.envFile === undefined ? {} : await readEnvFile(spec.envFile);
      assertSecretsGiven(original.spec, spec, fromFile, original.shortId);
      const { run, reused } = await startRun(ctx, spec, {
        rerunOf: original.id,
        ...(original.template ? { template: original.template } : {}),
        ...(baseEnv ? { baseEnv } : {}),
      });
      ctx.log.info('run rerun', { runId: run.id, rerunOf: original.id });
      return { run: toRunView(run, ctx.now()), reused } satisfies StartResponse;
    }),
  ];
}

/** The request's changes over the recorded spec; the Supervisor normalizes (and refuses) them like any spec. */
function withOverrides(spec: RunSpecInput, b: Body): RunSpecInput {
  const cwd = optString(b, 'cwd');
  const timeout = optDuration(b, 'timeout');
  const name = optString(b, 'name');
  const labels = optStringRecord(b, 'labels');
  return {
    ...spec,
    ...(cwd === undefined ? {} : { cwd }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(name === undefined ? {} : { name }),
    ...(labels === undefined ? {} : { labels: { ...spec.labels, ...labels } }),
  };
}

/** 409 INVALID_SPEC unless every redacted variable of the original is given again, in `env` or by the env file. */
function assertSecretsGiven(rec: RunSpecRecord, spec: RunSpecInput, fromFile: Record<string, string>, shortId: string): void {
  const missing = rec.redactedEnv.filter((k) => spec.env?.[k] === undefined && fromFile[k] === undefined);
  if (missing.length === 0) return;
  const err = new RunledgerError(
    'INVALID_SPEC',
    `the original run had secret env values that were never recorded (${missing.join(', ')}); pass them again: ` +
      `runledger rerun ${shortId} ${missing.map((k) => `--env ${k}=…`).join(' ')}, or --env-file PATH with them`,
    { field: 'env', missingEnv: missing },
  );
  throw withStatus(err, 409);
}

/**
 * Turn a recorded spec back into the input that produces it. `given` sets
 * variables (the redacted ones among them); `envFile` replaces the recorded file.
 */
export function specFromRecord(rec: RunSpecRecord, given: Record<string, string>, envFile?: string): RunSpecInput {
  // Placeholders never reach a child: a redacted variable comes from `given` or from the env file.
  const env = Object.fromEntries(Object.entries(rec.env).filter(([k]) => !rec.redactedEnv.includes(k)));
  Object.assign(env, given);
  const file = envFile ?? rec.envFile;
  return {
    command: rec.command,
    args: rec.args,
    shell: rec.shell,
    cwd: rec.cwd,
    env,
    // Keys redacted by name (not by pattern) must be redacted again.
    secretEnvKeys: rec.redactedEnv,
    name: rec.name,
    labels: rec.labels,
    owner: rec.owner,
    ...(rec.slot === null ? {} : { slot: rec.slot }),
    ...(rec.key === null ? {} : { key: rec.key }),
    ...(rec.timeoutMs === null ? {} : { timeout: rec.timeoutMs }),
    ...(rec.ready === null ? {} : { ready: readyInput(rec.ready) }),
    stopSignal: rec.stopSignal,
    grace: rec.graceMs,
    restart: {
      policy: rec.restart.policy,
      maxRestarts: rec.restart.maxRestarts,
      backoff: rec.restart.backoffMs,
      maxBackoff: rec.restart.maxBackoffMs,
      minUptime: rec.restart.minUptimeMs,
    },
    logs: rec.logs,
    runtime: rec.runtime,
    ...(file === undefined ? {} : { envFile: file }),
    ...(rec.keepLeftovers ? { keepLeftovers: true } : {}),
    ...(rec.health ? { health: healthInputOf(rec.health) } : {}),
  };
}

function readyInput(r: NonNullable<RunSpecRecord['ready']>): NonNullable<RunSpecInput['ready']> {
  const { timeoutMs, ...checks } = r;
  return { ...checks, timeout: timeoutMs };
}
