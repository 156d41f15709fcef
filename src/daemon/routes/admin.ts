/** Daemon-wide routes: status, verify, reconcile, export, replay and shutdown. */
import { parseUserAnchor, verifyAnchored } from '../../anchor/verify-anchored.js';
import { runStreamId } from '../../events/envelope.js';
import { listRuns } from '../../projections/queries.js';
import { toRunView } from '../../projections/run-view.js';
import { momentOf, stateAt, type StateAtTarget } from '../../projections/state-at.js';
import { DEFAULT_PROJECTION_NAME } from '../../projections/catch-up.js';
import { skippedWarnings, withWarnings } from '../../projections/warnings.js';
import { exportNdjson } from '../../store/ndjson.js';
import type { DaemonStatus, ReplayResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, text } from '../http/query.js';
import { NdjsonWriter } from '../http/reply.js';
import { route, STREAMED, type Route } from '../http/router.js';
import { objectBody, optBoolean } from '../http/shape.js';
import { LIST_QUERY_KEYS } from '../list-query.js';
import { parseListFilter } from './list-filter.js';
import { fleetSlotsStatus } from '../start-run.js';

export function adminRoutes(ctx: DaemonContext): Route[] {
  return [
    route('GET', '/v1/status', async ({ query }) => {
      allowKeys(query, []);
      return statusOf(ctx);
    }),
    route('GET', '/v1/verify', async ({ query }) => {
      allowKeys(query, ['anchor']);
      const given = text(query, 'anchor');
      const anchor = given === undefined ? undefined : parseUserAnchor(given);
      if (given !== undefined && !anchor) throw badRequest('anchor must be POSITION:HASH (64 hex digits)', { parameter: 'anchor' });
      const head = await ctx.store.head();
      const result = await verifyAnchored(ctx.store, { home: ctx.paths.home, ...(anchor ? { anchor } : {}) });
      if (result.ok) ctx.verificationPassed?.(head);
      return result;
    }),
    route('POST', '/v1/reconcile', async ({ body }) => {
      objectBody(await body(), []);
      const report = await ctx.supervisor.reconcile();
      ctx.log.info('reconcile', { ...report });
      return report;
    }),
    route('GET', '/v1/export', async ({ query, res }) => {
      allowKeys(query, ['run']);
      const run = text(query, 'run');
      const streamId = run === undefined ? undefined : runStreamId(ctx.supervisor.get(run).id);
      const out = new NdjsonWriter(res);
      for await (const line of exportNdjson(ctx.store, streamId === undefined ? {} : { streamId })) {
        if (out.closed) break;
        await out.writeRaw(line);
      }
      out.end();
      return STREAMED;
    }),
    route('GET', '/v1/replay', async ({ query }) => {
      allowKeys(query, ['at', ...LIST_QUERY_KEYS]);
      const at = text(query, 'at');
      if (at === undefined) throw badRequest('replay needs at=POSITION or at=TIME', { parameter: 'at' });
      const filter = parseListFilter(query);
      const state = await stateAt(ctx.store, replayTarget(at), DEFAULT_PROJECTION_NAME, ctx.snapshotKey ? { key: ctx.snapshotKey } : {});
      const then = replayNow(at) ?? (await momentOf(ctx.store, state));
      const runs = listRuns(state, filter).map((r) => toRunView(r, then));
      return { source: 'daemon', position: state.position, at, runs, ...withWarnings(skippedWarnings(state)) } satisfies ReplayResponse;
    }),
    route('POST', '/v1/shutdown', async ({ body }) => {
      const stopRuns = optBoolean(objectBody(await body(), ['stopRuns']), 'stopRuns') ?? false;
      ctx.log.info('shutdown requested over the API', { stopRuns });
      ctx.requestShutdown({ stopRuns });
      return { ok: true };
    }),
  ];
}

export function statusOf(ctx: DaemonContext): DaemonStatus {
  return {
    running: true,
    pid: process.pid,
    socket: ctx.paths.socket,
    home: ctx.paths.home,
    startedAt: ctx.startedAt,
    version: ctx.version,
    supervisorId: ctx.supervisor.supervisorId,
    ...withWarnings(ctx.warnings()),
    ...(ctx.supervisor.startupReconcile ? { startupReconcile: ctx.supervisor.startupReconcile } : {}),
    tracking: ctx.runtimes.background.tracking(),
    ...(ctx.fleet ? { fleet: ctx.fleet.status() } : {}),
    ...fleetSlotsStatus(ctx.paths.home),
  };
}

function replayTarget(at: string): StateAtTarget {
  if (/^\d+$/.test(at)) return { position: Number(at) };
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw badRequest(`at must be a ledger position or an ISO time, got ${JSON.stringify(at)}`, { parameter: 'at' });
  return { time };
}

/** Durations of runs that were active then are measured up to the replayed moment: the time asked for, else the position's event time. */
function replayNow(at: string): number | undefined {
  return /^\d+$/.test(at) ? undefined : Date.parse(at);
}
