/**
 * Fleet-wide slots: one row per held slot in PostgreSQL. A host takes a
 * slot when nobody holds it, when its holder's heartbeat is stale (the
 * lease dies with its host), or when it is its own and the run that held it
 * ended; otherwise SLOT_BUSY names the holder's host and run. A lease is
 * first taken under a one-off token (the run id does not exist before the
 * start), then bound to the run; the daemon's sweep releases leases whose
 * run is no longer active.
 */
import { randomUUID } from 'node:crypto';
import { RunledgerError } from '../errors.js';
import type { FleetDb } from './fleet-db.js';
import { HOST_STALE_MS } from './remote-requests.js';
import { FLEET_SCHEMA as S } from './schema.js';

const PENDING = 'pending-';
/** A start that takes longer than this to bind its lease crashed; the sweep frees its slot. */
const PENDING_MAX_S = 60;

/** Lease `slot` for `host`; returns the token to bind or release. */
export async function acquireSlot(db: FleetDb, slot: string, host: string, activeRunIds: string[]): Promise<string> {
  const token = `${PENDING}${randomUUID()}`;
  const taken = await db.query(
    `INSERT INTO ${S}.slot_leases AS l (slot, host, run_id) VALUES ($1, $2, $3)
     ON CONFLICT (slot) DO UPDATE SET host = EXCLUDED.host, run_id = EXCLUDED.run_id, leased_at = now()
      WHERE NOT EXISTS (SELECT 1 FROM ${S}.hosts h WHERE h.host = l.host AND h.heartbeat_at > now() - make_interval(secs => $4))
         OR (l.host = $2 AND NOT (l.run_id = ANY($5::text[]))
             AND NOT (l.run_id LIKE '${PENDING}%' AND l.leased_at > now() - make_interval(secs => ${PENDING_MAX_S})))
     RETURNING 1`,
    [slot, host, token, HOST_STALE_MS / 1000, activeRunIds],
    'leasing a fleet slot',
  );
  if (taken.length > 0) return token;
  const [holder] = await db.query<{ host: string; run_id: string }>(
    `SELECT host, run_id FROM ${S}.slot_leases WHERE slot = $1`,
    [slot],
    'reading a slot lease',
  );
  const runId = holder?.run_id.startsWith(PENDING) ? null : (holder?.run_id ?? null);
  throw new RunledgerError(
    'SLOT_BUSY',
    `fleet slot ${slot} is busy: ${runId ? `run ${runId}` : 'a run being started'} on host ${holder?.host ?? '?'} holds it`,
    { slot, host: holder?.host ?? null, runId, fleet: true },
  );
}

export async function bindSlot(db: FleetDb, slot: string, token: string, runId: string): Promise<void> {
  await db.query(`UPDATE ${S}.slot_leases SET run_id = $3 WHERE slot = $1 AND run_id = $2`, [slot, token, runId], 'binding a slot lease');
}

/** Give back a lease held under `holder` (a token or a run id); someone else's lease is left alone. */
export async function releaseSlot(db: FleetDb, slot: string, holder: string): Promise<void> {
  await db.query(`DELETE FROM ${S}.slot_leases WHERE slot = $1 AND run_id = $2`, [slot, holder], 'releasing a slot lease');
}

/** Release this host's leases whose run is no longer active (ended, or a start that never bound its lease). */
export async function sweepSlots(db: FleetDb, host: string, activeRunIds: string[]): Promise<number> {
  const rows = await db.query(
    `DELETE FROM ${S}.slot_leases WHERE host = $1 AND NOT (run_id = ANY($2::text[]))
        AND NOT (run_id LIKE '${PENDING}%' AND leased_at > now() - make_interval(secs => ${PENDING_MAX_S}))
     RETURNING 1`,
    [host, activeRunIds],
    'releasing ended slot leases',
  );
  return rows.length;
}
