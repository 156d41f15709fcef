/** Commands on existing runs: stop (one or many), restart, scoped interrupt, attach. */
import { RunledgerError } from '../../errors.js';
import { OWNER_KEYS } from '../../events/constants.js';
import type { OwnerScope } from '../../events/schemas.js';
import { isTerminalStatus, type RunState } from '../../projections/run-state.js';
import { toRunView } from '../../projections/run-view.js';
import type { StopOptions } from '../../supervisor/supervisor.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys } from '../http/query.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optBoolean, optDuration, optStringRecord, optStrings, requiredObject, type Body } from '../http/shape.js';

const STOP_FIELDS = ['force', 'grace', 'wait'] as const;

export function controlRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/runs/:id/stop', async ({ params, body }) => {
      const options = stopOptions(objectBody(await body(), STOP_FIELDS));
      const run = await ctx.supervisor.stop(params[0]!, options);
      ctx.log.info('run stop requested', { runId: run.id, force: options.force ?? false });
      return { run: toRunView(run, ctx.now()) };
    }),
    route('POST', '/v1/stop', async ({ body }) => {
      const b = objectBody(await body(), [...STOP_FIELDS, 'ids', 'all', 'label']);
      const options = stopOptions(b);
      const targets = selectBulk(ctx, b);
      const runs = await Promise.all(
        targets.map((r) => (isTerminalStatus(r.status) ? r : ctx.supervisor.stop(r.id, options).catch(keepTerminal(ctx, r.id)))),
      );
      ctx.log.info('bulk stop requested', { runs: runs.length });
      return { runs: runs.map((r) => toRunView(r, ctx.now())) };
    }),
    route('POST', '/v1/runs/:id/restart', async ({ params, body }) => {
      objectBody(await body(), []);
      return { run: toRunView(await ctx.supervisor.restart(params[0]!), ctx.now()) };
    }),
    route('POST', '/v1/interrupt', async ({ body }) => {
      const scope = ownerScope(requiredObject(objectBody(await body(), ['scope']), 'scope'));
      const report = await ctx.supervisor.interrupt(scope);
      ctx.log.info('interrupt', { matched: report.matched.length, signaled: report.signaled.length });
      return report;
    }),
    route('GET', '/v1/runs/:id/attach', async ({ params, query }) => {
      allowKeys(query, []);
      const run = ctx.supervisor.get(params[0]!);
      if (run.spec.runtime !== 'tmux' || !ctx.runtimes.tmux?.attachCommand) {
        throw new RunledgerError(
          'NOT_ATTACHABLE',
          `run ${run.shortId} runs in the background, not in tmux: use \`runledger logs -f ${run.shortId}\` to watch it`,
          { id: run.id, runtime: run.spec.runtime },
        );
      }
      if (isTerminalStatus(run.status))
        throw new RunledgerError('RUN_TERMINAL', `run ${run.shortId} already ended (${run.status}); its tmux session is gone`, {
          id: run.id,
          status: run.status,
        });
      return ctx.runtimes.tmux.attachCommand(run.id);
    }),
  ];
}

export function stopOptions(b: Body): StopOptions {
  const force = optBoolean(b, 'force');
  const grace = optDuration(b, 'grace');
  const wait = optBoolean(b, 'wait');
  return { ...(force === undefined ? {} : { force }), ...(grace === undefined ? {} : { grace }), ...(wait === undefined ? {} : { wait }) };
}

/** Resolve every selector before stopping anything, so an unknown id stops nothing. */
function selectBulk(ctx: DaemonContext, b: Body): RunState[] {
  const ids = optStrings(b, 'ids');
  const all = optBoolean(b, 'all') === true;
  const label = optStringRecord(b, 'label');
  if (!ids?.length && !all && !label) throw badRequest('say which runs to stop: ids, all or label');
  const found = new Map<string, RunState>();
  for (const id of ids ?? []) {
    const run = ctx.supervisor.get(id);
    found.set(run.id, run);
  }
  if (all || label) for (const run of ctx.supervisor.list({ active: true, ...(label ? { label } : {}) })) found.set(run.id, run);
  return [...found.values()];
}

/** A run that ended between selection and stop is reported as it is, not as an error. */
function keepTerminal(ctx: DaemonContext, id: string) {
  return (err: unknown): RunState => {
    if (err instanceof RunledgerError && err.code === 'RUN_TERMINAL') return ctx.supervisor.get(id);
    throw err;
  };
}

export function ownerScope(raw: Record<string, unknown>): OwnerScope {
  const scope: OwnerScope = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(OWNER_KEYS as readonly string[]).includes(k))
      throw badRequest(`unknown scope key "${k}" (expected one of ${OWNER_KEYS.join(', ')})`, { field: `scope.${k}` });
    if (typeof v !== 'string') throw badRequest(`scope.${k} must be a string`, { field: `scope.${k}` });
    scope[k as keyof OwnerScope] = v;
  }
  return scope;
}
