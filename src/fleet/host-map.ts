/**
 * Which host recorded what: a run belongs to the host that recorded its
 * first event (the run's stream starts with that host's append), and an
 * event to the host in its origins row (none for events appended to the
 * fleet directly, such as cross-host requests).
 */
import { runIdOfStream } from '../events/envelope.js';
import type { PgBackend } from './pg-backend.js';
import { FLEET_SCHEMA as S } from './schema.js';

/** run id → host, for every run stream in the fleet. */
export async function runHosts(backend: PgBackend): Promise<Map<string, string>> {
  const rows = await backend.query<{ stream_id: string; host: string }>(
    `SELECT s.stream_id, o.host FROM ${S}.streams s JOIN ${S}.origins o ON o.position = s.position
     WHERE s.first_version = 1 AND s.stream_id LIKE 'run-%'`,
    [],
    'reading run hosts',
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    const id = runIdOfStream(r.stream_id);
    if (id) out.set(id, r.host);
  }
  return out;
}

/** fleet position → host, for positions in [from, to]. */
export async function eventHosts(backend: PgBackend, from: number, to: number): Promise<Map<number, string>> {
  const rows = await backend.query<{ position: string; host: string }>(
    `SELECT position, host FROM ${S}.origins WHERE position BETWEEN $1 AND $2`,
    [from, to],
    'reading event hosts',
  );
  return new Map(rows.map((r) => [Number(r.position), r.host]));
}
