/** POST /v1/runs, GET /v1/runs, GET /v1/runs/:id — start, list and show runs from the live projection. */
import { isAbsolute, join } from 'node:path';
import { RunledgerError } from '../../errors.js';
import { runStreamId } from '../../events/envelope.js';
import { toRunView } from '../../projections/run-view.js';
import type { RunState } from '../../projections/run-state.js';
import { timelineOf } from '../../projections/timeline.js';
import { mergeWarnings, skippedWarnings, withWarnings } from '../../projections/warnings.js';
import type { DamagedRecord } from '../../store/event-store.js';
import { normalizeSpec, type RunSpecInput } from '../../supervisor/spec.js';
import type { ListResponse, ShowResponse, StartResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { allowKeys } from '../http/query.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optBoolean, optString, optStringRecord, requiredObject } from '../http/shape.js';
import { LIST_QUERY_KEYS } from '../list-query.js';
import { parseListFilter } from './list-filter.js';
import { liveUsageOf, toLiveUsage } from '../live-usage.js';
import { startRun } from '../start-run.js';

export function runRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/runs', async ({ body }) => {
      const b = objectBody(await body(), ['spec', 'batchId', 'template', 'rerunOf', 'baseEnv', 'fleetSlot']);
      const spec = checkSpec(requiredObject(b, 'spec'));
      const options = {
        ...optional('batchId', optString(b, 'batchId')),
        ...optional('template', optString(b, 'template')),
        ...optional('rerunOf', optString(b, 'rerunOf')),
        ...optional('baseEnv', optStringRecord(b, 'baseEnv')),
      };
      const { run, reused } = await startRun(ctx, spec, options, optBoolean(b, 'fleetSlot') ?? false);
      ctx.log.info(reused ? 'run reused' : 'run started', { runId: run.id, name: run.spec.name });
      return { run: toRunView(run, ctx.now()), reused } satisfies StartResponse;
    }),
    route('GET', '/v1/runs', async ({ query }) => {
      allowKeys(query, LIST_QUERY_KEYS);
      const runs = ctx.supervisor.list(parseListFilter(query));
      const now = ctx.now();
      const usage = liveUsageOf(
        ctx.supervisor.latestUsage(),
        runs.map((r) => r.id),
      );
      return {
        source: 'daemon',
        runs: runs.map((r) => toRunView(r, now)),
        position: ctx.supervisor.state.position,
        ...(Object.keys(usage).length > 0 ? { usage } : {}),
      } satisfies ListResponse;
    }),
    route('GET', '/v1/runs/:id', async ({ params, query }) => {
      allowKeys(query, []);
      const run = ctx.supervisor.get(params[0]!);
      const skipped: DamagedRecord[] = [];
      const events = await ctx.store.readStream(runStreamId(run.id), { onDamaged: (d) => skipped.push(d) });
      const warnings = mergeWarnings(skippedWarnings({ skipped }));
      const usage = ctx.supervisor.latestUsage().get(run.id);
      return {
        source: 'daemon',
        run: toRunView(run, ctx.now()),
        timeline: timelineOf(events),
        logs: logPathsOf(ctx, run),
        ...(usage ? { usage: toLiveUsage(usage) } : {}),
        ...withWarnings(warnings),
      } satisfies ShowResponse;
    }),
  ];
}

/**
 * The spec as the supervisor will see it. Normalizing here first turns a
 * wrong JSON type (a TypeError inside normalizeSpec) into INVALID_SPEC, and a
 * relative cwd is refused: it would resolve against the daemon's directory, not the caller's.
 */
export function checkSpec(spec: Record<string, unknown>): RunSpecInput {
  const input = spec as unknown as RunSpecInput;
  if (typeof input.cwd === 'string' && !isAbsolute(input.cwd)) {
    throw new RunledgerError('INVALID_SPEC', `cwd: ${JSON.stringify(input.cwd)} must be an absolute path when sent to the daemon`, {
      field: 'cwd',
    });
  }
  try {
    normalizeSpec(input, '/');
  } catch (err) {
    if (err instanceof TypeError)
      throw new RunledgerError('INVALID_SPEC', `spec: a field has the wrong type (${err.message})`, { field: 'spec' });
    throw err;
  }
  return input;
}

/** Absolute log paths of the latest attempt that has logs. */
export function logPathsOf(ctx: DaemonContext, run: RunState): { stdout: string; stderr: string } | null {
  const logs = [...run.attempts].reverse().find((a) => a.logs !== null)?.logs;
  return logs ? { stdout: join(ctx.paths.home, logs.stdout), stderr: join(ctx.paths.home, logs.stderr) } : null;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
