/**
 * The fleet ledger's schema, created and migrated by runledger itself: each
 * migration runs once, in order, in one transaction under an advisory lock,
 * so daemons starting together do not race, and a database migrated by a
 * newer runledger is refused (FLEET_SCHEMA_TOO_NEW) instead of misread.
 */
import type pg from 'pg';
import { RunledgerError } from '../errors.js';

export const FLEET_SCHEMA = 'runledger';
/** Any constant works; this one is "rl" in ASCII, so it is recognisable in pg_locks. */
const MIGRATION_LOCK = 0x726c;

const MIGRATIONS: readonly string[] = [
  // 1: the log (one row per event, its stored JSON exactly as hashed), the
  // same indexes as the LevelDB layout, the head row every writer locks, and
  // provenance: which host recorded each event at which local position.
  `CREATE TABLE ${FLEET_SCHEMA}.log (position bigint PRIMARY KEY, json text NOT NULL);
   CREATE TABLE ${FLEET_SCHEMA}.streams (stream_id text NOT NULL, first_version bigint NOT NULL, position bigint NOT NULL,
     count integer NOT NULL, PRIMARY KEY (stream_id, first_version));
   CREATE TABLE ${FLEET_SCHEMA}.ids (id text PRIMARY KEY, position bigint NOT NULL);
   CREATE TABLE ${FLEET_SCHEMA}.head (one boolean PRIMARY KEY DEFAULT true CHECK (one), position bigint NOT NULL, hash text NOT NULL);
   INSERT INTO ${FLEET_SCHEMA}.head (position, hash) VALUES (0, repeat('0', 64));
   CREATE TABLE ${FLEET_SCHEMA}.snapshots (name text PRIMARY KEY, json text NOT NULL);
   CREATE TABLE ${FLEET_SCHEMA}.origins (host text NOT NULL, local_position bigint NOT NULL, position bigint NOT NULL UNIQUE,
     local_json text NOT NULL, PRIMARY KEY (host, local_position));`,
  // 2: hosts and their heartbeats (a host is down when its heartbeat is old).
  `CREATE TABLE ${FLEET_SCHEMA}.hosts (host text PRIMARY KEY, heartbeat_at timestamptz NOT NULL, local_head bigint NOT NULL DEFAULT 0);`,
  // 3: commands across hosts (one row per request, claimed once by its target) and fleet-wide slot leases.
  `CREATE TABLE ${FLEET_SCHEMA}.remote_requests (request_id text PRIMARY KEY, from_host text NOT NULL, to_host text NOT NULL,
     command text NOT NULL, payload jsonb, created_at timestamptz NOT NULL DEFAULT now(), deadline timestamptz NOT NULL,
     claimed_by text, claimed_at timestamptz, answer jsonb, answered_at timestamptz);
   CREATE INDEX remote_requests_open ON ${FLEET_SCHEMA}.remote_requests (to_host, created_at) WHERE claimed_by IS NULL;
   CREATE TABLE ${FLEET_SCHEMA}.slot_leases (slot text PRIMARY KEY, host text NOT NULL, run_id text, leased_at timestamptz NOT NULL DEFAULT now());`,
];

export const FLEET_SCHEMA_VERSION = MIGRATIONS.length;

/** Bring the database to FLEET_SCHEMA_VERSION; returns the version found before. */
export async function migrateFleetSchema(client: pg.ClientBase): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${FLEET_SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${FLEET_SCHEMA}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${FLEET_SCHEMA}.schema_version`);
    const found = rows[0]?.v ?? 0;
    if (found > FLEET_SCHEMA_VERSION) {
      throw new RunledgerError(
        'FLEET_SCHEMA_TOO_NEW',
        `the fleet database is at schema version ${found}; this runledger knows up to ${FLEET_SCHEMA_VERSION}: upgrade runledger`,
        { found, known: FLEET_SCHEMA_VERSION },
      );
    }
    for (let v = found + 1; v <= FLEET_SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v - 1]!);
      await client.query(`INSERT INTO ${FLEET_SCHEMA}.schema_version (version) VALUES ($1)`, [v]);
    }
    await client.query('COMMIT');
    return found;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
