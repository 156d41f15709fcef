/**
 * Read-only answers from the fleet ledger (`--all-hosts`, `--host NAME`):
 * the same folds and shapes as a local ledger, `source: 'fleet'`, with each
 * run's host. Logs stay on the host that ran the process, so `show` has no
 * log paths here and `logs` says where to look.
 */
import type { ListQuery, ListResponse, ReplayResponse, ShowResponse } from '../daemon/api.js';
import { RunledgerError } from '../errors.js';
import { runStreamId, type EventEnvelope } from '../events/envelope.js';
import { openFleetStore } from '../fleet/open-fleet.js';
import { eventHosts, runHosts } from '../fleet/host-map.js';
import { loadRunsState } from '../projections/load.js';
import { getRun, listRuns, stateAt, toRunView } from '../projections/queries.js';
import type { RunView } from '../projections/run-view.js';
import type { RunsState } from '../projections/runs.js';
import { timelineOf } from '../projections/timeline.js';
import { mergeWarnings, skippedWarnings, type LedgerWarning } from '../projections/warnings.js';
import type { DamagedRecord } from '../store/event-store.js';
import type { EventsQuery, ReadBackend, ReplayAt } from './backend.js';
import { toRunFilter } from './list-filter.js';

export interface FleetSelection {
  url: string;
  /** Only this host's runs and events. */
  host?: string;
}

export async function openFleetReadBackend(selection: FleetSelection, now: () => number): Promise<ReadBackend> {
  const store = await openFleetStore({ url: selection.url, watch: false, connections: 2 });
  const found: LedgerWarning[] = [];
  const skip = (d: DamagedRecord) => found.push(...skippedWarnings({ skipped: [d] }));
  let state: RunsState | undefined;
  let hosts: Map<string, string> | undefined;
  const load = async () => {
    if (!state) {
      [state, hosts] = await Promise.all([loadRunsState(store), runHosts(store.backend)]);
      found.push(...skippedWarnings(state));
    }
    return state;
  };
  const withHost = (v: RunView): RunView => ({ ...v, host: hosts?.get(v.id) ?? '-' });
  const onHost = (v: RunView) => selection.host === undefined || v.host === selection.host;
  const views = (s: RunsState, q: ListQuery, at?: number) =>
    listRuns(s, toRunFilter(q))
      .map((r) => withHost(toRunView(r, at ?? now())))
      .filter(onHost);

  return {
    source: 'fleet',
    async list(q: ListQuery): Promise<ListResponse> {
      const s = await load();
      return { source: 'fleet', runs: views(s, q), position: s.position };
    },
    async show(id: string): Promise<ShowResponse> {
      const run = getRun(await load(), id);
      const events = await store.readStream(runStreamId(run.id), { onDamaged: skip });
      return { source: 'fleet', run: withHost(toRunView(run, now())), timeline: timelineOf(events), logs: null };
    },
    async logs(id) {
      const run = getRun(await load(), id);
      throw new RunledgerError('USAGE', `the logs of ${run.shortId} are on host ${hosts?.get(run.id) ?? '?'}: run logs there`, {
        host: hosts?.get(run.id),
      });
    },
    async events(q: EventsQuery, onEvent: (e: EventEnvelope) => void) {
      const runStream = q.run === undefined ? undefined : runStreamId(getRun(await load(), q.run).id);
      const types = q.type && q.type.length > 0 ? new Set(q.type) : undefined;
      const since = q.since === undefined ? undefined : Date.parse(q.since);
      for await (const page of store.scan({ from: q.from ?? 1, onDamaged: skip })) {
        const byPosition =
          selection.host === undefined || page.length === 0
            ? undefined
            : await eventHosts(store.backend, page[0]!.position, page[page.length - 1]!.position);
        for (const e of page) {
          if (byPosition && byPosition.get(e.position) !== selection.host) continue;
          if (runStream !== undefined && e.streamId !== runStream) continue;
          if (types && !types.has(e.type)) continue;
          if (since !== undefined && Date.parse(e.time) < since) continue;
          onEvent(e);
        }
      }
    },
    async replay(at: ReplayAt, q: ListQuery): Promise<ReplayResponse> {
      const [s] = await Promise.all([stateAt(store, at), load()]);
      found.push(...skippedWarnings(s));
      const atTime = 'time' in at ? at.time : String(at.position);
      return { source: 'fleet', position: s.position, at: atTime, runs: views(s, q, 'time' in at ? Date.parse(at.time) : undefined) };
    },
    async verify() {
      throw new RunledgerError('USAGE', 'verify the fleet ledger with `runledger fleet verify`');
    },
    async exportLog() {
      throw new RunledgerError('USAGE', 'export reads one host ledger; run it on that host');
    },
    warnings: () => mergeWarnings(found),
    close: () => store.close(),
  };
}
