/**
 * The page's calls to the daemon's UI listener. Same origin only; the
 * HttpOnly cookie set on the first load authenticates every call (the page
 * never sees the token). Types are the daemon's own (src/daemon/api.ts).
 */
import type {
  AnchoredVerifyResult,
  EventEnvelope,
  ListResponse,
  LogLine,
  ReplayResponse,
  RunView,
  ShowResponse,
  StartResponse,
  UiLedgerEvent,
} from './types.js';

export type { ListResponse, LogLine, ReplayResponse, RunView, ShowResponse, UiLedgerEvent, AnchoredVerifyResult, EventEnvelope };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(parsed?.error?.code ?? `HTTP_${res.status}`, parsed?.error?.message ?? res.statusText);
  return parsed as T;
}

const id = (runId: string) => `/v1/runs/${encodeURIComponent(runId)}`;

export const api = {
  list: () => call<ListResponse>('GET', '/v1/runs?all=1&limit=500'),
  show: (runId: string) => call<ShowResponse>('GET', id(runId)),
  replay: (position: number) => call<ReplayResponse>('GET', `/v1/replay?at=${position}&all=1`),
  verify: () => call<AnchoredVerifyResult>('GET', '/v1/verify'),
  stop: (runId: string) => call<{ run: RunView }>('POST', `${id(runId)}/stop`, {}),
  restart: (runId: string) => call<{ run: RunView }>('POST', `${id(runId)}/restart`, {}),
  rerun: (runId: string) => call<StartResponse>('POST', `${id(runId)}/rerun`, {}),
  /** A run's envelopes (for evidence), read to the end. */
  async events(runId: string): Promise<EventEnvelope[]> {
    const out: EventEnvelope[] = [];
    await readNdjson(`/api/v1/events?run=${encodeURIComponent(runId)}`, (o) => out.push(o as EventEnvelope), new AbortController().signal);
    return out;
  },
  /** Follow an attempt's output until it is drained or `signal` aborts. */
  logs(runId: string, attempt: number, stream: string, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
    const q = new URLSearchParams({ follow: '1', n: '500', attempt: String(attempt), stream });
    return readNdjson(`/api${id(runId)}/logs?${q}`, (o) => onLine(o as LogLine), signal);
  },
};

async function readNdjson(url: string, onObject: (o: unknown) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', signal });
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
  if (!res.ok || !res.body) throw new ApiError(`HTTP_${res.status}`, res.statusText);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let partial = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const lines = (partial + value).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') emit(line, onObject);
    }
    if (partial.trim() !== '') emit(partial, onObject);
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

/** One NDJSON line; a stream that failed after it began ends with an `{"error":…}` line. */
function emit(line: string, onObject: (o: unknown) => void): void {
  const o = JSON.parse(line) as { error?: { code: string; message: string } };
  if (o.error && typeof o.error.code === 'string') throw new ApiError(o.error.code, o.error.message);
  onObject(o);
}

/**
 * The ledger, live: EventSource resumes by itself after a cut, sending the
 * last id it saw (Last-Event-ID), and the daemon continues from there.
 */
export function followLedger(from: number, onEvent: (e: UiLedgerEvent) => void, onState: (live: boolean) => void): EventSource {
  const source = new EventSource(`/api/ui/events?from=${from}`);
  source.addEventListener('ledger', (m) => onEvent(JSON.parse((m as MessageEvent<string>).data) as UiLedgerEvent));
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  return source;
}
