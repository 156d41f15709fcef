/**
 * The MCP server's calls to the daemon (src/daemon/api.ts), one per route it
 * uses. The daemon is started on demand, as for the CLI's mutating commands;
 * each call connects afresh, so a daemon restarted meanwhile is simply found.
 */
import type {
  BulkStopRequest,
  ListQuery,
  ListResponse,
  LogLine,
  ShowResponse,
  StartRequest,
  StartResponse,
  StackDownRequest,
  StackUpRequest,
  StackUpResponse,
  StopRequest,
} from '../daemon/api.js';
import { API_PREFIX } from '../daemon/api.js';
import type { DaemonClient } from '../daemon/client.js';
import { encodeListQuery, queryString, searchString } from '../daemon/list-query.js';
import { ensureDaemon } from '../daemon/lifecycle.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { OwnerScope } from '../events/schemas.js';
import type { RunView } from '../projections/run-view.js';
import type { WaitCondition, WaitVerdict } from '../projections/wait-condition.js';
import type { InterruptReport } from '../supervisor/supervisor.js';

export interface LogsPage {
  stream: 'stdout' | 'stderr';
  n?: number;
  attempt?: number;
  from?: number;
  /** ISO: only lines read at or after it (the route numbers lines after this filter). */
  since?: string;
}

export interface EventsFilter {
  run?: string;
  type?: string[];
  from?: number;
  since?: string;
  follow?: boolean;
}

export interface DaemonApi {
  start(request: StartRequest): Promise<StartResponse>;
  list(query: ListQuery): Promise<ListResponse>;
  show(id: string): Promise<ShowResponse>;
  stop(id: string, request: StopRequest): Promise<RunView>;
  bulkStop(request: BulkStopRequest): Promise<RunView[]>;
  restart(id: string): Promise<RunView>;
  interrupt(scope: OwnerScope): Promise<InterruptReport>;
  logs(id: string, page: LogsPage, onLine: (line: LogLine) => void, signal?: AbortSignal): Promise<void>;
  /** Lines of one stream so far (from the last line's index), of the latest attempt unless `attempt`. */
  lineCount(id: string, stream: 'stdout' | 'stderr', attempt?: number): Promise<number>;
  /** Follow one stream live, past its first `from` lines, until the run ended and drained, or `signal` aborts. */
  followLogs(
    id: string,
    follow: { stream: 'stdout' | 'stderr'; from: number },
    onLine: (line: LogLine) => void,
    signal: AbortSignal,
  ): Promise<void>;
  events(filter: EventsFilter, onEvent: (e: EventEnvelope) => void, signal?: AbortSignal): Promise<void>;
  /** The run once `condition` is decided; undefined when `signal` aborted first or the daemon ended the wait. */
  wait(id: string, condition: WaitCondition, signal: AbortSignal): Promise<{ run: RunView; verdict: WaitVerdict } | undefined>;
  /** Apply a stack plan (the daemon waits on dependencies, so this may take as long as the plan's waits). */
  stackUp(request: StackUpRequest): Promise<StackUpResponse>;
  stackDown(request: StackDownRequest): Promise<StackUpResponse>;
}

export function createDaemonApi(home: string): DaemonApi {
  const client = (): Promise<DaemonClient> => ensureDaemon(home);
  const get = async <T>(path: string) => (await client()).request<T>('GET', API_PREFIX + path);
  const post = async <T>(path: string, body: unknown = {}) => (await client()).request<T>('POST', API_PREFIX + path, body);
  const stream = async (path: string, onObject: (o: unknown) => void, signal?: AbortSignal) =>
    (await client()).stream(API_PREFIX + path, onObject, signal ? { signal } : {});
  const run = (id: string) => `/runs/${encodeURIComponent(id)}`;
  return {
    start: (request) => post<StartResponse>('/runs', request),
    list: (q) => get<ListResponse>(`/runs${searchString(encodeListQuery(q))}`),
    show: (id) => get<ShowResponse>(run(id)),
    stop: async (id, request) => (await post<{ run: RunView }>(`${run(id)}/stop`, request)).run,
    bulkStop: async (request) => (await post<{ runs: RunView[] }>('/stop', request)).runs,
    restart: async (id) => (await post<{ run: RunView }>(`${run(id)}/restart`)).run,
    interrupt: (scope) => post<InterruptReport>('/interrupt', { scope }),
    logs: (id, p, onLine, signal) =>
      stream(
        `${run(id)}/logs${queryString({ stream: p.stream, n: p.n, attempt: p.attempt, from: p.from, since: p.since })}`,
        (o) => onLine(o as LogLine),
        signal,
      ),
    async lineCount(id, which, attempt) {
      let count = 0;
      await stream(
        `${run(id)}/logs${queryString({ stream: which, n: 1, from: 0, attempt })}`,
        (o) => (count = ((o as LogLine).index ?? -1) + 1),
      );
      return count;
    },
    followLogs: (id, f, onLine, signal) =>
      stream(`${run(id)}/logs${queryString({ stream: f.stream, from: f.from, follow: 1 })}`, (o) => onLine(o as LogLine), signal),
    events: (f, onEvent, signal) =>
      stream(
        `/events${queryString({ run: f.run, type: f.type?.join(','), from: f.from, since: f.since, follow: f.follow ? 1 : undefined })}`,
        (o) => onEvent(o as EventEnvelope),
        signal,
      ),
    async wait(id, condition, signal) {
      let answer: { run: RunView; verdict: WaitVerdict } | undefined;
      try {
        await stream(`${run(id)}/wait${queryString({ for: condition })}`, (o) => (answer = o as typeof answer), signal);
      } catch (err) {
        if (!signal.aborted) throw err;
      }
      return answer;
    },
    stackUp: (request) => post<StackUpResponse>('/stacks/up', request),
    stackDown: (request) => post<StackUpResponse>('/stacks/down', request),
  };
}
