/**
 * A connection pool to the fleet database whose schema is migrated before it
 * is handed out: the one way both the ledger (open-fleet.ts) and the
 * coordination tables (fleet-db.ts) connect, so timeouts, the idle-error
 * guard and the migration step cannot drift apart.
 */
import type pg from 'pg';
import { pgLib } from './pg-client.js';
import { fleetError } from './pg-errors.js';
import { migrateFleetSchema } from './schema.js';

export interface PoolOptions {
  connections: number;
  connectTimeoutMs: number;
  /** A silent network (no refusal) must end in an error, not a hung replicator or command. */
  queryTimeoutMs: number;
}

export async function openMigratedPool(url: string, options: PoolOptions, doing: string): Promise<pg.Pool> {
  const pool = new pgLib.Pool({
    connectionString: url,
    max: options.connections,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    keepAlive: true,
  });
  // An idle client whose server went away emits here; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrateFleetSchema(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw fleetError(err, url, doing);
  }
  return pool;
}
