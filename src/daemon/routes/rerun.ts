/**
 * POST /v1/runs/:id/rerun: a new run from the spec the ledger recorded.
 * Secret env values were redacted before they reached the ledger, so they
 * cannot be replayed: unless the request supplies them in `env`, the answer
 * is 409 INVALID_SPEC naming the missing keys (details.missingEnv).
 */
import { RunledgerError } from '../../errors.js';
import type { RunSpecRecord } from '../../events/schemas.js';
import { toRunView } from '../../projections/run-view.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import type { StartResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { withStatus } from '../http/errors.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optStringRecord } from '../http/shape.js';

export function rerunRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/runs/:id/rerun', async ({ params, body }) => {
      const b = objectBody(await body(), ['baseEnv', 'env']);
      const baseEnv = optStringRecord(b, 'baseEnv');
      const original = ctx.supervisor.get(params[0]!);
      const spec = specFromRecord(original.spec, optStringRecord(b, 'env') ?? {});
      const { run, reused } = await ctx.supervisor.start(spec, {
        rerunOf: original.id,
        ...(original.template ? { template: original.template } : {}),
        ...(baseEnv ? { baseEnv } : {}),
      });
      ctx.log.info('run rerun', { runId: run.id, rerunOf: original.id });
      return { run: toRunView(run, ctx.now()), reused } satisfies StartResponse;
    }),
  ];
}

/** Turn a recorded spec back into the input that produces it; `secrets` fills the redacted keys. */
export function specFromRecord(rec: RunSpecRecord, secrets: Record<string, string>): RunSpecInput {
  const missing = rec.redactedEnv.filter((k) => secrets[k] === undefined);
  if (missing.length > 0) {
    const err = new RunledgerError(
      'INVALID_SPEC',
      `the original run had secret env values that were never recorded (${missing.join(', ')}); pass them again to rerun it`,
      { field: 'env', missingEnv: missing },
    );
    throw withStatus(err, 409);
  }
  const env = { ...rec.env };
  for (const k of rec.redactedEnv) env[k] = secrets[k]!;
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
    restart: { policy: rec.restart.policy, maxRestarts: rec.restart.maxRestarts, backoff: rec.restart.backoffMs, maxBackoff: rec.restart.maxBackoffMs, minUptime: rec.restart.minUptimeMs },
    logs: rec.logs,
    runtime: rec.runtime,
    ...(rec.keepLeftovers ? { keepLeftovers: true } : {}),
  };
}

function readyInput(r: NonNullable<RunSpecRecord['ready']>): NonNullable<RunSpecInput['ready']> {
  const { timeoutMs, ...checks } = r;
  return { ...checks, timeout: timeoutMs };
}
