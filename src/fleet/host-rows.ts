/**
 * Per-host rows in the fleet: the heartbeat (a host is down when it is old;
 * the database's clock, so hosts' clocks need not agree) and where this
 * host's replication stands, checked against the local chain so that two
 * ledgers claiming one host name are refused rather than interleaved.
 */
import { RunledgerError } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import type { PgBackend } from './pg-backend.js';
import { FLEET_SCHEMA as S } from './schema.js';

export async function beat(backend: PgBackend, host: string, localHead: number): Promise<void> {
  await backend.query(
    `INSERT INTO ${S}.hosts (host, heartbeat_at, local_head) VALUES ($1, now(), $2)
     ON CONFLICT (host) DO UPDATE SET heartbeat_at = now(), local_head = EXCLUDED.local_head`,
    [host, localHead],
    'recording a heartbeat',
  );
}

/** The last local position of `host` stored in the fleet, after checking it is this ledger's event. */
export async function shippedPosition(backend: PgBackend, host: string, local: EventStore): Promise<number> {
  const rows = await backend.query<{ local_position: string; local_json: string }>(
    `SELECT local_position, local_json FROM ${S}.origins WHERE host = $1 ORDER BY local_position DESC LIMIT 1`,
    [host],
    'reading where replication stands',
  );
  const row = rows[0];
  if (!row) return 0;
  const position = Number(row.local_position);
  let mine: string | undefined;
  for await (const page of local.scanStored({ from: position, pageSize: 1 })) {
    mine = page[0];
    break;
  }
  if (mine !== row.local_json) {
    throw new RunledgerError(
      'FLEET_HOST_CONFLICT',
      `the fleet already holds another ledger's event ${position} for host ${host}: give this host another --host-name`,
      { host, position },
    );
  }
  return position;
}
