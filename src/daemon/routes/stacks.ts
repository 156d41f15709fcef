/**
 * POST /v1/stacks/up and /v1/stacks/down: apply a stack plan in the daemon,
 * so an `up` goes on when the CLI is interrupted and its dependency waits are
 * the supervisor's. One apply at a time per stack name.
 */
import { join } from 'node:path';
import { parseDuration } from '../../supervisor/durations.js';
import { KeyedMutex } from '../../supervisor/keyed-mutex.js';
import type { RunState } from '../../projections/run-state.js';
import { stackDown } from '../../stacks/apply-down.js';
import { stackUp } from '../../stacks/apply-up.js';
import { latestRunsOf } from '../../stacks/current.js';
import type { PlannedProcess, StackPlan } from '../../stacks/plan.js';
import type { StackUpResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optBoolean, optDuration, optStringRecord, optStrings, requiredObject } from '../http/shape.js';
import { readStreamLines } from '../log-files.js';
import { toRunView } from '../../projections/run-view.js';
import { checkSpec } from './runs.js';
import { startRun } from '../start-run.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import type { StartOptions } from '../../supervisor/supervisor.js';

/** How long one dependency wait may take when the caller does not say. */
export const DEFAULT_STACK_TIMEOUT_MS = 60_000;
const TAIL_LINES = 10;

export function stackRoutes(ctx: DaemonContext): Route[] {
  const locks = new KeyedMutex();
  const stackCtx = (baseEnv?: Record<string, string>) => ({
    supervisor: ctx.supervisor,
    start: (spec: RunSpecInput, options: StartOptions) => startRun(ctx, spec, options),
    stderrTail: (run: RunState) => stderrTail(ctx, run),
    ...(baseEnv ? { baseEnv } : {}),
  });
  const answer = (plan: StackPlan, report: Awaited<ReturnType<typeof stackUp>>): StackUpResponse => {
    const now = ctx.now();
    const runs = [...latestRunsOf(ctx.supervisor.state, plan.name).values()];
    return { ...report, runs: runs.map((r) => toRunView(r, now)) };
  };
  return [
    route('POST', '/v1/stacks/up', async ({ body }) => {
      const b = objectBody(await body(), ['plan', 'only', 'wait', 'timeout', 'baseEnv']);
      const plan = planOf(requiredObject(b, 'plan'));
      const timeout = optDuration(b, 'timeout');
      const opts = {
        timeoutMs: timeout === undefined ? DEFAULT_STACK_TIMEOUT_MS : parseDuration(timeout, 'timeout'),
        wait: optBoolean(b, 'wait') ?? false,
        ...(optStrings(b, 'only') ? { only: optStrings(b, 'only')! } : {}),
      };
      const report = await locks.run(plan.name, () => stackUp(stackCtx(optStringRecord(b, 'baseEnv')), plan, opts));
      ctx.log.info('stack up', { stack: plan.name, started: report.started.length, restarted: report.restarted.length });
      return answer(plan, report);
    }),
    route('POST', '/v1/stacks/down', async ({ body }) => {
      const b = objectBody(await body(), ['plan', 'only', 'wait']);
      const plan = planOf(requiredObject(b, 'plan'));
      const opts = { wait: optBoolean(b, 'wait') ?? false, ...(optStrings(b, 'only') ? { only: optStrings(b, 'only')! } : {}) };
      const report = await locks.run(plan.name, () => stackDown(stackCtx(), plan, opts));
      ctx.log.info('stack down', { stack: plan.name, stopped: report.stopped.length });
      return answer(plan, report);
    }),
  ];
}

/** The plan's envelope checked here; each spec by the same check as POST /v1/runs. */
function planOf(raw: Record<string, unknown>): StackPlan {
  const { name, file, processes } = raw;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) throw badRequest('plan.name must be a stack name (letters, digits, _ . -)');
  if (typeof file !== 'string' || !file.startsWith('/')) throw badRequest('plan.file must be an absolute path');
  if (!Array.isArray(processes) || processes.length === 0) throw badRequest('plan.processes must be a non-empty array');
  return { name, file, processes: processes.map(processOf) };
}

function processOf(raw: unknown, i: number): PlannedProcess {
  const p = objectBody(raw, ['name', 'group', 'spec', 'dependsOn']);
  const { name, group } = p;
  if (typeof name !== 'string' || typeof group !== 'string') throw badRequest(`plan.processes[${i}] needs a name and a group`);
  const dependsOn = optStringRecord(p, 'dependsOn') ?? {};
  return { name, group, spec: checkSpec(requiredObject(p, 'spec')), dependsOn: dependsOn as PlannedProcess['dependsOn'] };
}

/** The last lines of the run's latest stderr log (what made it fail, usually). */
async function stderrTail(ctx: DaemonContext, run: RunState): Promise<string[]> {
  const logs = [...run.attempts].reverse().find((a) => a.logs !== null)?.logs;
  if (!logs) return run.readinessFailure?.stderrTail ?? [];
  const out: string[] = [];
  await readStreamLines(join(ctx.paths.home, logs.stderr, '..'), 'stderr', { n: TAIL_LINES }, (l) => void out.push(l.line));
  return out;
}
