/** Every answer from the daemon's HTTP API (src/daemon/api.ts), one method per route. */
import type {
  BulkStopRequest,
  ListQuery,
  ListResponse,
  LogLine,
  ReplayResponse,
  ShowResponse,
  StartResponse,
  UiResponse,
} from '../daemon/api.js';
import { API_PREFIX } from '../daemon/api.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { RunView } from '../projections/run-view.js';
import type { ReconcileReport } from '../reconcile/report.js';
import type { AnchoredVerifyResult } from '../anchor/verify-anchored.js';
import type { InterruptReport } from '../supervisor/supervisor.js';
import type { WaitVerdict } from '../projections/wait-condition.js';
import type { Backend } from './backend.js';
import type { DaemonClient } from './daemon-link.js';
import { encodeListQuery, queryString, searchString } from '../daemon/list-query.js';

export function createDaemonBackend(client: DaemonClient, _now: () => number): Backend {
  const get = <T>(path: string) => client.request<T>('GET', API_PREFIX + path);
  const post = <T>(path: string, body: unknown = {}) => client.request<T>('POST', API_PREFIX + path, body);
  const run = (id: string) => `/runs/${encodeURIComponent(id)}`;

  return {
    source: 'daemon',
    daemonId: `${client.status.pid}@${client.status.startedAt}`,
    list: (q: ListQuery) => get<ListResponse>(`/runs${searchString(encodeListQuery(q))}`),
    show: (id) => get<ShowResponse>(run(id)),
    async logs(id, q, onLine, signal) {
      const resume = q.resume ? `${q.resume.attempt}:${q.resume.stdout}:${q.resume.stderr}` : undefined;
      const params = {
        stream: q.stream,
        n: q.n,
        follow: q.follow ? 1 : undefined,
        attempt: q.attempt,
        timestamps: q.timestamps ? 1 : undefined,
        since: q.since,
        cursor: q.cursor ? 1 : undefined,
        resume,
      };
      await client.stream(API_PREFIX + `${run(id)}/logs${queryString(params)}`, (o) => onLine(o as LogLine), signal ? { signal } : {});
    },
    async events(q, onEvent, signal) {
      const params = { run: q.run, type: q.type?.join(','), from: q.from, since: q.since, follow: q.follow ? 1 : undefined };
      await client.stream(API_PREFIX + `/events${queryString(params)}`, (o) => onEvent(o as EventEnvelope), signal ? { signal } : {});
    },
    replay: (at, q) =>
      get<ReplayResponse>(
        `/replay${searchString(encodeListQuery(q, new URLSearchParams({ at: 'position' in at ? String(at.position) : at.time })))}`,
      ),
    verify: (o = {}) =>
      get<AnchoredVerifyResult>(`/verify${queryString({ anchor: o.anchor ? `${o.anchor.position}:${o.anchor.hash}` : undefined })}`),
    async exportLog(id, onLine) {
      await client.stream(API_PREFIX + `/export${queryString({ run: id })}`, (o) => onLine(JSON.stringify(o)));
    },
    start: (request) => post<StartResponse>('/runs', request),
    stop: async (id, request) => (await post<{ run: RunView }>(`${run(id)}/stop`, request)).run,
    bulkStop: async (request: BulkStopRequest) => (await post<{ runs: RunView[] }>('/stop', request)).runs,
    restart: async (id) => (await post<{ run: RunView }>(`${run(id)}/restart`)).run,
    rerun: (id, request) => post<StartResponse>(`${run(id)}/rerun`, request),
    attach: (id) => get<{ command: string; args: string[] }>(`${run(id)}/attach`),
    interrupt: (scope) => post<InterruptReport>('/interrupt', { scope }),
    reconcile: () => post<ReconcileReport>('/reconcile'),
    async wait(id, condition, o = {}) {
      let answer: { run: RunView; verdict: WaitVerdict } | undefined;
      await client.stream(API_PREFIX + `${run(id)}/wait${queryString({ for: condition })}`, (x) => (answer = x as typeof answer), {
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onWatching ? { onOpen: o.onWatching } : {}),
      });
      return answer;
    },
    ui: (request) => post<UiResponse>('/ui', request),
    // Fetched with the status on connect: no extra request per command.
    warnings: () => client.status.warnings ?? [],
    async close() {
      client.close?.();
    },
  };
}
