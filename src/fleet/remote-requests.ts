/**
 * Commands across hosts: a request is a row addressed to one host; the
 * target's daemon claims it with one conditional UPDATE (`claimed_by IS
 * NULL AND deadline > now()`), so exactly one claim can ever succeed, and a
 * request whose deadline passed is never claimed. The requester cancels
 * what nobody claimed by its deadline with the same kind of UPDATE, so
 * "timed out" and "executed" exclude each other.
 */
import { randomUUID } from 'node:crypto';
import { RunledgerError } from '../errors.js';
import type { FleetDb } from './fleet-db.js';
import { FLEET_SCHEMA as S } from './schema.js';

export const REQUEST_CHANNEL = 'runledger_requests';
export const REMOTE_COMMANDS = ['run', 'stop', 'restart', 'interrupt'] as const;
export type RemoteCommand = (typeof REMOTE_COMMANDS)[number];
/** A host whose last heartbeat is older than this is down (three of the replicator's 2 s beats). */
export const HOST_STALE_MS = 6000;
const CANCELLED = '(expired)';

export interface RemoteRequest {
  requestId: string;
  fromHost: string;
  toHost: string;
  command: RemoteCommand;
  payload: Record<string, unknown>;
}

export type RemoteAnswer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** HOST_UNAVAILABLE unless `host` sent a heartbeat within HOST_STALE_MS (by the database's clock). */
export async function requireLiveHost(db: FleetDb, host: string): Promise<void> {
  const rows = await db.query<{ heartbeat_at: Date; silent_ms: string }>(
    `SELECT heartbeat_at, extract(epoch FROM now() - heartbeat_at) * 1000 AS silent_ms FROM ${S}.hosts WHERE host = $1`,
    [host],
    'reading a heartbeat',
  );
  const row = rows[0];
  if (!row)
    throw new RunledgerError('HOST_UNAVAILABLE', `host ${host} has never sent a heartbeat to this fleet`, { host, lastHeartbeat: null });
  const silentMs = Number(row.silent_ms);
  if (silentMs <= HOST_STALE_MS) return;
  throw hostUnavailable(host, row.heartbeat_at, silentMs, `no heartbeat for ${HOST_STALE_MS / 1000} s`);
}

function hostUnavailable(host: string, at: Date, silentMs: number, why: string): RunledgerError {
  const lastHeartbeat = at.toISOString();
  return new RunledgerError(
    'HOST_UNAVAILABLE',
    `host ${host} is unavailable (${why}): last heartbeat ${lastHeartbeat}, ${(silentMs / 1000).toFixed(1)} s ago`,
    { host, lastHeartbeat },
  );
}

export function newRequest(fromHost: string, toHost: string, command: RemoteCommand, payload: Record<string, unknown>): RemoteRequest {
  return { requestId: `req-${randomUUID()}`, fromHost, toHost, command, payload };
}

/** Insert the request and wake its host (NOTIFY is delivered at commit). */
export async function submitRequest(db: FleetDb, r: RemoteRequest, timeoutMs: number): Promise<void> {
  await db.query(
    `WITH ins AS (INSERT INTO ${S}.remote_requests (request_id, from_host, to_host, command, payload, deadline)
                  VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING to_host)
     SELECT pg_notify('${REQUEST_CHANNEL}', to_host) FROM ins`,
    [r.requestId, r.fromHost, r.toHost, r.command, JSON.stringify(r.payload), timeoutMs / 1000],
    'sending a request',
  );
}

/** The target's answer, or HOST_UNAVAILABLE once the deadline passed and the request is cancelled unclaimed. */
export async function awaitAnswer(db: FleetDb, r: RemoteRequest, timeoutMs: number, pollMs = 20): Promise<RemoteAnswer> {
  const until = Date.now() + timeoutMs;
  // A claimed request gets a little longer: the host is working on it.
  let claimedGrace = 0;
  for (;;) {
    const [row] = await db.query<{ claimed_by: string | null; answer: RemoteAnswer | null }>(
      `SELECT claimed_by, answer FROM ${S}.remote_requests WHERE request_id = $1`,
      [r.requestId],
      'waiting for an answer',
    );
    if (row?.answer) return row.answer;
    if (row?.claimed_by === CANCELLED) break; // expired by the target's own sweep: never ran
    if (row?.claimed_by && claimedGrace === 0) claimedGrace = 30_000;
    if (Date.now() >= until && !row?.claimed_by) {
      const cancelled = await db.query(
        `UPDATE ${S}.remote_requests SET claimed_by = '${CANCELLED}', claimed_at = now(), payload = NULL
          WHERE request_id = $1 AND claimed_by IS NULL RETURNING 1`,
        [r.requestId],
        'cancelling a request',
      );
      if (cancelled.length > 0) break;
      continue;
    }
    if (Date.now() >= until + claimedGrace) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const [hb] = await db.query<{ heartbeat_at: Date; silent_ms: string }>(
    `SELECT heartbeat_at, extract(epoch FROM now() - heartbeat_at) * 1000 AS silent_ms FROM ${S}.hosts WHERE host = $1`,
    [r.toHost],
    'reading a heartbeat',
  );
  const why =
    claimedGrace > 0
      ? `it took the request but gave no answer within ${Math.round((timeoutMs + claimedGrace) / 1000)} s`
      : `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  if (!hb)
    throw new RunledgerError('HOST_UNAVAILABLE', `host ${r.toHost} is unavailable (${why})`, { host: r.toHost, lastHeartbeat: null });
  throw hostUnavailable(r.toHost, hb.heartbeat_at, Number(hb.silent_ms), why);
}

/**
 * Close this host's requests whose deadline passed unclaimed (their
 * requester gave up or died): they can no longer be claimed anyway, and their
 * payload (which may hold -e values) should not stay in the database.
 */
export async function expireStale(db: FleetDb, host: string): Promise<void> {
  await db.query(
    `UPDATE ${S}.remote_requests SET claimed_by = '${CANCELLED}', claimed_at = now(), payload = NULL
      WHERE to_host = $1 AND claimed_by IS NULL AND deadline <= now()`,
    [host],
    'expiring old requests',
  );
}

/** Claim this host's oldest open request; its payload leaves the table with the claim. */
export async function claimNext(db: FleetDb, host: string): Promise<RemoteRequest | undefined> {
  const rows = await db.query<{ request_id: string; from_host: string; command: RemoteCommand; payload: Record<string, unknown> }>(
    `WITH next AS (SELECT request_id, payload FROM ${S}.remote_requests
                    WHERE to_host = $1 AND claimed_by IS NULL AND deadline > now()
                    ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE ${S}.remote_requests r SET claimed_by = $1, claimed_at = now(), payload = NULL
       FROM next WHERE r.request_id = next.request_id AND r.claimed_by IS NULL
     RETURNING r.request_id, r.from_host, r.command, next.payload`,
    [host],
    'claiming a request',
  );
  const row = rows[0];
  if (!row) return undefined;
  return { requestId: row.request_id, fromHost: row.from_host, toHost: host, command: row.command, payload: row.payload ?? {} };
}

export async function answerRequest(db: FleetDb, requestId: string, answer: RemoteAnswer): Promise<void> {
  await db.query(
    `UPDATE ${S}.remote_requests SET answer = $2, answered_at = now() WHERE request_id = $1`,
    [requestId, JSON.stringify(answer)],
    'answering a request',
  );
}
