/**
 * The daemon's part in the fleet beyond replication: it answers requests
 * other hosts address to it (run, stop, restart, interrupt) through its own
 * Supervisor — the run's own events are the record, tagged with the request
 * id as the label `runledger.request` — and it leases fleet-wide slots in
 * PostgreSQL around a start, releasing them once their run is no longer
 * active. Loaded only when the daemon is in a fleet.
 */
import { RunledgerError } from '../errors.js';
import { isTerminalStatus } from '../projections/run-state.js';
import { toRunView } from '../projections/run-view.js';
import type { StartOptions, StartResult } from '../supervisor/supervisor.js';
import type { RunSpecInput } from '../supervisor/spec.js';
import { openFleetDb, type FleetDb } from '../fleet/fleet-db.js';
import type { RemoteRequest } from '../fleet/remote-requests.js';
import { startRequestWorker } from '../fleet/request-worker.js';
import { decideRemoteCommandHandled, hostStreamId } from '../fleet/decide-remote.js';
import { acquireSlot, bindSlot, releaseSlot, sweepSlots } from '../fleet/slot-leases.js';
import type { DaemonContext } from './context.js';
import { objectBody, optBoolean, requiredObject, optStrings } from './http/shape.js';
import { ownerScope, stopOptions } from './routes/control.js';
import { checkSpec } from './routes/runs.js';
import { startRun } from './start-run.js';

export const REQUEST_LABEL = 'runledger.request';
const SWEEP_MS = 1000;

export interface FleetCoordination {
  /** Start a run whose slot is leased fleet-wide first (SLOT_BUSY names the holder; FLEET_UNAVAILABLE refuses). */
  startLeased(spec: RunSpecInput, slot: string, options: StartOptions): Promise<StartResult>;
  stop(): Promise<void>;
}

export function startFleetCoordination(ctx: DaemonContext, url: string, host: string): FleetCoordination {
  let dbP: Promise<FleetDb> | undefined;
  const db = () => (dbP ??= openFleetDb(url).catch((err) => ((dbP = undefined), Promise.reject(err))));
  const activeIds = () => ctx.supervisor.list({ active: true }).map((r) => r.id);

  /** `slot` is the spec's (start-run.ts decided it must be leased, so there is one). */
  async function startLeased(spec: RunSpecInput, slot: string, options: StartOptions): Promise<StartResult> {
    // As in the local rule, a key comes first: an active run with the same key is reused, and reusing takes no lease.
    if (spec.key && ctx.supervisor.state.activeByKey.has(spec.key)) {
      const result = await ctx.supervisor.start(spec, options);
      return result.reused ? result : leaseStarted(slot, result);
    }
    const d = await db();
    const token = await acquireSlot(d, slot, host, activeIds());
    let result: StartResult;
    try {
      result = await ctx.supervisor.start(spec, options);
    } catch (err) {
      await releaseSlot(d, slot, token).catch(() => undefined);
      throw err;
    }
    // A run with this key started meanwhile and was reused: it is not this lease's run.
    if (result.reused) await releaseSlot(d, slot, token);
    else await bindSlot(d, slot, token, result.run.id);
    return result;
  }

  /** A run started without a lease (its key's run ended between the check and the start): lease the slot now, or stop it. */
  async function leaseStarted(slot: string, result: StartResult): Promise<StartResult> {
    try {
      const d = await db();
      await bindSlot(d, slot, await acquireSlot(d, slot, host, activeIds()), result.run.id);
      return result;
    } catch (err) {
      await ctx.supervisor.stop(result.run.id, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  async function handle(r: RemoteRequest): Promise<unknown> {
    const now = ctx.now();
    switch (r.command) {
      case 'run': {
        const b = objectBody(r.payload, ['spec', 'fleetSlot']);
        const spec = checkSpec(requiredObject(b, 'spec'));
        const tagged = { ...spec, labels: { ...(spec.labels ?? {}), [REQUEST_LABEL]: r.requestId } };
        // Through the daemon's one start: a slot this host's config declares fleet-wide is leased here too.
        const { run, reused } = await startRun(ctx, tagged, {}, optBoolean(b, 'fleetSlot') ?? false);
        ctx.log.info('remote run started', { runId: run.id, requestId: r.requestId, from: r.fromHost });
        return { run: toRunView(run, now), reused };
      }
      case 'stop': {
        const b = objectBody(r.payload, ['ids', 'force', 'grace', 'wait']);
        const options = stopOptions(b);
        // Ids, short ids and names are resolved here, against this host's own runs, and all of them
        // before the first stop: as locally, a typo or an ambiguous name stops nothing.
        const targets = (optStrings(b, 'ids') ?? []).map((id) => ctx.supervisor.get(id));
        const runs = [];
        for (const run of targets) runs.push(isTerminalStatus(run.status) ? run : await ctx.supervisor.stop(run.id, options));
        return { runs: runs.map((x) => toRunView(x, ctx.now())) };
      }
      case 'restart': {
        const id = objectBody(r.payload, ['id']).id;
        if (typeof id !== 'string') throw new RunledgerError('BAD_REQUEST', 'restart: id must be a string');
        return { run: toRunView(await ctx.supervisor.restart(id), ctx.now()) };
      }
      case 'interrupt':
        return ctx.supervisor.interrupt(ownerScope(requiredObject(objectBody(r.payload, ['scope']), 'scope')));
      default:
        throw new RunledgerError('BAD_REQUEST', `unknown remote command ${JSON.stringify(r.command)}`);
    }
  }

  /** Act, then record what was done in this host's own ledger (host-<name>), then answer. */
  async function handleAndRecord(r: RemoteRequest): Promise<unknown> {
    let value: unknown;
    let errorCode: string | null = null;
    try {
      value = await handle(r);
      return value;
    } catch (err) {
      errorCode = err instanceof RunledgerError ? err.code : 'INTERNAL';
      throw err;
    } finally {
      const handled = decideRemoteCommandHandled({
        requestId: r.requestId,
        fromHost: r.fromHost,
        command: r.command,
        ok: errorCode === null,
        runIds: runIdsOf(value),
        errorCode,
      });
      await ctx.supervisor
        .record(hostStreamId(host), handled)
        .catch((err: unknown) => ctx.log.warn('could not record a remote command', { requestId: r.requestId, error: String(err) }));
    }
  }

  const worker = startRequestWorker({
    url,
    host,
    handle: handleAndRecord,
    log: (level, message, fields) => ctx.log[level](message, fields),
  });
  // A lease goes the moment its run ends, so another host can take the slot as soon as `ps` here says
  // the run is over; the sweep below only catches what this misses (a database out of reach, a crash).
  const ended = ctx.supervisor.runs$.subscribe((run) => {
    if (!run.spec.slot || !isTerminalStatus(run.status)) return;
    const slot = run.spec.slot;
    void db()
      .then((d) => releaseSlot(d, slot, run.id))
      .catch(() => undefined);
  });
  const sweep = setInterval(() => {
    void db()
      .then((d) => sweepSlots(d, host, activeIds()))
      .catch(() => undefined);
  }, SWEEP_MS);
  sweep.unref();

  return {
    startLeased,
    async stop() {
      clearInterval(sweep);
      ended.unsubscribe();
      await worker.stop();
      await (await dbP?.catch(() => undefined))?.close();
    },
  };
}

/** The runs an answer is about: a started, restarted or stopped run, or an interrupt's matches. */
function runIdsOf(value: unknown): string[] {
  const v = (value ?? {}) as { run?: { id: string }; runs?: { id: string }[]; matched?: { id: string }[] };
  return [...(v.run ? [v.run.id] : []), ...(v.runs ?? []).map((r) => r.id), ...(v.matched ?? []).map((r) => r.id)];
}
