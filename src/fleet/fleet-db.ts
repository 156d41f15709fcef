/**
 * A small connection to the fleet database for the coordination tables
 * (remote requests, slot leases, heartbeats) — not the ledger: no head, no
 * core. Short timeouts, because every caller either refuses with
 * FLEET_UNAVAILABLE or retries later; it never guesses.
 */
import type pg from 'pg';
import { fleetError } from './pg-errors.js';
import { openMigratedPool } from './migrated-pool.js';

export interface FleetDb {
  readonly url: string;
  query<R extends pg.QueryResultRow>(sql: string, params: unknown[], doing: string): Promise<R[]>;
  close(): Promise<void>;
}

export async function openFleetDb(url: string, options: { connections?: number; timeoutMs?: number } = {}): Promise<FleetDb> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const pool = await openMigratedPool(
    url,
    { connections: options.connections ?? 2, connectTimeoutMs: timeoutMs, queryTimeoutMs: timeoutMs },
    'opening the fleet database',
  );
  return {
    url,
    async query<R extends pg.QueryResultRow>(sql: string, params: unknown[], doing: string): Promise<R[]> {
      try {
        return (await pool.query<R>(sql, params)).rows;
      } catch (err) {
        throw fleetError(err, url, doing);
      }
    },
    close: () => pool.end().catch(() => undefined),
  };
}
