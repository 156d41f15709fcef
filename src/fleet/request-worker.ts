/**
 * The daemon's side of commands across hosts: LISTEN for requests addressed
 * to this host, and drain them — at start (a catch-up read, so a request
 * sent while the daemon was away is not missed), on every notification, and
 * once a second in case a notification was lost with a connection. Each
 * request is claimed before it is acted on (see remote-requests.ts), so a
 * restarted daemon never runs one twice.
 */
import type pg from 'pg';
import { RunledgerError } from '../errors.js';
import { openFleetDb, type FleetDb } from './fleet-db.js';
import { pgLib } from './pg-client.js';
import { answerRequest, claimNext, expireStale, REQUEST_CHANNEL, type RemoteAnswer, type RemoteRequest } from './remote-requests.js';
import { redactSecret } from './redact-url.js';

export type RequestHandler = (request: RemoteRequest) => Promise<unknown>;

export interface RequestWorker {
  stop(): Promise<void>;
}

const POLL_MS = 1000;
const RECONNECT_MS = 500;
const STOP_GRACE_MS = 2000;

export function startRequestWorker(options: {
  url: string;
  host: string;
  handle: RequestHandler;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}): RequestWorker {
  const { url, host, handle, log } = options;
  let stopped = false;
  let db: FleetDb | undefined;
  let listener: pg.Client | undefined;
  let draining: Promise<void> | undefined;
  let again = false;
  let lastError: string | undefined;

  async function drainOnce(): Promise<void> {
    db ??= await openFleetDb(url);
    await expireStale(db, host);
    for (let r = await claimNext(db, host); r && !stopped; r = await claimNext(db, host)) {
      log('info', 'remote request claimed', { requestId: r.requestId, command: r.command, from: r.fromHost });
      let answer: RemoteAnswer;
      try {
        answer = { ok: true, value: await handle(r) };
      } catch (err) {
        const e = err instanceof RunledgerError ? err : undefined;
        const message = redactSecret(String((err as Error)?.message ?? err), url);
        answer = { ok: false, error: { code: e?.code ?? 'INTERNAL', message, ...(e?.details ? { details: e.details } : {}) } };
      }
      await answerRequest(db, r.requestId, answer);
    }
  }
  const drain = (): void => {
    if (stopped) return;
    if (draining) return void (again = true);
    draining = drainOnce()
      .then(() => (lastError = undefined))
      .catch((err) => {
        const error = redactSecret(String((err as Error)?.message ?? err), url);
        // Once per distinct failure, not once per poll while the database is away.
        if (error !== lastError) log('warn', 'remote requests paused', { error });
        lastError = error;
      })
      .finally(() => {
        draining = undefined;
        if (again) ((again = false), drain());
      });
  };

  async function listen(): Promise<void> {
    const c = new pgLib.Client({ connectionString: url });
    listener = c;
    let retried = false;
    const retry = () => {
      c.end().catch(() => undefined);
      // An error event and a failed connect may both report one loss: reconnect once.
      if (stopped || retried) return;
      retried = true;
      setTimeout(() => void listen(), RECONNECT_MS).unref();
    };
    c.on('error', retry);
    c.on('notification', (n) => n.payload === host && drain());
    try {
      await c.connect();
      await c.query(`LISTEN ${REQUEST_CHANNEL}`);
      if (stopped) return void (await c.end());
      drain(); // catch up on what arrived while nobody listened
    } catch {
      retry();
    }
  }
  void listen();
  const poll = setInterval(drain, POLL_MS);
  poll.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      // A database that stopped answering must not hold the daemon's shutdown (queries time out after 5 s anyway).
      await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
      await listener?.end().catch(() => undefined);
      await db?.close();
    },
  };
}
