/**
 * The daemon's client over its Unix socket: so `runledger ps` never loads
 * LevelDB, RxJS or execa when a daemon answers. One-shot JSON requests go
 * over node:net (http-exchange.ts, for start-up time); NDJSON streams load
 * node:http when they open.
 *
 * @example
 * const client = await connectDaemon(home);
 * if (client) {
 *   const { runs } = await client.request<ListResponse>('GET', '/v1/runs?all=1');
 *   await client.stream('/v1/events?follow=1', (e) => console.log(e), { signal });
 * }
 */
import type { IncomingMessage } from 'node:http';
import { ERROR_CODES, RunledgerError, type ErrorCode } from '../errors.js';
import type { ApiErrorBody, DaemonStatus } from './api.js';
import { daemonPaths } from './home.js';
import { exchange } from './http-exchange.js';

export interface StreamOptions {
  signal?: AbortSignal;
  /** Default GET. */
  method?: string;
  body?: unknown;
  /** Called once the daemon answered 200 (for a wait: it is now watching). */
  onOpen?: () => void;
}

export interface DaemonClient {
  readonly home: string;
  readonly socket: string;
  /** What the daemon said when we connected. */
  readonly status: DaemonStatus;
  /** One JSON request; an error body becomes a RunledgerError with its code. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** An NDJSON stream, one parsed object per call; resolves when the stream ends or `signal` aborts. */
  stream(path: string, onObject: (o: unknown) => void, options?: StreamOptions): Promise<void>;
  close(): void;
}

/** Errors that mean "nobody listens there": the CLI then starts a daemon or reads the ledger. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK']);
const CONNECT_TIMEOUT_MS = 5000;
const RESET_RETRIES = 20;

/** A client for the daemon of `home`, or null when no daemon answers on its socket. */
export async function connectDaemon(
  home: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<DaemonClient | null> {
  const paths = daemonPaths(home, options.env);
  for (let attempt = 1; ; attempt++) {
    try {
      const status = await send<DaemonStatus>(paths.socket, 'GET', '/v1/status', undefined, options.timeoutMs ?? CONNECT_TIMEOUT_MS);
      return createDaemonClient(paths.home, paths.socket, status);
    } catch (err) {
      const errno = err instanceof RunledgerError ? String(err.details.errno) : '';
      if (NOT_LISTENING.has(errno)) return null;
      // A reset while connecting: a daemon is dying (or its successor is replacing the socket). Look again shortly.
      if (errno !== 'ECONNRESET' || attempt >= RESET_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A client for a socket already known to answer. */
export function createDaemonClient(home: string, socket: string, status: DaemonStatus): DaemonClient {
  return {
    home,
    socket,
    status,
    request: <T>(method: string, path: string, body?: unknown) => send<T>(socket, method, path, body),
    stream: (path, onObject, options = {}) => streamNdjson(socket, path, onObject, options),
    close() {
      // One connection per request: nothing is held open between calls.
    },
  };
}

async function openRequest(socket: string, method: string, path: string, body: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
  const { request: httpRequest } = await import('node:http');
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        socketPath: socket,
        method,
        path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
        agent: false,
        ...(signal ? { signal } : {}),
      },
      resolve,
    );
    req.on('error', (err) => reject(wrapTransportError(err, socket)));
    req.end(payload);
  });
}

async function send<T>(socket: string, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
  let answer;
  try {
    answer = await exchange(socket, method, path, body, timeoutMs);
  } catch (err) {
    throw wrapTransportError(err as Error, socket);
  }
  const parsed = parseJson(answer.body, answer.status);
  if (answer.status >= 400) throw toRunledgerError(parsed, answer.status);
  return parsed as T;
}

async function streamNdjson(socket: string, path: string, onObject: (o: unknown) => void, options: StreamOptions): Promise<void> {
  if (options.signal?.aborted) return;
  let res: IncomingMessage;
  try {
    res = await openRequest(socket, options.method ?? 'GET', path, options.body, options.signal);
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  }
  if ((res.statusCode ?? 500) >= 400) throw toRunledgerError(parseJson(await readAll(res), res.statusCode ?? 500), res.statusCode ?? 500);
  options.onOpen?.();
  let partial = '';
  const handle = (line: string) => {
    if (line.trim() === '') return;
    const obj = parseJson(line, 200);
    // A failure after the stream began arrives as a last `{"error":...}` line (see api.ts).
    if (isErrorBody(obj)) throw toRunledgerError(obj, 500);
    onObject(obj);
  };
  try {
    res.setEncoding('utf8');
    for await (const chunk of res as AsyncIterable<string>) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) handle(line);
    }
    handle(partial);
  } catch (err) {
    if (options.signal?.aborted) return;
    res.destroy();
    throw err instanceof RunledgerError ? err : wrapTransportError(err as Error, socket);
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RunledgerError('DAEMON_UNAVAILABLE', `the daemon answered (HTTP ${status}) with something that is not JSON`, { status });
  }
}

function isErrorBody(o: unknown): o is ApiErrorBody {
  const e = (o as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
}

function toRunledgerError(body: unknown, status: number): RunledgerError {
  if (!isErrorBody(body)) return new RunledgerError('INTERNAL', `the daemon failed with HTTP ${status}`, { status });
  const { code, message, details } = body.error;
  const known = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
  return new RunledgerError(known, message, { ...(details ?? {}), ...(known === code ? {} : { code }), status });
}

function wrapTransportError(err: Error, socket: string): Error {
  const code = errnoOf(err);
  if (code && NOT_LISTENING.has(code)) {
    // connectDaemon turns this into "no daemon"; mid-session it means the daemon went away.
    return new RunledgerError('DAEMON_UNAVAILABLE', `no daemon answers on ${socket}`, { socket, errno: code }, { cause: err });
  }
  if (err.name === 'AbortError' || err.name === 'TimeoutError') {
    return new RunledgerError('DAEMON_UNAVAILABLE', `the daemon at ${socket} did not answer in time`, { socket }, { cause: err });
  }
  if (code === 'EACCES')
    return new RunledgerError('UNSAFE_SOCKET', `no permission to use the daemon socket ${socket}`, { socket }, { cause: err });
  return new RunledgerError(
    'DAEMON_UNAVAILABLE',
    `lost the connection to the daemon at ${socket}: ${err.message}`,
    { socket, errno: code },
    { cause: err },
  );
}

function errnoOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}
