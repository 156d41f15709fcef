/**
 * The fleet's hosts as the database sees them: last heartbeat (database
 * clock), how far each host's replication got and its local head, so
 * `fleet hosts` can show who is alive and who lags.
 */
import type { PgBackend } from './pg-backend.js';
import { FLEET_SCHEMA as S } from './schema.js';

export interface FleetHost {
  host: string;
  heartbeatAt: string;
  /** Seconds since the heartbeat, by the database's clock. */
  silentForS: number;
  localHead: number;
  shipped: number;
  lag: number;
}

export async function listFleetHosts(backend: PgBackend): Promise<FleetHost[]> {
  const rows = await backend.query<{ host: string; heartbeat_at: Date; silent: string; local_head: string; shipped: string | null }>(
    `SELECT h.host, h.heartbeat_at, extract(epoch FROM now() - h.heartbeat_at) AS silent, h.local_head,
            (SELECT max(local_position) FROM ${S}.origins o WHERE o.host = h.host) AS shipped
       FROM ${S}.hosts h ORDER BY h.host`,
    [],
    'listing hosts',
  );
  return rows.map((r) => {
    const shipped = Number(r.shipped ?? 0);
    const localHead = Number(r.local_head);
    return {
      host: r.host,
      heartbeatAt: r.heartbeat_at.toISOString(),
      silentForS: Math.round(Number(r.silent) * 10) / 10,
      localHead,
      shipped,
      lag: Math.max(localHead - shipped, 0),
    };
  });
}
